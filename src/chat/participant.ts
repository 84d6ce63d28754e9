// The @budget chat participant: counts the request's references with the chat model's own countTokens, packs
// them into the configured share of its input window, activates the best prompt of the pool (IDP's rule), sends
// the request to that model and streams the answer, then a footer with what compression saved.
import * as vscode from 'vscode';
import { readChatSettings } from '../config';
import { formatChange, formatPercent, formatTokens, formatWholePercent } from '../core/format';
import { selectPrompt, type Selection } from '../core/idp';
import { CancelledError } from '../core/tokens/count';
import { budgetTokenizer } from '../compression';
import { fitToBudget, savingsSummary, type ChatSavings, type FitResult, type PackFn } from './pipeline';
import { loadPrompts, takeOverride } from './prompts';
import { sourcesFromReferences, type ReferenceSource } from './references';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';
import { ScorerProvider } from './scorers';

export const PARTICIPANT_ID = 'contextBudget.budget';
export const SHOW_SAVINGS_COMMAND = 'contextBudget.showSavings';

/** What one request did; kept for the savings button and for tests (`contextBudget.chat.lastResults`). */
export interface ChatRecord {
  command: string;
  /** Everything the participant streamed as markdown, in order (the answer included). */
  markdown: string;
  savings?: ChatSavings;
  error?: string;
  /** Set when the handler returned (answer streamed, or error reported). */
  done: boolean;
}

// Fixed cost of a chat message beyond its text (role, separators); the providers we know add fewer than this.
const MESSAGE_OVERHEAD = 8;
const HISTORY = 20;

export class ChatParticipantController {
  readonly records: ChatRecord[] = [];
  private readonly scorers: ScorerProvider;

  constructor(
    private readonly pack: PackFn,
    promptEncoder: () => Promise<OnnxPromptEncoder>,
  ) {
    this.scorers = new ScorerProvider(promptEncoder);
  }

  handler: vscode.ChatRequestHandler = async (request, _context, stream, token) => {
    const record: ChatRecord = { command: request.command ?? 'ask', markdown: '', done: false };
    this.records.push(record);
    if (this.records.length > HISTORY) this.records.shift();
    const out = (md: string) => {
      record.markdown += md;
      stream.markdown(md);
    };
    try {
      return await this.run(request, stream, token, out, record);
    } catch (e) {
      if (e instanceof CancelledError || token.isCancellationRequested) {
        record.error = 'cancelled';
        return { metadata: { cancelled: true } };
      }
      const message =
        e instanceof vscode.LanguageModelError
          ? `The model ${request.model.name} returned an error (${e.code || 'unknown'}): ${e.message}`
          : `Context Budget could not handle this request: ${e instanceof Error ? e.message : String(e)}`;
      record.error = message;
      record.markdown += message;
      return { errorDetails: { message } };
    } finally {
      record.done = true;
    }
  };

  private async run(
    request: vscode.ChatRequest,
    stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
    out: (md: string) => void,
    record: ChatRecord,
  ): Promise<vscode.ChatResult> {
    const settings = readChatSettings();
    const model = request.model;
    const window = model.maxInputTokens;
    const count = async (text: string) => {
      const n = await model.countTokens(text, token);
      if (token.isCancellationRequested) throw new CancelledError();
      return n;
    };
    const { text: question, override } = takeOverride(request.prompt);
    const { sources, skipped } = await sourcesFromReferences(request.references);
    for (const s of skipped) out(`> Skipped ${s}\n\n`);

    if (request.command === 'budget') {
      return this.budgetReport(sources, window, settings.contextShare, count, out);
    }
    if (sources.length === 0 && request.command === 'compress') {
      out(
        'No references to compress. Attach files with `#file:…`, select code in an editor, or drag files into the chat, then ask again.',
      );
      return {};
    }

    const pool = await loadPrompts(settings);
    for (const err of pool.errors) out(`> ${err}\n\n`);
    const { scorer, note } = await this.scorers.scorer(pool.prompts, settings.promptSelector, settings.modelPath);
    if (note) out(`> ${note}\n\n`);
    const selection = await selectPrompt(question || request.command || 'answer', pool.prompts, scorer, {
      override: override ?? (settings.promptOverride || undefined),
    });
    const total = Math.floor(window * settings.contextShare);

    if (request.command === 'compress') {
      stream.progress(`Compressing ${sources.length} reference(s) to ${formatTokens(total)} tokens…`);
      const fit = await this.fit(sources, total, count, token);
      const savings = await this.savings(request, fit, selection, count);
      record.savings = savings;
      out(fence(fit.pack.text));
      this.footer(out, stream, savings, sources.length, window, undefined);
      return { metadata: { savings } };
    }

    // Ask: instruction + compressed context + question, all inside the share of the window.
    const frameTokens = (await count(composeMessage(selection.prompt.instruction, '', question))) + MESSAGE_OVERHEAD;
    let message: string;
    let savings: ChatSavings | undefined;
    if (sources.length === 0) {
      out('_No references attached, so there is nothing to compress; your request goes to the model as written._\n\n');
      message = question;
    } else {
      const contextBudget = total - frameTokens;
      if (contextBudget <= 0) {
        throw new Error(
          `the request alone needs ${formatTokens(frameTokens)} tokens, more than the ${formatTokens(total)} allowed (${formatWholePercent(settings.contextShare)} of ${formatTokens(window)})`,
        );
      }
      stream.progress(`Compressing ${sources.length} reference(s) to ${formatTokens(contextBudget)} tokens…`);
      const fit = await this.fit(sources, contextBudget, count, token);
      message = composeMessage(selection.prompt.instruction, fit.pack.text, question);
      savings = await this.savings(request, fit, selection, count);
    }
    const requestTokens = (await count(message)) + MESSAGE_OVERHEAD;
    if (savings) {
      savings.requestTokens = requestTokens;
      record.savings = savings;
    }
    if (requestTokens > window) {
      throw new Error(
        `the request is ${formatTokens(requestTokens)} tokens, over the model's ${formatTokens(window)}-token window`,
      );
    }
    const response = await model.sendRequest(
      [vscode.LanguageModelChatMessage.User(message)],
      { justification: 'Context Budget answers with compressed references' },
      token,
    );
    for await (const fragment of response.text) {
      if (token.isCancellationRequested) throw new CancelledError();
      out(fragment);
    }
    // A provider may end its stream quietly on cancellation; a cut-off answer gets no savings footer.
    if (token.isCancellationRequested) throw new CancelledError();
    if (savings) this.footer(out, stream, savings, sources.length, window, requestTokens);
    return { metadata: { savings } };
  }

  private async fit(
    sources: ReferenceSource[],
    budget: number,
    count: (t: string) => Promise<number>,
    token: vscode.CancellationToken,
  ): Promise<FitResult> {
    // A chat model has no bundled tokenizer: plan with the default one; the model's own count has the last word.
    const tokenizer = await budgetTokenizer({});
    return fitToBudget(sources, budget, count, this.pack, tokenizer, token);
  }

  /** Savings in the target model's own tokens, per source too (the packer's figures are planning-tokenizer units). */
  private async savings(
    request: vscode.ChatRequest,
    fit: FitResult,
    selection: Selection,
    count: (t: string) => Promise<number>,
  ): Promise<ChatSavings> {
    const m = request.model;
    const sources: ChatSavings['sources'] = [];
    for (const s of fit.pack.sources) {
      const tokens = s.level === 'omitted' ? 0 : await count(s.text);
      sources.push({
        id: s.id,
        label: s.label,
        level: s.level,
        method: s.method,
        tokens,
        originalTokens: fit.sourceTokens.get(s.id) ?? 0,
        reason: s.reason,
      });
    }
    return {
      kind: 'chat',
      request: request.prompt,
      model: { vendor: m.vendor, id: m.id, name: m.name, maxInputTokens: m.maxInputTokens },
      budget: fit.budget,
      originalTokens: fit.originalTokens,
      compressedTokens: fit.tokens,
      prompt: {
        id: selection.prompt.id,
        title: selection.prompt.title,
        method: selection.method,
        reason: selection.reason,
        scores: selection.scores,
      },
      sources,
      notes: fit.pack.notes,
      text: fit.pack.text,
    };
  }

  private footer(
    out: (md: string) => void,
    stream: vscode.ChatResponseStream,
    s: ChatSavings,
    refs: number,
    window: number,
    requestTokens: number | undefined,
  ): void {
    const parts = [`**Context Budget** · ${refs} reference${refs === 1 ? '' : 's'}: ${savingsSummary(s)}`];
    const used = requestTokens ?? s.compressedTokens;
    parts.push(
      `${requestTokens ? 'request' : 'context'} ${formatTokens(used)} tokens = ${formatPercent(used / window)} of the ${formatTokens(window)}-token window`,
    );
    if (s.prompt) {
      parts.push(`prompt: *${s.prompt.title}* (${s.prompt.method === 'override' ? 'chosen by you' : s.prompt.method})`);
    }
    const levels = s.sources
      .map((x) => `\`${x.label}\` ${x.level} (${formatChange(x.originalTokens, x.tokens)})`)
      .join(', ');
    out(`\n\n---\n${parts.join(' · ')}\n\n${levels}\n`);
    stream.button({ command: SHOW_SAVINGS_COMMAND, title: 'Show savings', arguments: [s] });
  }

  private async budgetReport(
    sources: ReferenceSource[],
    window: number,
    share: number,
    count: (t: string) => Promise<number>,
    out: (md: string) => void,
  ): Promise<vscode.ChatResult> {
    if (sources.length === 0) {
      out(
        'No references attached. Attach files with `#file:…` or select code, and `/budget` shows what each costs against the model’s window.',
      );
      return {};
    }
    const rows: string[] = ['| reference | tokens | % of window |', '| --- | ---: | ---: |'];
    let sum = 0;
    const perSource: { label: string; tokens: number }[] = [];
    for (const s of sources) {
      const n = await count((s.header ?? '') + s.text);
      sum += n;
      perSource.push({ label: s.label, tokens: n });
      rows.push(`| \`${s.label}\` | ${formatTokens(n)} | ${formatPercent(n / window)} |`);
    }
    rows.push(`| **total** | **${formatTokens(sum)}** | **${formatPercent(sum / window)}** |`);
    const allowed = Math.floor(window * share);
    const verdict =
      sum <= allowed
        ? `Fits: ${formatTokens(sum)} of the ${formatTokens(allowed)} tokens allowed (${formatWholePercent(share)} of the ${formatTokens(window)}-token window).`
        : `Over by ${formatTokens(sum - allowed)}: ${formatTokens(sum)} tokens against ${formatTokens(allowed)} allowed (${formatWholePercent(share)} of the ${formatTokens(window)}-token window); \`@budget\` compresses to fit.`;
    out(`${rows.join('\n')}\n\n${verdict}\n`);
    return { metadata: { budget: { window, allowed, total: sum, sources: perSource } } };
  }
}

export function composeMessage(instruction: string, context: string, question: string): string {
  const parts = [instruction];
  if (context) parts.push(`# Context (compressed to fit a token budget)\n\n${context}`);
  parts.push(`# Request\n\n${question}`);
  return parts.join('\n\n');
}

/** A Markdown code fence longer than any backtick run inside, so compressed code cannot close it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}\n`;
}

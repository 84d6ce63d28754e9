// Language-model tool `contextBudget_compress`: agent mode (or any extension) hands it text and/or file URIs, and
// optionally the question the context is for, and gets back the context planned into a token budget. The budget
// is the smaller of the input's `budget` and the caller's tokenizationOptions.tokenBudget; the caller's
// countTokens has the last word on size, for the whole result: the summary and explanation lines included.
import * as vscode from 'vscode';
import { contextTokens, savingsSources, savingsSummary, type ChatSavings } from '../chat/pipeline';
import { sourceFromUri, type ReferenceSource } from '../chat/references';
import { readSettings } from '../config';
import { TEXT_SOURCE } from '../core/expandAnswer';
import type { PlanResult } from '../core/planner';
import { findCatalogModel } from '../core/tokens/catalog';
import { CancelledError } from '../core/tokens/count';
import { planningTokenizer, type CompressionService } from '../compression/service';
import { resolveWorkspacePath } from '../workspacePaths';
import { EXPAND_HINT } from './expand';

export const TOOL_NAME = 'contextBudget_compress';

export interface CompressToolInput {
  text?: string;
  uris?: string[];
  budget?: number;
  /** What the context is for: the units it names are kept whole first. */
  query?: string;
  /** Never drop identifier-like words; default: the user's setting. */
  protectIdentifiers?: boolean;
}

/** Used when neither the input nor the caller gives a budget. */
export const DEFAULT_TOOL_BUDGET = 4000;

/** Plans with the header of the last attempt; the header depends on the result, so each attempt checks it. */
const MAX_HEADER_ATTEMPTS = 4;

function toUri(s: string): vscode.Uri {
  const uri = resolveWorkspacePath(s);
  if (!uri) throw new Error(`relative path ${s} needs an open workspace folder`);
  return uri;
}

export class CompressTool implements vscode.LanguageModelTool<CompressToolInput> {
  constructor(private readonly compression: CompressionService) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<CompressToolInput>,
  ): vscode.PreparedToolInvocation {
    const n = (options.input.uris?.length ?? 0) + (options.input.text ? 1 : 0);
    return {
      invocationMessage:
        n === 1
          ? vscode.l10n.t('Compressing 1 source to fit a token budget')
          : vscode.l10n.t('Compressing {0} sources to fit a token budget', n),
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<CompressToolInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const input = options.input ?? {};
    const sources: ReferenceSource[] = [];
    if (typeof input.text === 'string' && input.text.length > 0) {
      sources.push({ id: TEXT_SOURCE, label: TEXT_SOURCE, text: input.text, priority: 80 });
    }
    for (const u of Array.isArray(input.uris) ? input.uris : []) {
      sources.push(await sourceFromUri(toUri(String(u))));
    }
    if (sources.length === 0) {
      throw new Error('contextBudget_compress needs `text` or `uris`');
    }
    const limits = [input.budget, options.tokenizationOptions?.tokenBudget].filter(
      (b): b is number => typeof b === 'number' && b > 0,
    );
    const budget = limits.length ? Math.floor(Math.min(...limits)) : DEFAULT_TOOL_BUDGET;
    const query = typeof input.query === 'string' ? input.query.trim() : '';

    // Without the caller's counter, count with the configured target model's bundled tokenizer.
    const settings = readSettings();
    const tokenizerId = findCatalogModel(settings.targetModel)?.tokenizer;
    const tokenizer = await planningTokenizer({ tokenizer: tokenizerId });
    const callerCount = options.tokenizationOptions?.countTokens;
    const countOnce = callerCount
      ? async (t: string) => callerCount(t, token)
      : async (t: string) => tokenizer.count(t);
    // Each attempt plans the same sources again; the caller's count may be slow, so a text is counted once.
    const counts = new Map<string, Promise<number>>();
    const count = (t: string) => {
      let n = counts.get(t);
      if (!n) counts.set(t, (n = countOnce(t)));
      return n;
    };
    const counter = callerCount ? "the caller's countTokens" : tokenizer.id;

    // The result is a header (summary line, what ran per source) plus the context; the whole must fit. The header
    // names the result's own figures, so plan with the last attempt's header as the frame and check the real one.
    const headerFor = (plan: PlanResult | undefined, original: number, compressed: number) => {
      const savings: ChatSavings = { ...blank(), budget, originalTokens: original, compressedTokens: compressed };
      const lines = plan ? savingsSources(plan).map((s) => `- ${s.label}: ${s.explanation}`) : [];
      if (plan?.elisions.length) lines.push(EXPAND_HINT);
      return (
        `Context Budget: ${sources.length} source(s) ${savingsSummary(savings)}, budget ${budget} tokens counted with ${counter}.\n` +
        (lines.length ? `${lines.join('\n')}\n` : '') +
        '\n'
      );
    };
    const planWith = (framed: string, room: number) =>
      this.compression.plan({
        sources,
        budget: room,
        ...(query ? { question: query } : {}),
        compressor: settings.compression.compressor,
        forceTokens: settings.compression.forceTokens,
        keepDigits: settings.compression.keepDigits,
        protectIdentifiers: input.protectIdentifiers ?? settings.compression.protectIdentifiers,
        reversible: true,
        target: { count, ...(callerCount ? {} : { tokenizer: tokenizerId }) },
        frame: (context) => framed + context,
        cancellation: token,
      });
    const result = (text: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);

    // The summary line planned with figures at least as long as the real ones: it always fits once planned.
    const summaryOnly = headerFor(undefined, 9_999_999, 9_999_999);
    let header = summaryOnly;
    let room = budget;
    for (let attempt = 1; attempt <= MAX_HEADER_ATTEMPTS; attempt++) {
      let plan: PlanResult;
      try {
        plan = await planWith(header, room);
      } catch (err) {
        // The explanation lines alone leave no room: answer with the summary line only (below).
        if (err instanceof CancelledError || header === summaryOnly) throw err;
        break;
      }
      // The per-source lines took the room of every source (all left out): the summary line alone keeps some.
      if (attempt > 1 && !plan.context.trim()) break;
      const { originalTokens, compressedTokens } = await contextTokens(plan, count, true);
      header = headerFor(plan, originalTokens, compressedTokens);
      const text = header + plan.context;
      const tokens = await count(text);
      if (tokens <= budget) return result(text);
      // The real header came out longer than the one planned with: plan again with it as the frame; from the
      // second retry on (the header still grows), also leave the difference.
      if (attempt > 1) room = Math.max(1, room - Math.max(0, tokens - plan.tokens));
    }
    // A small budget: the per-source lines do not fit beside any context, so the result carries the summary only.
    const plan = await planWith(summaryOnly, budget);
    const { originalTokens, compressedTokens } = await contextTokens(plan, count, true);
    const text = headerFor(undefined, originalTokens, compressedTokens) + plan.context;
    const tokens = await count(text);
    if (tokens > budget) {
      throw new Error(`could not fit the result into ${budget} tokens (${tokens} with the summary line alone)`);
    }
    return result(text);
  }
}

function blank(): ChatSavings {
  return {
    kind: 'tool',
    request: 'tool input',
    budget: 0,
    originalTokens: 0,
    compressedTokens: 0,
    sources: [],
    notes: [],
    text: '',
  };
}

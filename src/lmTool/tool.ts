// Language-model tool `contextBudget_compress`: agent mode (or any extension) hands it text and/or file URIs and
// gets back the context packed to a token budget. The budget is the smaller of the input's `budget` and the
// caller's tokenizationOptions.tokenBudget, and the caller's countTokens has the last word on size.
import * as vscode from 'vscode';
import { fitToBudget, savingsSummary, type ChatSavings, type PackFn } from '../chat/pipeline';
import { sourceFromUri, type ReferenceSource } from '../chat/references';
import { readSettings } from '../config';
import { findCatalogModel } from '../core/tokens/catalog';
import { budgetTokenizer } from '../compression/service';
import { resolveWorkspacePath } from '../workspacePaths';

export const TOOL_NAME = 'contextBudget_compress';

export interface CompressToolInput {
  text?: string;
  uris?: string[];
  budget?: number;
}

/** Used when neither the input nor the caller gives a budget. */
export const DEFAULT_TOOL_BUDGET = 4000;

function toUri(s: string): vscode.Uri {
  const uri = resolveWorkspacePath(s);
  if (!uri) throw new Error(`relative path ${s} needs an open workspace folder`);
  return uri;
}

export class CompressTool implements vscode.LanguageModelTool<CompressToolInput> {
  constructor(private readonly pack: PackFn) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<CompressToolInput>,
  ): vscode.PreparedToolInvocation {
    const n = (options.input.uris?.length ?? 0) + (options.input.text ? 1 : 0);
    return { invocationMessage: `Compressing ${n} source${n === 1 ? '' : 's'} to fit a token budget` };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<CompressToolInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const input = options.input ?? {};
    const sources: ReferenceSource[] = [];
    if (typeof input.text === 'string' && input.text.length > 0) {
      sources.push({ id: 'text', label: 'text', text: input.text, priority: 80 });
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

    // Without the caller's counter, count with the configured target model's bundled tokenizer.
    const model = findCatalogModel(readSettings().targetModel);
    const tokenizer = await budgetTokenizer({ tokenizer: model?.tokenizer });
    const callerCount = options.tokenizationOptions?.countTokens;
    const count = callerCount ? async (t: string) => callerCount(t, token) : async (t: string) => tokenizer.count(t);

    // The result is a summary line plus the packed text; the whole must fit, so the line's cost comes off first.
    const counter = callerCount ? "the caller's countTokens" : tokenizer.id;
    const summaryFor = (s: ChatSavings) =>
      `Context Budget: ${sources.length} source(s) ${savingsSummary(s)}, budget ${budget} tokens counted with ${counter}.\n\n`;
    const headroom = await count(summaryFor({ ...blank(), originalTokens: 9_999_999, compressedTokens: 9_999_999 }));
    const fit = await fitToBudget(sources, budget - headroom, count, this.pack, tokenizer, token);
    const savings: ChatSavings = {
      ...blank(),
      budget,
      originalTokens: fit.originalTokens,
      compressedTokens: fit.tokens,
    };
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(summaryFor(savings) + fit.pack.text)]);
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

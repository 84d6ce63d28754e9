// Fits chat references (or tool input) into a token budget counted by the target model itself. The packer plans
// with a bundled tokenizer (it needs synchronous counts); the model's own countTokens then checks the result and
// the plan shrinks until the model agrees it fits. No vscode import: shared by the participant and the tool.
import { formatChange, formatSaved } from '../core/format';
import type { PackResult, PackSource } from '../core/pack';
import { CancelledError, type Cancellation } from '../core/tokens/count';
import type { Tokenizer } from '../core/tokens/tokenizers';

/** The budget packer's shape as the chat features use it; the real one is src/core/pack's packSources. */
export type PackFn = (
  sources: readonly PackSource[],
  budget: number,
  tokenizer: Tokenizer,
  cancellation?: Cancellation,
) => Promise<PackResult>;

export type CountFn = (text: string) => Promise<number>;

export interface FitResult {
  pack: PackResult;
  /** The packed text's size counted by the target model. */
  tokens: number;
  /** All sources' size before compression (headers included), counted by the target model. */
  originalTokens: number;
  /** The same per source id. */
  sourceTokens: Map<string, number>;
  budget: number;
  /** Planning budgets tried (bundled-tokenizer units), for the explanation. */
  attempts: number[];
}

const MAX_ATTEMPTS = 6;

export async function fitToBudget(
  sources: readonly PackSource[],
  budget: number,
  count: CountFn,
  pack: PackFn,
  tokenizer: Tokenizer,
  cancellation?: Cancellation,
): Promise<FitResult> {
  const check = () => {
    if (cancellation?.isCancellationRequested) throw new CancelledError();
  };
  const perSource = await Promise.all(sources.map((s) => count((s.header ?? '') + s.text)));
  const sourceTokens = new Map(sources.map((s, i) => [s.id, perSource[i]!]));
  const originalTokens = perSource.reduce((a, b) => a + b, 0);
  check();
  const attempts: number[] = [];
  let plan = budget;
  for (let i = 0; i < MAX_ATTEMPTS && plan > 0; i++) {
    attempts.push(plan);
    const result = await pack(sources, plan, tokenizer, cancellation);
    check();
    const tokens = await count(result.text);
    check();
    if (tokens <= budget) return { pack: result, tokens, originalTokens, sourceTokens, budget, attempts };
    // The model's tokenizer counts more than the planning one: scale what the packer produced (not what it was
    // allowed) by the observed ratio, with a small margin, so each retry lands near the budget.
    plan = Math.min(plan - 1, Math.floor(((result.totalTokens || plan) * budget * 0.97) / tokens));
  }
  throw new Error(
    `could not fit the context into ${budget} tokens of the model (tried planning budgets ${attempts.join(', ')})`,
  );
}

/** What the footer's "Show savings" button hands to `contextBudget.showSavings`. */
export interface ChatSavings {
  kind: 'chat' | 'tool';
  /** The request text (chat) or "tool input" (tool). */
  request: string;
  model?: { vendor: string; id: string; name: string; maxInputTokens: number };
  budget: number;
  originalTokens: number;
  compressedTokens: number;
  /** Tokens of the whole message sent to the model (instruction + context + request). */
  requestTokens?: number;
  prompt?: {
    id: string;
    title: string;
    method: string;
    reason: string;
    scores: { id: string; title: string; score: number }[];
  };
  sources: {
    id: string;
    label: string;
    level: string;
    method: string;
    tokens: number;
    originalTokens: number;
    reason: string;
  }[];
  notes: string[];
  /** The compressed context. */
  text: string;
}

/** Each packed source's size counted by the target model (the packer's own figures are planning-tokenizer units). */
export async function savingsSources(fit: FitResult, count: CountFn): Promise<ChatSavings['sources']> {
  return Promise.all(
    fit.pack.sources.map(async (s) => ({
      id: s.id,
      label: s.label,
      level: s.level,
      method: s.method,
      tokens: s.level === 'omitted' ? 0 : await count(s.text),
      originalTokens: fit.sourceTokens.get(s.id) ?? 0,
      reason: s.reason,
    })),
  );
}

export function savingsSummary(s: ChatSavings): string {
  const saved = formatSaved(s.originalTokens, s.compressedTokens);
  return `${formatChange(s.originalTokens, s.compressedTokens)} tokens (saved ${saved.tokens}, ${saved.percent})`;
}

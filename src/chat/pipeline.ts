// What a chat request's (or the tool's) compression saved, in the target model's own tokens: the record the footer
// shows and the "Show savings" button hands to the savings view. Fitting is the planner's (src/core/planner),
// through CompressionService.plan. No vscode import: shared by the participant and the tool.
import { formatChange, formatSaved } from '../core/format';
import type { PlanResult } from '../core/planner';

export type CountFn = (text: string) => Promise<number>;

/** What the footer's "Show savings" button hands to `contextBudget.showSavings`. */
export interface ChatSavings {
  kind: 'chat' | 'tool';
  /** The request text (chat) or "tool input" (tool). */
  request: string;
  model?: { vendor: string; id: string; name: string; maxInputTokens: number };
  budget: number;
  /** The context (deduplicated references, headers included) before compression, in the model's count. */
  originalTokens: number;
  /** The context as sent, in the model's count. */
  compressedTokens: number;
  /** Tokens of the whole message sent to the model (instruction + context + request), counted as the message. */
  requestTokens?: number;
  /** Elided sections the model asked for and got back (contextBudget_expand). */
  expanded?: number;
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
    /** What ran on it, in words (the planner's explanation). */
    explanation: string;
  }[];
  notes: string[];
  /** The compressed context. */
  text: string;
}

/** Each planned source in the target model's count (the planner measures them with it). */
export function savingsSources(plan: PlanResult): ChatSavings['sources'] {
  return plan.sources.map((s) => ({
    id: s.id,
    label: s.label,
    level: s.level,
    method: s.method,
    tokens: s.targetTokens,
    originalTokens: s.originalTargetTokens,
    reason: s.reason,
    explanation: s.explanation,
  }));
}

/** The context alone before and after, in the target's count; the plan's own figures include the frame. */
export async function contextTokens(
  plan: PlanResult,
  count: CountFn,
  framed: boolean,
): Promise<{ originalTokens: number; compressedTokens: number }> {
  if (!framed) return { originalTokens: plan.originalTokens, compressedTokens: plan.tokens };
  const [originalTokens, compressedTokens] = await Promise.all([count(plan.sourceText), count(plan.context)]);
  return { originalTokens, compressedTokens };
}

export function savingsSummary(s: ChatSavings): string {
  const saved = formatSaved(s.originalTokens, s.compressedTokens);
  return `${formatChange(s.originalTokens, s.compressedTokens)} tokens (saved ${saved.tokens}, ${saved.percent})`;
}

// Chooses the prompt to activate for a request: score every prompt of the pool, activate the best one (IDP's
// rule), and return every score so the UI can explain the choice. The user can name a prompt to override it.
import type { PromptEntry } from './schema';

export interface PromptScorer {
  /** "lexical" (BM25) or "encoder:cosine" / "encoder:attention". */
  readonly kind: string;
  score(request: string): number[] | Promise<number[]>;
}

export interface ScoredPrompt {
  id: string;
  title: string;
  score: number;
}

export interface Selection {
  prompt: PromptEntry;
  /** Every prompt, best first (ties keep pool order). */
  scores: ScoredPrompt[];
  /** The scorer's kind, or "override" when the user named the prompt. */
  method: string;
  /** One sentence for the footer / tooltip. */
  reason: string;
}

export interface SelectOptions {
  /** A prompt id the user asked for; wins over the scores when it exists. */
  override?: string;
  /** Used when no prompt scores above zero (no word in common with any prompt). */
  fallbackId?: string;
}

export const DEFAULT_FALLBACK_ID = 'answer-from-context';

export async function selectPrompt(
  request: string,
  prompts: readonly PromptEntry[],
  scorer: PromptScorer,
  options: SelectOptions = {},
): Promise<Selection> {
  if (prompts.length === 0) throw new Error('the prompt pool is empty');
  const raw = await scorer.score(request);
  if (raw.length !== prompts.length) {
    throw new Error(`scorer returned ${raw.length} scores for ${prompts.length} prompts`);
  }
  const scores = prompts
    .map((p, i) => ({ id: p.id, title: p.title, score: raw[i]!, order: i }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ id, title, score }) => ({ id, title, score }));
  const byId = (id: string | undefined) => (id ? prompts.find((p) => p.id === id) : undefined);

  const overridden = byId(options.override);
  if (overridden) {
    return { prompt: overridden, scores, method: 'override', reason: `“${overridden.title}” chosen by you` };
  }
  const best = scores[0]!;
  if (!(best.score > 0)) {
    const fallback = byId(options.fallbackId ?? DEFAULT_FALLBACK_ID) ?? prompts[0]!;
    return {
      prompt: fallback,
      scores,
      method: scorer.kind,
      reason: `no prompt matched the request; using the default “${fallback.title}”`,
    };
  }
  const prompt = byId(best.id)!;
  const runnerUp = scores[1];
  const margin = runnerUp ? ` (next: “${runnerUp.title}” ${runnerUp.score.toFixed(2)})` : '';
  return {
    prompt,
    scores,
    method: scorer.kind,
    reason: `“${prompt.title}” scored ${best.score.toFixed(2)} by ${scorer.kind}${margin}`,
  };
}

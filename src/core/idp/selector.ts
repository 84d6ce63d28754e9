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
  /** Set when the scorer failed and the fallback scorer chose instead: why. */
  note?: string;
}

export interface SelectOptions {
  /** A prompt id the user asked for; wins over the scores when it exists. */
  override?: string;
  /** Used when no prompt scores above zero (no word in common with any prompt). */
  fallbackId?: string;
  /**
   * Scores instead when `scorer` fails (e.g. a pool too large for the encoder's 512 positions): the request still
   * gets a prompt, and the selection's note says why the fallback ran.
   */
  fallback?: PromptScorer;
}

export const DEFAULT_FALLBACK_ID = 'answer-from-context';

export async function selectPrompt(
  request: string,
  prompts: readonly PromptEntry[],
  scorer: PromptScorer,
  options: SelectOptions = {},
): Promise<Selection> {
  if (prompts.length === 0) throw new Error('the prompt pool is empty');
  let raw: number[];
  let note: string | undefined;
  let used = scorer;
  try {
    raw = await scorer.score(request);
    if (raw.length !== prompts.length) {
      throw new Error(`scorer returned ${raw.length} scores for ${prompts.length} prompts`);
    }
  } catch (e) {
    if (!options.fallback || isCancellation(e)) throw e;
    note = `The ${scorer.kind} selector failed (${e instanceof Error ? e.message : String(e)}); chose with ${options.fallback.kind} instead.`;
    used = options.fallback;
    raw = await used.score(request);
  }
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
    return {
      prompt: overridden,
      scores,
      method: 'override',
      reason: `“${overridden.title}” chosen by you`,
      ...(note ? { note } : {}),
    };
  }
  const best = scores[0]!;
  if (!(best.score > 0)) {
    const fallback = byId(options.fallbackId ?? DEFAULT_FALLBACK_ID) ?? prompts[0]!;
    return {
      prompt: fallback,
      scores,
      method: used.kind,
      reason: `no prompt matched the request; using the default “${fallback.title}”`,
      ...(note ? { note } : {}),
    };
  }
  const prompt = byId(best.id)!;
  const runnerUp = scores[1];
  const margin = runnerUp ? ` (next: “${runnerUp.title}” ${runnerUp.score.toFixed(2)})` : '';
  return {
    prompt,
    scores,
    method: used.kind,
    reason: `“${prompt.title}” scored ${best.score.toFixed(2)} by ${used.kind}${margin}`,
    ...(note ? { note } : {}),
  };
}

/** A cancelled request stops; it is not a scorer failure to fall back from. */
function isCancellation(e: unknown): boolean {
  return e instanceof Error && (e.name === 'CancelledError' || e.name === 'Canceled');
}

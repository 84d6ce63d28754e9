// Geometry of the savings picture, as percentages of the bar's width (pure: unit-tested without a DOM).
// Scaled to the largest of before, after and budget, so an ordinary file fills the bar instead of the 0.1% of
// the context window it takes; the window is drawn behind, to scale when it is close, else as "continues →".

export interface FitGeometry {
  before: number;
  after: number;
  budget: number;
  /** Width of the context window's track. */
  window: number;
  /** The window is far larger than the figures: its track fills the bar and goes on past it. */
  windowBeyond: boolean;
  overBudget: boolean;
  overWindow: boolean;
}

/** A window up to this many times the largest figure is drawn to scale. */
const WINDOW_TO_SCALE = 1.5;
/** Room past the largest figure, so the budget mark at the end stays visible. */
const HEADROOM = 1.08;

export function fitGeometry(before: number, after: number, budget: number, contextWindow: number): FitGeometry {
  const largest = Math.max(before, after, budget, 1);
  const windowShown = contextWindow > 0 && contextWindow <= largest * WINDOW_TO_SCALE;
  const scale = windowShown ? Math.max(contextWindow, largest * HEADROOM) : largest * HEADROOM;
  const pct = (v: number) => Math.min(100, Math.max(0, (v / scale) * 100));
  return {
    before: pct(before),
    after: pct(after),
    budget: pct(budget),
    window: windowShown ? pct(contextWindow) : 100,
    windowBeyond: !windowShown,
    overBudget: after > budget,
    overWindow: before > contextWindow,
  };
}

export interface SourceBar {
  original: number;
  given: number;
}

/** One row per source, all on one scale: the largest original fills the row. */
export function sourceBars(sources: readonly { originalTokens: number; tokens: number }[]): SourceBar[] {
  const largest = Math.max(1, ...sources.map((s) => Math.max(s.originalTokens, s.tokens)));
  return sources.map((s) => ({
    original: (s.originalTokens / largest) * 100,
    given: (Math.min(s.tokens, largest) / largest) * 100,
  }));
}

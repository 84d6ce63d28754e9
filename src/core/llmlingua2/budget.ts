// Budget selection (the product default): words from all chunks and contexts ranked once, forced words kept,
// output rebuilt from the original text so separators and line structure survive, and the result counted in the
// target tokenizer never exceeds the budget.

import { splitForCounting, type CutRule } from '../tokens/count';

export interface BudgetWord {
  /** Index of the context the word belongs to. */
  context: number;
  /** UTF-16 offsets into that context. */
  start: number;
  end: number;
  pKeep: number;
  forced: boolean;
  /** Forced because it is identifier-like (protectIdentifiers): the note says so when these alone overflow. */
  protected?: boolean;
  /** The model's p(keep) of a forced word (its pKeep is 1): which forced words go first when they alone overflow. */
  modelPKeep?: number;
}

export interface BudgetCounterLike {
  count(text: string): number;
  readonly cutRule?: CutRule;
}

export interface SelectionOutcome {
  kept: boolean[];
  texts: string[];
  tokens: number;
  /** true when every word fits and nothing was dropped. */
  allFits: boolean;
  notes: string[];
}

/** Output of one context for a keep/drop decision per word (words of that context, in order). */
export function render(
  text: string,
  words: readonly BudgetWord[],
  kept: readonly boolean[],
  from = 0,
  to = words.length,
): string {
  let out = '';
  let cursor = 0; // end of the last emitted original text
  let droppedSince = false; // a dropped word lies between cursor and the next kept word
  let any = false;
  for (let i = from; i < to; i++) {
    const w = words[i]!;
    if (!kept[i]) {
      droppedSince = true;
      continue;
    }
    if (droppedSince) {
      // The dropped span collapses to the source's own separator: a line break, a space, or nothing where the
      // source had none (peeled punctuation, CJK characters); none is needed before the first kept word.
      if (any) {
        const span = text.slice(cursor, w.start);
        // Keep the file's line-ending style (CRLF stays CRLF).
        out += span.includes('\r\n') ? '\r\n' : /[\r\n]/.test(span) ? '\n' : /\s/u.test(span) ? ' ' : '';
      }
    } else {
      out += text.slice(cursor, w.start);
    }
    out += text.slice(w.start, w.end);
    cursor = w.end;
    droppedSince = false;
    any = true;
  }
  if (!droppedSince) out += text.slice(cursor);
  return out;
}

/** Word index range [from, to) of each context (words are in context order). */
export function contextRanges(texts: readonly string[], words: readonly BudgetWord[]): [number, number][] {
  const ranges: [number, number][] = [];
  let i = 0;
  for (let c = 0; c < texts.length; c++) {
    const s = i;
    while (i < words.length && words[i]!.context === c) i++;
    ranges.push([s, i]);
  }
  return ranges;
}

/** Output of every context for a keep/drop decision per word. */
export function renderContexts(
  texts: readonly string[],
  words: readonly BudgetWord[],
  kept: readonly boolean[],
  ranges = contextRanges(texts, words),
): string[] {
  return texts.map((t, c) => render(t, words, kept, ranges[c]![0], ranges[c]![1]));
}

/** Sum of piece counts, cut where counts add up exactly; pieces are memoised so small edits recount little. */
export class PieceCounter {
  private readonly cache = new Map<string, number>();
  constructor(private readonly counter: BudgetCounterLike) {}
  count(text: string): number {
    let total = 0;
    for (const piece of splitForCounting(text, 512, this.counter.cutRule ?? 'lone-newline')) {
      let n = this.cache.get(piece);
      if (n === undefined) {
        n = this.counter.count(piece);
        if (this.cache.size > 50_000) this.cache.clear();
        this.cache.set(piece, n);
      }
      total += n;
    }
    return total;
  }
}

/** Contexts are joined with a blank line; an empty one adds no separator (so dropping everything costs 0). */
export function joinContexts(outputs: readonly string[]): string {
  return outputs.filter((o) => o.length > 0).join('\n\n');
}

/**
 * Keeps forced words and the highest-p(keep) words (ties: earlier first) so that the joined output counts at most
 * `budget` tokens, and comes within 2% of it where the words allow.
 */
export function selectWithinBudget(
  texts: readonly string[],
  words: readonly BudgetWord[],
  budget: number,
  counter: BudgetCounterLike,
): SelectionOutcome {
  const pc = new PieceCounter(counter);
  const notes: string[] = [];
  const ranges = contextRanges(texts, words);
  const outputs = (kept: readonly boolean[]) => renderContexts(texts, words, kept, ranges);
  const total = (kept: boolean[]) => pc.count(joinContexts(outputs(kept)));

  const all = words.map(() => true);
  const fullTokens = pc.count(joinContexts(texts));
  if (fullTokens <= budget) {
    return { kept: all, texts: [...texts], tokens: fullTokens, allFits: true, notes };
  }
  const order = words
    .map((_, i) => i)
    .filter((i) => !words[i]!.forced)
    .sort((a, b) => words[b]!.pKeep - words[a]!.pKeep || a - b);
  const forcedIdx = words.map((_, i) => i).filter((i) => words[i]!.forced);

  const keptFor = (k: number, base: readonly number[] = forcedIdx) => {
    const kept = words.map(() => false);
    for (const i of base) kept[i] = true;
    for (let r = 0; r < k; r++) kept[order[r]!] = true;
    return kept;
  };

  let base = forcedIdx;
  if (total(keptFor(0)) > budget) {
    // Forced words alone overflow: the budget wins; keep forced words by p(keep) while they fit.
    const protectedCount = forcedIdx.filter((i) => words[i]!.protected).length;
    if (protectedCount > 0) {
      notes.push(
        `protected identifiers alone exceed the budget (${protectedCount} of them); some were dropped to stay within it`,
      );
    } else if (forcedIdx.length > 0) notes.push('forced words alone exceed the budget; some forced words were dropped');
    // In order of importance: the model's own p(keep), not the document's order (which kept only its top).
    const importance = (i: number) => words[i]!.modelPKeep ?? words[i]!.pKeep;
    const fo = [...forcedIdx].sort((a, b) => importance(b) - importance(a) || a - b);
    let lo = 0;
    let hi = fo.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const kept = words.map(() => false);
      for (let r = 0; r < mid; r++) kept[fo[r]!] = true;
      if (total(kept) <= budget) lo = mid;
      else hi = mid - 1;
    }
    base = fo.slice(0, lo);
    const keptB = words.map(() => false);
    for (const i of base) keptB[i] = true;
    return finish(keptB);
  }
  // Largest prefix of the ranking that fits (token counts grow almost monotonically with k).
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (total(keptFor(mid, base)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const kept = keptFor(lo, base);
  let tokens = total(kept);
  // Fill: later-ranked words that still fit (a long word may not fit where a short one does).
  const enough = Math.floor(budget * 0.005);
  for (let r = lo; r < order.length && budget - tokens > enough && r < lo + 200; r++) {
    const i = order[r]!;
    kept[i] = true;
    const t = total(kept);
    if (t <= budget) tokens = t;
    else kept[i] = false;
  }
  return finish(kept);

  function finish(k: boolean[]): SelectionOutcome {
    const outs = outputs(k);
    // Final exact count of the whole output, not piecewise: this is the number reported and guaranteed.
    let t = counter.count(joinContexts(outs));
    // Safety net for non-monotone counts: drop lowest-ranked kept words until the exact count fits.
    const rank = [...order].reverse();
    let r = 0;
    while (t > budget && r < rank.length) {
      if (k[rank[r]!]) {
        k[rank[r]!] = false;
        t = counter.count(joinContexts(outputs(k)));
      }
      r++;
    }
    return { kept: k, texts: outputs(k), tokens: t, allFits: false, notes };
  }
}

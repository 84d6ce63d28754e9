// Each source's compression ladder: the full text, the structural levels and any extra compressor's rates, kept
// to the Pareto front of tokens against information lost.
import type { CompressionResult, Segment } from '../compressor';
import { CancelledError, type Cancellation } from '../tokens/count';
import type { Tokenizer } from '../tokens/tokenizers';
import {
  UnsupportedInputError,
  countLevels,
  type AnalyseOptions,
  type StructuralAnalysis,
  type StructuralCompressor,
} from '../structural/index';
import type { SourceState, Variant } from './types';

/**
 * Information lost per removed token, by what a step removes. Comments and blank lines carry little; bodies carry
 * the behaviour; an outline also loses signatures' details; truncation loses whatever it cuts.
 */
export const LOSS: Readonly<Record<string, number>> = {
  none: 0,
  'structural:no-comments': 0.1,
  'json:compact': 0.02,
  'prose:normalised': 0.05,
  'fallback:normalised': 0.05,
  'structural:signatures': 0.5,
  'json:sampled': 0.5,
  'prose:first-sentences': 0.6,
  'structural:outline': 0.8,
  'json:keys': 0.8,
  'prose:section-leads': 0.8,
  'diff:whole': 0,
  'diff:changes': 0.3,
  'diff:headers': 0.9,
};

export function fullVariant(text: string, tokens: number): Variant {
  const segments: Segment[] = text ? [{ start: 0, end: text.length, status: 'kept' }] : [];
  return { level: 'full', method: 'none', description: 'unchanged', tokens, loss: 0, text, segments };
}

/**
 * What makes a source's marker ids its own: its position and id (two sources may share an id, e.g. two selections
 * of one file, and equal text at equal offsets would otherwise get equal ids).
 */
export function idScope(s: Pick<SourceState, 'index' | 'source'>): string {
  return `${s.index}\u0000${s.source.id}`;
}

/**
 * How a source is analysed for its ladder: the planner's floor estimate asks with the same options, so one memoised
 * analysis serves both.
 */
export function analyseOptions(
  s: Pick<SourceState, 'index' | 'source'>,
  o: { cancellation?: Cancellation | undefined; reversible?: boolean | undefined; expandTool?: string | undefined },
): AnalyseOptions {
  return {
    ...(o.cancellation ? { cancellation: o.cancellation } : {}),
    ...(o.reversible
      ? { reversible: true, scope: idScope(s), ...(o.expandTool ? { expandTool: o.expandTool } : {}) }
      : {}),
  };
}

/** The rung a source stands on: the last-resort variant when one applied, else the planned one. */
export function currentVariant(s: SourceState): Variant {
  return s.final ?? s.filled ?? s.variants[s.chosen]!;
}

/** Tokens of the joined sources on their current rungs: headers, and separators between the present ones. */
export function joinedTokens(states: readonly SourceState[], separatorTokens: number): number {
  let sum = 0;
  let present = 0;
  for (const s of states) {
    const v = currentVariant(s);
    if (v.level === 'omitted') continue;
    sum += v.tokens + s.headerTokens;
    present++;
  }
  return sum + Math.max(0, present - 1) * separatorTokens;
}

/** Replaces `s.variants` (which holds only the full text) with the whole ladder; marks input it cannot analyse. */
export async function buildLadder(
  s: SourceState,
  structural: StructuralCompressor,
  tokenizer: Tokenizer,
  cancellation: Cancellation | undefined,
  reversible = false,
  expandTool?: string,
): Promise<void> {
  const { source } = s;
  const full = s.variants[0]!;
  const all: Variant[] = [full];
  let analysis: StructuralAnalysis | undefined;
  try {
    analysis = await structural.analyse(
      source.text,
      source.languageId,
      analyseOptions(s, { cancellation, reversible, expandTool }),
    );
  } catch (err) {
    if (!(err instanceof UnsupportedInputError)) throw err;
    s.unsupported = err.message;
  }
  if (analysis) {
    // "level …" notes describe the ladder, which the candidates already show; the rest explain the input.
    s.analysisNotes = analysis.notes.filter((n) => !n.startsWith('level '));
    s.analysis = analysis;
    const counts = await countLevels(analysis.levels, tokenizer, cancellation);
    let loss = 0;
    for (let i = 1; i < analysis.levels.length; i++) {
      const level = analysis.levels[i]!;
      loss += (LOSS[level.method] ?? 0.5) * Math.max(0, counts[i - 1]! - counts[i]!);
      all.push({
        level: level.level,
        method: level.method,
        description: level.description,
        tokens: counts[i]!,
        loss,
        text: level.text,
        segments: level.segments,
        analysisLevel: i,
      });
    }
  }
  for (const extra of s.unsupported ? [] : (source.compressors ?? [])) {
    const rungs = [
      ...extra.rates.map((rate) => ({ rate, asBudget: false })),
      ...(extra.budgetShares ?? []).map((rate) => ({ rate, asBudget: true })),
    ];
    for (const { rate, asBudget } of rungs) {
      let result: CompressionResult;
      try {
        result = await extra.compressor.compress({
          text: source.text,
          ...(source.languageId ? { languageId: source.languageId } : {}),
          ...(asBudget ? { budget: Math.max(1, Math.floor(rate * full.tokens)) } : { rate }),
          tokenizer,
          ...(cancellation ? { cancellation } : {}),
        });
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        const failure = `${extra.compressor.id} failed (${err instanceof Error ? err.message : String(err)}); not offered`;
        // One note per distinct failure: a model that cannot load fails the same way at every rate.
        if (!s.failures?.includes(failure)) (s.failures ??= []).push(failure);
        continue;
      }
      const tokens = tokenizer.count(result.text);
      all.push({
        // The rate in the level name keeps two candidates of one compressor apart in explanations.
        level: `${result.method}@${rate}`,
        method: result.method,
        description: `${extra.compressor.id} at rate ${rate}`,
        tokens,
        loss: (extra.lossPerToken ?? 0.5) * Math.max(0, full.tokens - tokens),
        text: result.text,
        segments: result.segments,
        ...(result.protectedKept ? { protectedKept: result.protectedKept } : {}),
      });
    }
  }
  // Keep the Pareto front (fewer tokens must cost more loss), least lossy first; stable for equal pairs.
  all.sort((a, b) => a.loss - b.loss || a.tokens - b.tokens);
  const front: Variant[] = [];
  for (const v of all) {
    const last = front[front.length - 1];
    if (!last || v.tokens < last.tokens) front.push(v);
  }
  s.variants = front;
  s.chosen = 0;
}

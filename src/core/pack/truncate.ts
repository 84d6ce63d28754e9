// The last resort, once no ladder step is left: cut a source at a line boundary, leave it out, or cut the joined
// text itself. Segments follow every cut, so the savings view still maps output back to the source.
import type { Segment } from '../compressor';
import { declaredNames, describeElision, elisionId, lineRange } from '../elisions';
import type { Tokenizer } from '../tokens/tokenizers';
import type { SourceState, Variant } from './types';

export function omittedVariant(s: SourceState): Variant {
  const length = s.source.text.length;
  return {
    level: 'omitted',
    method: 'omitted',
    description: 'left out',
    tokens: 0,
    loss: s.variants[0]!.tokens,
    text: '',
    segments: length ? [{ start: 0, end: length, status: 'dropped' }] : [],
  };
}

/**
 * Cuts a variant's text at a line boundary so that text plus marker fits `room` tokens. The tail, from the source
 * offset where the kept output stops, becomes one elided range; in reversible output its marker carries an id (the
 * original is the source's own tail, so expanding the marker restores it), and the marker stays even past `room`.
 */
export function truncatedVariant(
  v: Variant,
  room: number,
  count: (text: string) => number,
  source: string,
  reversible: boolean,
  scope = '',
  tool?: string,
  /** Code: the marker names the first functions the tail declares. */
  code = false,
): Variant {
  const lines = v.text.split('\n');
  const lengthOf = (kept: number) => (kept > 0 ? lines.slice(0, kept).join('\n').length : 0);
  /** The output up to `length` characters, then the marker; `kept` whole lines (a line cut inside counts as left). */
  const build = (kept: number, length = lengthOf(kept)) => {
    const cut = cutSegments(v.segments, length);
    const original = source.slice(cut.cutAt);
    const plain = `\n… [truncated: ${lines.length - kept} more lines]`;
    const spec = () => ({
      id: elisionId(original, cut.cutAt, undefined, scope),
      ...lineRange(source, cut.cutAt, source.length),
      verb: 'truncated' as const,
      ...(tool ? { tool } : {}),
      ...(code ? { names: declaredNames(original) } : {}),
    });
    const marker = !original ? '' : reversible ? `\n… [${describeElision(spec())}]` : plain;
    const segments: Segment[] = marker
      ? [...cut.segments, { start: cut.cutAt, end: source.length, status: 'elided', replacement: marker }]
      : cut.segments;
    // Up to where the segments stop: a multi-line marker the line cut went through is left out whole.
    return { text: v.text.slice(0, cut.produced) + marker, segments };
  };
  const lo = largestFitting(lines.length - 1, (k) => count(build(k).text) <= room);
  let { text, segments } = build(lo);
  // The next line in part, at a space, comma or semicolon: one long line (compact JSON, minified code) would
  // otherwise keep nothing.
  const from = lo > 0 ? lengthOf(lo) + 1 : 0;
  const stops = [...lines[lo]!.matchAll(/[\s,;]+/g)].map((m) => from + m.index + m[0].length);
  const within = largestFitting(stops.length, (n) => n === 0 || count(build(lo, stops[n - 1]!).text) <= room);
  if (within > 0) ({ text, segments } = build(lo, stops[within - 1]!));
  let tokens = text ? count(text) : 0;
  // Reversible output keeps at least the marker: the sources above make room for it, and the model can ask for all.
  if (tokens > room && !reversible) {
    text = '';
    tokens = 0;
    segments = source.length ? [{ start: 0, end: source.length, status: 'dropped' }] : [];
  }
  return {
    level: 'truncated',
    method: `truncated:${v.method}`,
    cutFrom: v.level,
    description: `${v.description}; then cut after ${lo} lines`,
    tokens,
    loss: v.loss + (v.tokens - tokens),
    text,
    segments,
  };
}

/**
 * The segments of an output prefix of at most `outputLength` characters (a marker is kept whole or not at all):
 * `produced` output characters, and the source offset where they stop.
 */
export function cutSegments(
  segments: readonly Segment[],
  outputLength: number,
): { segments: Segment[]; produced: number; cutAt: number } {
  const out: Segment[] = [];
  let produced = 0;
  let cutAt = -1;
  for (const s of segments) {
    if (cutAt >= 0) break;
    const length = s.status === 'kept' ? s.end - s.start : s.status === 'elided' ? (s.replacement ?? '').length : 0;
    if (produced + length <= outputLength) {
      out.push({ ...s });
      produced += length;
      if (produced === outputLength && s.status !== 'dropped') cutAt = s.end;
      continue;
    }
    if (s.status === 'kept') {
      const keep = outputLength - produced;
      if (keep > 0) out.push({ start: s.start, end: s.start + keep, status: 'kept' });
      produced += Math.max(0, keep);
      cutAt = s.start + keep;
    } else {
      cutAt = s.start;
    }
  }
  if (cutAt < 0) cutAt = out.length ? out[out.length - 1]!.end : 0;
  return { segments: out, produced, cutAt };
}

/** `cutSegments`, with the rest of the source dropped (a cut of the joined text, which has no marker). */
export function cutSegmentsDropping(segments: readonly Segment[], outputLength: number): Segment[] {
  const { segments: out, cutAt } = cutSegments(segments, outputLength);
  const end = segments.length ? segments[segments.length - 1]!.end : 0;
  if (cutAt < end) out.push({ start: cutAt, end, status: 'dropped' });
  return out;
}

/** The longest prefix of `text` (by characters) that counts at most `budget` tokens. */
export function truncateToTokens(text: string, budget: number, tokenizer: Tokenizer): { text: string; tokens: number } {
  const out = text.slice(
    0,
    largestFitting(text.length, (k) => tokenizer.count(text.slice(0, k)) <= budget),
  );
  return { text: out, tokens: tokenizer.count(out) };
}

/** The largest k in [0, n] for which `fits(k)` holds, for a `fits` that is true up to some k and false after. */
export function largestFitting(n: number, fits: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

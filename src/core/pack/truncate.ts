// The last resort, once no ladder step is left: cut a source at a line boundary, leave it out, or cut the joined
// text itself. Segments follow every cut, so the savings view still maps output back to the source.
import type { Segment } from '../compressor';
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
 * Cuts a variant's text at a line boundary so that text plus marker fits `room` tokens. Segments follow: output
 * beyond the cut maps back to source offsets, which become one elided range with the marker.
 */
export function truncatedVariant(v: Variant, room: number, count: (text: string) => number): Variant {
  const lines = v.text.split('\n');
  const marker = (kept: number) => `\n… [truncated: ${lines.length - kept} more lines]`;
  const build = (kept: number) => lines.slice(0, kept).join('\n') + marker(kept);
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(build(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  let text = build(lo);
  if (count(text) > room) text = '';
  const outputCut = lo > 0 ? lines.slice(0, lo).join('\n').length : 0;
  return {
    level: 'truncated',
    method: `truncated:${v.method}`,
    cutFrom: v.level,
    description: `${v.description}; then cut after ${lo} lines`,
    tokens: text ? count(text) : 0,
    loss: v.loss + (v.tokens - (text ? count(text) : 0)),
    text,
    segments: cutSegments(v.segments, outputCut, text ? marker(lo) : ''),
  };
}

/** Segments of an output prefix of `outputLength` characters; the rest of the source is elided with `marker`. */
export function cutSegments(segments: readonly Segment[], outputLength: number, marker: string): Segment[] {
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
      cutAt = s.start + keep;
    } else {
      cutAt = s.start;
    }
  }
  const end = segments.length ? segments[segments.length - 1]!.end : 0;
  if (cutAt < 0) cutAt = out.length ? out[out.length - 1]!.end : 0;
  if (cutAt < end) {
    out.push(
      marker ? { start: cutAt, end, status: 'elided', replacement: marker } : { start: cutAt, end, status: 'dropped' },
    );
  }
  return out;
}

/** The longest prefix of `text` (by characters) that counts at most `budget` tokens. */
export function truncateToTokens(text: string, budget: number, tokenizer: Tokenizer): { text: string; tokens: number } {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tokenizer.count(text.slice(0, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const out = text.slice(0, lo);
  return { text: out, tokens: tokenizer.count(out) };
}

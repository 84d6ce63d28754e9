// Every level is a set of edits on the source (drop a range, or replace it with a marker). Keeping levels as
// edits in source offsets gives the webview its kept/dropped/elided segments for free, and makes "each level
// is a reduction of the previous" a property of the edit sets (each level's edits cover the previous ones).
import type { Segment } from '../compressor';

export interface Edit {
  start: number;
  end: number;
  /** '' drops the range; anything else elides it with this marker. */
  replacement: string;
}

/**
 * Union of two sorted, non-overlapping edit lists. An edit inside another is absorbed by the outer one; partial
 * overlaps (rare: a dropped comment reaching into an elided body) become one edit over both ranges with the
 * marker of the later level, so nothing either level removed comes back.
 */
export function mergeEdits(base: readonly Edit[], added: readonly Edit[]): Edit[] {
  const all = [...base.map((e) => ({ e, later: false })), ...added.map((e) => ({ e, later: true }))];
  all.sort((a, b) => a.e.start - b.e.start || b.e.end - a.e.end || Number(b.later) - Number(a.later));
  const out: Edit[] = [];
  let lastLater = false;
  for (const { e, later } of all) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) {
      if (e.end <= last.end) {
        continue; // enclosed
      }
      const replacement = later || !lastLater ? e.replacement || last.replacement : last.replacement;
      out[out.length - 1] = { start: last.start, end: e.end, replacement };
      lastLater = lastLater || later;
      continue;
    }
    // Zero-width edits that only drop are meaningless.
    if (e.start === e.end && e.replacement === '') {
      continue;
    }
    out.push({ ...e });
    lastLater = later;
  }
  return out;
}

export interface Rendered {
  text: string;
  segments: Segment[];
}

/** Applies sorted, non-overlapping edits and describes the result as segments covering the source. */
export function render(source: string, edits: readonly Edit[]): Rendered {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let pos = 0;
  const keep = (end: number) => {
    if (end > pos) {
      parts.push(source.slice(pos, end));
      const last = segments[segments.length - 1];
      if (last && last.status === 'kept' && last.end === pos) {
        last.end = end;
      } else {
        segments.push({ start: pos, end, status: 'kept' });
      }
      pos = end;
    }
  };
  for (const e of edits) {
    keep(e.start);
    if (e.replacement) {
      parts.push(e.replacement);
      segments.push({ start: e.start, end: e.end, status: 'elided', replacement: e.replacement });
    } else if (e.end > e.start) {
      segments.push({ start: e.start, end: e.end, status: 'dropped' });
    }
    pos = Math.max(pos, e.end);
  }
  keep(source.length);
  return { text: parts.join(''), segments };
}

// { ( [ :
const OPENERS = new Set([123, 40, 91, 58]);

const isHorizontalSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;

/**
 * Whitespace normalisation on the text that survives `edits`: trailing spaces dropped, runs of blank lines
 * collapsed to one, leading blank lines dropped. Returns extra drop edits (source offsets) within kept text.
 * Markers count as content. Works on the output as it would read, so a blank line left by a dropped comment
 * is caught too. Trailing whitespace inside multi-line strings is also trimmed: a deliberate trade-off.
 */
export function whitespaceEdits(source: string, edits: readonly Edit[], options: { openers?: boolean } = {}): Edit[] {
  // In prose a line ending in ':' is followed by a paragraph break that matters; only code drops those lines.
  const openers = options.openers ?? true;
  const out: Edit[] = [];
  // Kept whitespace on the current output line since its last content: [start, end) source ranges.
  let pendingWs: Array<[number, number]> = [];
  let lineHasContent = false;
  let previousLineBlank = true; // true at the start: leading blank lines go
  let afterOpener = false;
  let lastContent = 0;
  let keptBlankNewline = -1; // newline of the one blank line kept after content, while nothing follows it
  const addWs = (i: number) => {
    const last = pendingWs[pendingWs.length - 1];
    if (last && last[1] === i) {
      last[1] = i + 1;
    } else {
      pendingWs.push([i, i + 1]);
    }
  };
  const dropPending = (extraNewlineAt?: number) => {
    for (const [s, e] of pendingWs) {
      out.push({ start: s, end: e, replacement: '' });
    }
    if (extraNewlineAt !== undefined) {
      const last = out[out.length - 1];
      if (last && last.end === extraNewlineAt) {
        last.end = extraNewlineAt + 1;
      } else {
        out.push({ start: extraNewlineAt, end: extraNewlineAt + 1, replacement: '' });
      }
    }
    pendingWs = [];
  };
  const scan = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = source.charCodeAt(i);
      if (c === 10) {
        // A blank line right after an opener (`{`, `(`, `[`, Python's `:`) only separates it from its first
        // line, often a docstring or comment that a level removed.
        const dropWholeLine = !lineHasContent && (previousLineBlank || (openers && afterOpener));
        if (!dropWholeLine) {
          // A '\r' right before the newline belongs to the line break, not to trailing space.
          const last = pendingWs[pendingWs.length - 1];
          if (last && last[1] === i && source.charCodeAt(i - 1) === 13) {
            last[1] = i - 1;
            if (last[1] === last[0]) pendingWs.pop();
          }
        }
        // A second blank line in a row (or a leading one) goes whole, newline included.
        dropPending(dropWholeLine ? i : undefined);
        if (!lineHasContent && !dropWholeLine) keptBlankNewline = i;
        if (lineHasContent) keptBlankNewline = -1;
        if (lineHasContent) afterOpener = OPENERS.has(lastContent);
        previousLineBlank = !lineHasContent;
        lineHasContent = false;
      } else if (isHorizontalSpace(c) || c === 13) {
        addWs(i);
      } else {
        pendingWs = [];
        lineHasContent = true;
        lastContent = c;
      }
    }
  };
  let pos = 0;
  for (const e of edits) {
    scan(pos, e.start);
    if (e.replacement) {
      // A marker is content; a marker ending in a newline ends the line.
      pendingWs = [];
      keptBlankNewline = -1;
      lastContent = e.replacement.trimEnd().charCodeAt(e.replacement.trimEnd().length - 1);
      lineHasContent = !e.replacement.endsWith('\n');
      if (!lineHasContent) afterOpener = false;
      if (!lineHasContent) previousLineBlank = false;
    }
    pos = Math.max(pos, e.end);
  }
  scan(pos, source.length);
  // Trailing whitespace at the very end, and a blank line with nothing after it.
  dropPending();
  if (keptBlankNewline >= 0 && !lineHasContent) {
    out.push({ start: keptBlankNewline, end: keptBlankNewline + 1, replacement: '' });
  }
  return mergeAdjacent(out.sort((a, b) => a.start - b.start));
}

function mergeAdjacent(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && !last.replacement && !e.replacement && last.end >= e.start) {
      last.end = Math.max(last.end, e.end);
    } else {
      out.push(e);
    }
  }
  return out;
}

/** Range of a whole-line construct: widened over its line's indentation and line break when alone there. */
export function widenToLines(source: string, start: number, end: number): [number, number] {
  let s = start;
  while (s > 0 && isHorizontalSpace(source.charCodeAt(s - 1))) s--;
  const atLineStart = s === 0 || source.charCodeAt(s - 1) === 10;
  // Some grammars (Rust line comments) include the line break in the node.
  if (end > start && source.charCodeAt(end - 1) === 10) {
    return [atLineStart ? s : start, end];
  }
  let e = end;
  while (e < source.length && (isHorizontalSpace(source.charCodeAt(e)) || source.charCodeAt(e) === 13)) e++;
  const atLineEnd = e >= source.length || source.charCodeAt(e) === 10;
  if (atLineStart && atLineEnd) {
    return [s, Math.min(source.length, e + 1)];
  }
  if (atLineEnd) {
    // Trailing construct (e.g. `x = 1  // note`): take the space before it, keep the line break.
    return [s, e];
  }
  return [start, end];
}

/** Leading whitespace of the line containing `offset`. */
export function indentationAt(source: string, offset: number): string {
  let s = offset;
  while (s > 0 && source.charCodeAt(s - 1) !== 10) s--;
  let e = s;
  while (e < source.length && isHorizontalSpace(source.charCodeAt(e))) e++;
  return source.slice(s, e);
}

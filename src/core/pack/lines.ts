// Below the floor, by lines: when even a source's most compressed level does not fit, its most valuable lines are
// kept (declarations, headings, errors, what the question is about) instead of its top, and each run of left-out
// lines becomes one marker with a count.
import { identifierWords } from '../identifiers';
import { Bm25Index, identifierTerms } from '../search/bm25';
import { render, type Edit } from '../structural/edits';
import type { LevelOutput } from '../structural/index';
import { commentStyle, reversibleEdits } from '../structural/reversible';
import type { FillOptions } from './fill';
import { idScope } from './ladder';
import { largestFitting } from './truncate';
import type { SourceState, Variant } from './types';

/** Tokens of value a unit has for being whole at all: of two units with equal value per token, the smaller opens first. */
export const UNIT_BONUS = 12;
/** A unit the question is about is worth up to this many times more (BM25, relative to the best-scoring unit). */
export const RELEVANCE_FACTOR = 4;
/** Earlier units are worth slightly more (a file's top says what it is about). */
export const POSITION_FACTOR = 0.2;

/** The edits of a sorted, non-overlapping list that lie inside [start, end). */
export function within(edits: readonly Edit[], start: number, end: number): Edit[] {
  let lo = 0;
  let hi = edits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edits[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: Edit[] = [];
  for (let i = lo; i < edits.length && edits[i]!.start < end; i++) {
    if (edits[i]!.end <= end) out.push(edits[i]!);
  }
  return out;
}

/** One line standing for `lines` left-out lines, in the source's comment syntax: `  // … 37 lines`. */
export function lineMarker(
  style: ReturnType<typeof commentStyle>,
  lines: number,
  indent: string,
  similar: boolean,
): string {
  const what = `… ${lines}${similar ? ' similar' : ''} line${lines === 1 ? '' : 's'}`;
  if (style.line) return `${indent}${style.line} ${what}\n`;
  if (style.block) return `${indent}${style.block[0]} ${what} ${style.block[1]}\n`;
  return `${indent}[${what}]\n`;
}

/** A line longer than this (characters) in prose is split into sentences for the selection. */
const LONG_LINE = 160;
const SENTENCE_END = /[.!?](?=\s)\s*|[。！？]\s*/g;
/** With protectIdentifiers: a line is worth this much more per identifier in it, up to PROTECT_MAX of them. */
const PROTECT_FACTOR = 0.25;
const PROTECT_MAX = 4;
/** Lines tried one by one after the longest fitting prefix of the ranking. */
const EXTRA_TRIES = 24;

/** A source line (or a sentence of a long prose line), widened so that no floor edit is split between two. */
interface LineUnit {
  start: number;
  end: number;
  /** As the floor level shows it (its edits applied). */
  shown: string;
  lines: number;
  cost: number;
  ratio: number;
  kept: boolean;
  /** Prose only: the unit is kept up to this source offset, the rest joins the next marker. */
  cut?: number;
}

interface Selection {
  text: string;
  segments: Variant['segments'];
  tokens: number;
  kept: number;
}

/** Lines that differ only in numbers, ids and quoted values (a log's repeated events): two or more, one shape. */
function similarLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length < 2) return false;
  const shape = (l: string) =>
    l
      .replace(/"[^"]*"|'[^']*'/g, '"…"')
      .replace(/\b[0-9a-f]{6,}\b/gi, '#')
      .replace(/\d+/g, '#')
      .trim();
  const first = shape(lines[0]!);
  return lines.every((l) => shape(l) === first);
}

/** Weight of a line by what it says: declarations, headings, errors and stack frames above the rest. */
function lineWeight(line: string): number {
  if (/\b(fatal|panic|error|exception|failed|failure|traceback)\b/i.test(line)) return 4;
  // Headings, a diff's file and hunk headers, a table's header row (kubectl's NAME  READY  STATUS).
  if (
    /^\s*#{1,6}\s|^(diff --git|@@ |\+\+\+ |--- )/.test(line) ||
    /^[A-Z][A-Z_ ]*[A-Z](\s{2,}[A-Z][A-Z_ ]*)+\s*$/.test(line)
  ) {
    return 3;
  }
  if (/\bwarn(ing)?\b/i.test(line)) return 2;
  // A diff's changed lines.
  if (/^[+-](?![+-]{2} )/.test(line)) return 1.5;
  if (
    /^\s*(?:export\s+|pub(?:\([^)]*\))?\s+|public\s+|async\s+|static\s+|abstract\s+)*(?:class|interface|struct|enum|trait|impl|type|def|fn|func|function|module|namespace)\b/.test(
      line,
    ) ||
    /^\s*[\w$.]+\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>)/.test(line)
  ) {
    return 2;
  }
  if (/^\s+(at |File ")/.test(line)) return 1.5;
  if (/^\s*[}\])]*[;,]?\s*$/.test(line)) return 0.05;
  return 1;
}

/** The source cut into line units over the floor level's edits; long prose lines into sentences. */
function lineUnits(s: SourceState, floorEdits: readonly Edit[]): LineUnit[] {
  const text = s.source.text;
  const units: LineUnit[] = [];
  let e = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start) + 1 || text.length;
    for (;;) {
      while (e < floorEdits.length && floorEdits[e]!.end <= start) e++;
      let grown = false;
      for (let i = e; i < floorEdits.length && floorEdits[i]!.start < end; i++) {
        if (floorEdits[i]!.end > end) {
          end = text.indexOf('\n', floorEdits[i]!.end - 1) + 1 || text.length;
          grown = true;
        }
      }
      if (!grown) break;
    }
    const cuts = [start];
    if (s.analysis?.kind === 'prose' && end - start > LONG_LINE) {
      for (const m of text.slice(start, end).matchAll(SENTENCE_END)) {
        const at = start + m.index + m[0].length;
        if (at < end - 1 && !floorEdits.some((x) => x.start < at && x.end > at)) cuts.push(at);
      }
    }
    cuts.push(end);
    for (let c = 0; c + 1 < cuts.length; c++) {
      const [from, to] = [cuts[c]!, cuts[c + 1]!];
      const inside = within(floorEdits, from, to).map((x) => ({ ...x, start: x.start - from, end: x.end - from }));
      const shown = render(text.slice(from, to), inside).text;
      const lines = text.slice(from, to).split('\n').length - 1 + (to === text.length && text[to - 1] !== '\n' ? 1 : 0);
      units.push({
        start: from,
        end: to,
        shown,
        lines,
        cost: shown.trim() ? s.count(shown) : 0,
        ratio: 0,
        kept: false,
      });
    }
    start = end;
  }
  return units;
}

/** Value per token of each unit (what the line says, the question's relevance, its position); the ranking. */
function rankLines(units: LineUnit[], textLength: number, options: FillOptions): number[] {
  const terms = options.question ? identifierTerms(options.question) : [];
  const scores = terms.length ? new Bm25Index(units.map((u) => identifierTerms(u.shown))).score(terms) : [];
  const top = Math.max(0, ...scores);
  for (const [i, u] of units.entries()) {
    if (!u.shown.trim()) continue;
    const relevance = top > 0 ? 1 + (RELEVANCE_FACTOR * scores[i]!) / top : 1;
    const position = 1 + POSITION_FACTOR * (1 - u.start / Math.max(1, textLength));
    const ids = options.protectIdentifiers
      ? 1 + PROTECT_FACTOR * Math.min(PROTECT_MAX, identifierWords(u.shown).length)
      : 1;
    u.ratio = (lineWeight(u.shown) * relevance * position * ids * (u.cost + UNIT_BONUS)) / Math.max(0.5, u.cost);
  }
  return units
    .map((_, i) => i)
    .filter((i) => units[i]!.shown.trim())
    .sort((a, b) => units[b]!.ratio - units[a]!.ratio || a - b);
}

/** The text with the kept units as the floor shows them and one marker per run of the others. */
function renderSelection(
  s: SourceState,
  units: readonly LineUnit[],
  floorEdits: readonly Edit[],
  options: FillOptions,
): Selection {
  const text = s.source.text;
  const style = commentStyle(s.analysis?.languageId);
  const edits: Edit[] = [];
  let run: { start: number; end: number; lines: number } | undefined;
  const flush = () => {
    if (!run) return;
    const indent = /^[ \t]*/.exec(text.slice(run.start))![0];
    // Whole lines get a line marker with their count; sentences inside a line an inline one.
    const whole =
      (run.start === 0 || text[run.start - 1] === '\n') && (run.end === text.length || text[run.end - 1] === '\n');
    const inline = `${/\s/.test(text[run.start] ?? '') ? ' ' : ''}[…]${text[run.end - 1] === '\n' ? '\n' : ' '}`;
    const replacement = options.reversible
      ? ''
      : whole
        ? lineMarker(style, Math.max(1, run.lines), indent, similarLines(text.slice(run.start, run.end)))
        : inline;
    edits.push({ start: run.start, end: run.end, replacement });
    run = undefined;
  };
  for (const u of units) {
    if (u.kept) {
      flush();
      edits.push(...within(floorEdits, u.start, u.end));
      continue;
    }
    if (u.cut !== undefined) {
      flush();
      edits.push(...within(floorEdits, u.start, u.cut));
      run = { start: u.cut, end: u.end, lines: u.lines };
      continue;
    }
    // The count is of the source's lines: what the marker stands for.
    if (run) {
      run.end = u.end;
      run.lines += u.lines;
    } else run = { start: u.start, end: u.end, lines: u.lines };
  }
  flush();
  const final = options.reversible ? reversibleEdits(text, edits, style, idScope(s), options.expandTool) : edits;
  const out = render(text, final);
  return { ...out, tokens: out.text ? s.count(out.text) : 0, kept: units.filter((u) => u.kept).length };
}

/** Keeps the longest prefix of the ranking that fits (exact counts, a binary search), then what still fits of the rest. */
function chooseLines(units: LineUnit[], order: readonly number[], room: number, build: () => Selection): Selection {
  const keepFirst = (k: number) => order.forEach((i, rank) => (units[i]!.kept = rank < k));
  const lo = largestFitting(order.length, (k) => {
    keepFirst(k);
    return build().tokens <= room;
  });
  keepFirst(lo);
  let result = build();
  let tries = 0;
  for (const i of order.slice(lo + 1)) {
    if (tries >= EXTRA_TRIES || result.tokens + units[i]!.cost > room) continue;
    tries++;
    units[i]!.kept = true;
    const next = build();
    if (next.tokens <= room) result = next;
    else units[i]!.kept = false;
  }
  if (result.tokens > room) {
    keepFirst(0);
    result = build();
  }
  return result;
}

/**
 * Prose: the best sentence that did not fit whole goes in up to the word where the room ends; with
 * `protectIdentifiers`, not before its last identifier (the sentence is left out rather than cut through its ids).
 */
function cutNextSentence(
  text: string,
  unit: LineUnit,
  floorEdits: readonly Edit[],
  room: number,
  build: () => Selection,
  protect: boolean,
): Selection | undefined {
  const ids = protect ? identifierWords(text.slice(unit.start, unit.end)) : [];
  const earliest = unit.start + (ids.length ? ids[ids.length - 1]!.end : 0);
  const words = [...text.slice(unit.start, unit.end).matchAll(/\s+|(?<=[\u3000-\u9fff\uff00-\uffef])/g)]
    .map((m) => unit.start + m.index)
    .filter((at) => at > unit.start && at >= earliest && !floorEdits.some((x) => x.start < at && x.end > at));
  const lo = largestFitting(words.length, (k) => {
    unit.cut = words[k - 1]!;
    return k === 0 || build().tokens <= room;
  });
  if (lo > 0) {
    unit.cut = words[lo - 1]!;
    return build();
  }
  delete unit.cut;
  return undefined;
}

/**
 * Below the floor (the most compressed level does not fit `room`): keeps the most valuable lines of that level — its
 * declarations, headings, error lines, the lines the question is about — instead of its top, and puts one marker
 * with a count in place of each run of left-out lines. Undefined for input where a line marker would break the
 * format (JSON).
 */
export function selectedLines(s: SourceState, room: number, options: FillOptions = {}): Variant | undefined {
  if (!s.analysis || s.analysis.kind === 'json') return undefined;
  const prose = s.analysis.kind === 'prose' || s.analysis.kind === 'fallback';
  // Lines are chosen from the signatures level (every declaration, its body elided), not the outline: the outline
  // drops statements, and some code declares its API in statements (`res.send = function send(body) {…}`). Prose
  // from its normalised text: every sentence is a candidate, not only each paragraph's first.
  const levels: readonly LevelOutput[] = s.analysis.levels;
  const floor = levels[Math.min(s.analysis.kind === 'prose' ? 1 : 2, levels.length - 1)];
  const floorEdits = floor?.edits ?? [];
  const units = lineUnits(s, floorEdits);
  const order = rankLines(units, s.source.text.length, options);
  const build = () => renderSelection(s, units, floorEdits, options);
  let result = chooseLines(units, order, room, build);
  // Code keeps whole lines, unless none fit: then the best one goes in by its first words rather than nothing.
  const next = prose || result.kept === 0 ? order.find((i) => !units[i]!.kept) : undefined;
  if (next !== undefined) {
    const protect = !!options.protectIdentifiers;
    result = cutNextSentence(s.source.text, units[next]!, floorEdits, room, build, protect) ?? result;
  }
  const base = s.variants[s.chosen]!;
  // Prose is chosen sentence by sentence (a long line is cut into its sentences).
  const kind = s.analysis.kind === 'prose' ? 'sentences' : 'lines';
  return {
    level: 'selected',
    method: `selected:${floor?.method ?? base.method}`,
    cutFrom: floor?.level ?? base.level,
    description: `the most important ${result.kept} of ${order.length} ${kind}`,
    tokens: result.tokens,
    loss: base.loss + (base.tokens - result.tokens),
    text: result.text,
    segments: result.segments,
    units: [{ kind, kept: result.kept, total: order.length, forQuestion: 0 }],
  };
}

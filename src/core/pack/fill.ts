// Filling the budget unit by unit. A structural level removes many units at once (every function body, every
// comment), and the plan picks one level per source, which leaves the budget empty between two levels. Each level's
// edits cover the previous level's, so the levels form a tree: an edit of level k encloses the edits of level k-1 in
// its range. Opening a unit puts its children's edits in place of its own (a function body comes back with its
// comments still removed; opening those brings them back too). After the plan, the fill opens units across all
// sources, best value per token first, until the room the plan left is spent.
import { Bm25Index, identifierTerms } from '../search/bm25';
import { mergeEdits, render, type Edit } from '../structural/edits';
import type { LevelOutput } from '../structural/index';
import { jsonChildren, skipSpace, type JsonChild } from '../structural/jsonScan';
import { commentStyle, reversibleEdits } from '../structural/reversible';
import { LOSS, idScope, joinedTokens } from './ladder';
import { PRIORITY_FACTOR } from './plan';
import { POSITION_FACTOR, RELEVANCE_FACTOR, UNIT_BONUS, lineMarker, selectedLines, within } from './lines';
import { largestFitting } from './truncate';
import type { SourceState, UnitCount, Variant } from './types';

/** Exported or public declarations are worth more than private helpers. */
const PUBLIC_FACTOR = 1.5;
const PRIVATE_FACTOR = 0.7;
/** A unit that names a relevant unit, or is named by one (calls, callers), gets this share of the relevance. */
const NEIGHBOUR_SHARE = 0.4;
/** Fill passes at most: each measures the rendered text and spends what is left on the units skipped. */
const FILL_PASSES = 4;

interface Unit {
  state: SourceState;
  edit: Edit;
  /** The method of the level that made this edit (what kind of thing it removes). */
  method: string;
  /** That level's index in the analysis. */
  level: number;
  children: Unit[];
  cost: number;
  ratio: number;
  open: boolean;
  /** Whitespace only, or nothing to gain: never opened. */
  inert: boolean;
  /** Inside a range the context shows whole elsewhere (PackSource.shown): never opened, and not the source's whole. */
  shown?: boolean;
  /** Opened because the question is about it. */
  relevant: boolean;
  /** Opened in part: kept up to this source offset; the rest, but its last line, is one marker. */
  cut?: number;
}

export interface FillOptions {
  reversible?: boolean;
  /** With `reversible`: the expand tool's name that markers write (see MarkerSpec.tool). */
  expandTool?: string;
  question?: string;
  /** Lines with identifiers rank higher in the line selection, and no identifier is cut out of a kept line. */
  protectIdentifiers?: boolean;
}

/** Which units a kind of level removes, in words (the surfaces word the counts). */
export const UNIT_KINDS: Readonly<Record<string, string>> = {
  'structural:no-comments': 'comments',
  'structural:signatures': 'function bodies',
  'structural:outline': 'statements',
  'json:compact': 'whitespace runs',
  'json:sampled': 'items',
  'json:keys': 'values',
  'prose:normalised': 'comments',
  'prose:first-sentences': 'paragraphs',
  'prose:section-leads': 'sections',
  'fallback:normalised': 'repeated lines',
  'diff:changes': 'unchanged runs',
  'diff:headers': 'hunks',
};

/**
 * One allocation for every source the plan left on a structural level: each goes down to its floor (the
 * most compressed level), then units are opened across all of them, best value per token first, within `target`
 * (the plan's budget for the joined sources, separators and headers included). Sources on a model's rung, cut or
 * left out keep what the plan gave them. Sets `s.filled`. Deterministic.
 */
export function fillUnits(
  states: readonly SourceState[],
  target: number,
  separatorTokens: number,
  options: FillOptions = {},
): void {
  const lowered = new Set<SourceState>();
  for (const s of states) {
    delete s.filled;
    delete s.closed;
    const floor = floorOf(s);
    // A source the plan kept whole stays whole (a selection is what the user pointed at).
    if (!s.final && floor > s.chosen && s.chosen > 0 && s.variants[s.chosen]!.analysisLevel !== undefined) {
      s.chosen = floor;
      lowered.add(s);
    }
  }
  let room = target - joinedTokens(states, separatorTokens);

  const roots = new Map<SourceState, Unit[]>();
  for (const s of states) {
    const v = s.variants[s.chosen]!;
    if (s.final || !s.analysis || v.analysisLevel === undefined || v.analysisLevel < 1) continue;
    // Reversible output replaces each closed unit by a marker with its lines and expand call (~19 tokens), and
    // keeps a unit too small to be worth one: the units' costs are counted in that output, not in the plain one.
    const markers = options.reversible
      ? {
          style: commentStyle(s.analysis.languageId),
          scope: idScope(s),
          ...(options.expandTool ? { tool: options.expandTool } : {}),
        }
      : undefined;
    roots.set(s, buildUnits(s, s.analysis.levels, v.analysisLevel, markers));
  }
  if (roots.size === 0) return;
  const flat = (us: readonly Unit[]): Unit[] => us.flatMap((u) => [u, ...flat(u.children)]);
  const all = flat([...roots.values()].flat());
  for (const u of all) {
    const shown = u.state.source.shown;
    if (shown?.some((r) => r.start <= u.edit.start && u.edit.end <= r.end)) u.inert = u.shown = true;
  }
  const relevance = relevanceOf(all, options.question);
  for (const u of all) {
    const s = u.state;
    const text = s.source.text;
    const weight =
      (LOSS[u.method] ?? 0.5) *
      PRIORITY_FACTOR ** s.rank *
      kindFactor(text, u.edit.start) *
      (1 + POSITION_FACTOR * (1 - u.edit.start / Math.max(1, text.length))) *
      (relevance.get(u) ?? 1);
    u.relevant = (relevance.get(u) ?? 1) > 1 + NEIGHBOUR_SHARE * RELEVANCE_FACTOR;
    u.ratio = (weight * (Math.max(0, u.cost) + UNIT_BONUS)) / Math.max(0.5, u.cost);
  }

  const heap = new MaxHeap<Unit>(unitBefore);
  for (const us of roots.values()) for (const u of us) if (!u.inert) heap.push(u);
  const opened: Unit[] = [];
  /** Renders every filled source; the tokens they add to the plan. */
  const measure = (): number => {
    let used = 0;
    for (const [s, us] of roots) {
      if (us.some((u) => u.open) || lowered.has(s)) {
        s.filled = filledVariant(s, us, options.reversible === true, options.expandTool);
        used += s.filled.tokens - s.variants[s.chosen]!.tokens;
      } else delete s.filled;
    }
    return used;
  };
  // Costs are counted unit by unit, and the rendered text whole; they differ (reversible markers split and join).
  // Each pass opens what its estimate allows, then measures: room left over goes to the units skipped, at the ratio
  // of measured to estimated tokens that pass saw.
  let estimate = room;
  let used = 0;
  for (let pass = 0; pass < FILL_PASSES; pass++) {
    const skipped: Unit[] = [];
    let estimated = 0;
    for (let u = heap.pop(); u; u = heap.pop()) {
      if (u.cost > estimate) {
        skipped.push(u);
        continue;
      }
      u.open = true;
      opened.push(u);
      estimate -= u.cost;
      estimated += u.cost;
      for (const c of u.children) if (!c.inert) heap.push(c);
    }
    const before = used;
    used = measure();
    const left = room - used;
    if (left < 0 || skipped.length === 0 || left < Math.max(8, 0.02 * room)) break;
    const ratio = Math.min(4, Math.max(0.25, (used - before) / Math.max(1, estimated)));
    estimate = left / ratio;
    for (const u of skipped) heap.push(u);
  }
  // While the whole is over, close the units opened last (a unit's descendants were opened after it, so they close
  // first).
  for (let round = 0; used > room && opened.length > 0; round++) {
    let over = round >= 8 ? Infinity : used - room;
    while (over > 0 && opened.length) {
      const u = opened.pop()!;
      u.open = false;
      over -= Math.max(1, u.cost);
    }
    used = measure();
  }
  // What is left is smaller than every unit still closed: the most valuable of them goes in by its first lines.
  if (room - used >= Math.max(PARTIAL_MIN, PARTIAL_SHARE * target)) used = openPartly(roots, room, used, measure);
  // Nothing left to close (a plan already over its target stays as the plan made it).
  room -= used;
  // JSON levels cut every array or every value at once, a diff's every hunk, prose every paragraph after its first
  // sentence: whole members, or lines and sentences, chosen one by one may fill more.
  for (const s of roots.keys()) {
    const kind = s.analysis?.kind;
    if ((kind !== 'json' && kind !== 'diff' && kind !== 'prose') || room <= 0) continue;
    const current = s.filled ?? s.variants[s.chosen]!;
    const members =
      kind === 'json'
        ? selectedMembers(s, current.tokens + room, options)
        : selectedLines(s, current.tokens + room, options);
    if (members && members.tokens > current.tokens && members.tokens <= current.tokens + room) {
      // Every entry kept: that is a level of its own (compact JSON), and says so.
      const all = members.units?.every((u) => u.kept === u.total);
      const level = all ? s.variants.find((v) => v.method === 'json:compact' && v.tokens <= members.tokens) : undefined;
      const chosen = level ?? members;
      room -= chosen.tokens - current.tokens;
      s.filled = chosen;
    }
  }
  // The plan's reason spoke of its level; a filled source says what it holds now, an unopened one how many it left.
  for (const [s, us] of roots) {
    if (s.filled) s.reason = `${s.filled.level} (${s.filled.description}): filled unit by unit within the budget`;
    else s.closed = closedCounts(us);
  }
}

/** Room left (tokens, and share of the target) worth opening a unit in part for. */
const PARTIAL_MIN = 24;
const PARTIAL_SHARE = 0.03;
/** Units tried for a partial opening, best value per token first. */
const PARTIAL_TRIES = 3;

/**
 * Opens one closed unit in part: its first lines up to the room left, the rest (but its last line, which closes
 * it) one marker. Tries the few most valuable closed units whose parent is open; keeps the first that adds.
 */
function openPartly(
  roots: ReadonlyMap<SourceState, Unit[]>,
  room: number,
  used: number,
  measure: () => number,
): number {
  const reachable: Unit[] = [];
  const walk = (u: Unit) => {
    if (u.inert) return;
    if (!u.open) reachable.push(u);
    else u.children.forEach(walk);
  };
  for (const us of roots.values()) us.forEach(walk);
  reachable.sort((a, b) => (unitBefore(a, b) ? -1 : 1));
  for (const u of reachable.slice(0, PARTIAL_TRIES)) {
    const cuts = partialCuts(u);
    if (cuts.length === 0) continue;
    u.open = true;
    const k = largestFitting(cuts.length, (n) => {
      if (n === 0) return true;
      u.cut = cuts[n - 1]!;
      return measure() <= room;
    });
    if (k > 0) {
      u.cut = cuts[k - 1]!;
      const now = measure();
      if (now > used && now <= room) return now;
    }
    u.open = false;
    delete u.cut;
    used = measure();
  }
  return used;
}

/** Where a unit's last line starts: the line a partly opened unit keeps to close it (a brace, `end`). */
function closingLine(u: Unit): number {
  return u.state.source.text.lastIndexOf('\n', u.edit.end - 2) + 1;
}

/**
 * Where a unit may be cut, in source offsets: the starts of its lines after its first and before its last, where
 * no child's edit is split and the last line holds none (it stays to close the unit).
 */
function partialCuts(u: Unit): number[] {
  const text = u.state.source.text;
  const { start } = u.edit;
  const last = closingLine(u);
  if (last <= start || u.children.some((c) => c.edit.end > last)) return [];
  const out: number[] = [];
  for (let at = text.indexOf('\n', start) + 1; at > 0 && at < last; at = text.indexOf('\n', at) + 1) {
    if (!u.children.some((c) => c.edit.start < at && c.edit.end > at)) out.push(at);
  }
  return out.length >= 2 ? out : [];
}

/** Index of the most compressed structural level among a source's variants; 0 when it has none. */
function floorOf(s: SourceState): number {
  let floor = 0;
  for (const [i, v] of s.variants.entries()) {
    if ((v.analysisLevel ?? -1) > (s.variants[floor]!.analysisLevel ?? -1)) floor = i;
  }
  return s.variants[floor]!.analysisLevel === undefined ? 0 : floor;
}

/** How reversible output writes markers for a source (see reversibleEdits). */
interface MarkerStyle {
  style: ReturnType<typeof commentStyle>;
  scope: string;
  tool?: string;
}

function buildUnits(s: SourceState, levels: readonly LevelOutput[], k: number, markers?: MarkerStyle): Unit[] {
  const text = s.source.text;
  const make = (edit: Edit, j: number): Unit => {
    const inside = j > 1 ? within(levels[j - 1]!.edits, edit.start, edit.end) : [];
    // The same edit on the level below (a body an outline keeps elided): the unit belongs to that level.
    const same = inside.length === 1 && inside[0]!.start === edit.start && inside[0]!.end === edit.end;
    if (same && inside[0]!.replacement === edit.replacement) return make(inside[0]!, j - 1);
    const children = inside.map((e) => make(e, j - 1));
    const region = text.slice(edit.start, edit.end);
    const relative = children.map((c) => ({
      ...c.edit,
      start: c.edit.start - edit.start,
      end: c.edit.end - edit.start,
    }));
    const opened = render(region, relative).text;
    const cost = markers
      ? reversibleCost(s, text, edit, region, relative, markers)
      : s.count(opened) - s.count(edit.replacement);
    return {
      state: s,
      edit,
      method: levels[j]!.method,
      level: j,
      children,
      cost,
      ratio: 0,
      open: false,
      inert: region.trim() === '' || opened === edit.replacement,
      relevant: false,
    };
  };
  return levels[k]!.edits.map((e) => make(e, k));
}

/**
 * What opening a unit costs in reversible output: its region with its children's markers (those worth one) less
 * its own marker. Line numbers in the children's markers are the region's own: a digit or two off, which the
 * fill's exact count of the whole text corrects.
 */
function reversibleCost(
  s: SourceState,
  text: string,
  edit: Edit,
  region: string,
  children: readonly Edit[],
  m: MarkerStyle,
): number {
  const opened = s.count(render(region, reversibleEdits(region, children, m.style, m.scope, m.tool)).text);
  const own = reversibleEdits(text, [edit], m.style, m.scope, m.tool)[0]?.replacement;
  // A removal without a replacement of its own (a dropped statement) is joined to the next marker with the
  // removals around it: opening it splits that marker in two, which costs about one marker more.
  if (!edit.replacement) return opened + (own ? s.count(own) : 0);
  // Too small for a marker of its own: it may still be removed within a neighbour's, counted as removed.
  return opened - s.count(own ?? edit.replacement);
}

/** Public declarations above private ones, read off the line the unit starts on (its signature). */
function kindFactor(text: string, at: number): number {
  // At most 200 characters back (minified code has thousands of units on one line).
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const from = Math.max(lineStart, at - 200);
  const head = text.slice(from, Math.min(text.length, Math.max(at, from + 120)));
  if (/\b(export|pub|public)\b/.test(head)) return PUBLIC_FACTOR;
  const lead = from === lineStart ? head : '';
  // CommonJS exports (`module.exports.x =`, `exports.x =`, Express's `res.send = function`) and Go's capitalised
  // top-level functions, methods and types.
  if (/^(?:module\.)?exports\.\w+\s*=|^[A-Za-z_$][\w$]*\.[\w$]+\s*=\s*(?:async\s+)?function\b/.test(lead)) {
    return PUBLIC_FACTOR;
  }
  if (/^(?:func\s+(?:\([^)]*\)\s*)?|type\s+)[A-Z]/.test(lead)) return PUBLIC_FACTOR;
  if (
    /\b(private|internal)\b/.test(head) ||
    /^\s*(?:async\s+)?(?:def|fn|func|function)\s+_/.test(lead) ||
    /^(?:func\s+(?:\([^)]*\)\s*)?|type\s+)[a-z]/.test(lead)
  ) {
    return PRIVATE_FACTOR;
  }
  return 1;
}

/** Multipliers ≥ 1 for units the question is about, and a share for the units that name them or that they name. */
function relevanceOf(units: readonly Unit[], question: string | undefined): Map<Unit, number> {
  const out = new Map<Unit, number>();
  if (!question) return out;
  const query = identifierTerms(question);
  if (!query.length) return out;
  // Units shown whole elsewhere (the question's excerpts) are never opened, but they are what the question is about:
  // their callers and callees rank up.
  const candidates = units.filter((u) => !u.inert || u.shown);
  const originals = candidates.map((u) => u.state.source.text.slice(u.edit.start, u.edit.end));
  // Scored with the line it opens on (a body with its function's signature: the name is what a question names).
  const index = new Bm25Index(candidates.map((u, i) => identifierTerms(`${signatureOf(u)}\n${originals[i]}`)));
  const scores = index.score(query);
  const top = Math.max(0, ...scores);
  if (!(top > 0)) return out;
  const names = new Set<string>();
  const relevant: number[] = [];
  for (const [i, u] of candidates.entries()) {
    const share = scores[i]! / top;
    if (share <= 0) continue;
    out.set(u, 1 + RELEVANCE_FACTOR * share);
    if (share >= 0.5) {
      relevant.push(i);
      const name = declaredBefore(u);
      if (name) names.add(name);
    }
  }
  const neighbour = (u: Unit) => out.set(u, Math.max(out.get(u) ?? 1, 1 + NEIGHBOUR_SHARE * RELEVANCE_FACTOR));
  // Callers: units that name a relevant unit.
  if (names.size) {
    const re = new RegExp(`\\b(?:${[...names].map((n) => n.replace(/\$/g, '\\$')).join('|')})\\b`);
    for (const [i, u] of candidates.entries()) if (re.test(originals[i]!)) neighbour(u);
  }
  // Callees: units a relevant unit names.
  for (const [i, u] of candidates.entries()) {
    const name = declaredBefore(u);
    if (!name || out.get(u)! > 1 + NEIGHBOUR_SHARE * RELEVANCE_FACTOR) continue;
    const re = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
    if (relevant.some((r) => r !== i && re.test(originals[r]!))) neighbour(u);
  }
  return out;
}

/** The start of the line a unit's region opens on (a body's signature), at most 200 characters of it. */
function signatureOf(u: Unit): string {
  const text = u.state.source.text;
  return text.slice(Math.max(text.lastIndexOf('\n', u.edit.start - 1) + 1, u.edit.start - 200), u.edit.start);
}

/** The name a unit's declaration gives: the identifier right before its body on the signature line. */
function declaredBefore(u: Unit): string | undefined {
  const head = signatureOf(u);
  const name = /([A-Za-z_$][\w$]*)\s*(?:\([^)]*\)?[^(]*)?$/.exec(head.split('(')[0] ?? '')?.[1];
  return name && name.length > 2 ? name : undefined;
}

function filledVariant(s: SourceState, roots: readonly Unit[], reversible: boolean, tool?: string): Variant {
  const base = s.variants[s.chosen]!;
  const style = commentStyle(s.analysis?.languageId);
  const edits: Edit[] = [];
  const counts = new UnitTally();
  // The level the text stands on: the deepest level with a unit still closed.
  let effective = 0;
  // Units inside a closed one count in the totals (the same file says "of 90 comments" at every budget), not kept.
  const hidden = (u: Unit) => counts.addClosed(u);
  const visit = (u: Unit) => {
    if ((!u.inert || u.shown) && !u.open) effective = Math.max(effective, u.level);
    counts.add(u, true);
    if (!u.open) {
      edits.push(u.edit);
      u.children.forEach(hidden);
      return;
    }
    if (u.cut !== undefined) {
      const cut = u.cut;
      u.children.filter((c) => c.edit.end > cut).forEach(hidden);
      u.children.filter((c) => c.edit.end <= cut).forEach(visit);
      const last = closingLine(u);
      const lines = s.source.text.slice(cut, last).split('\n').length - 1;
      const indent = /^[ \t]*/.exec(s.source.text.slice(cut))![0];
      // Reversible output gives the removal its own marker with an id (reversibleEdits).
      edits.push({ start: cut, end: last, replacement: reversible ? '' : lineMarker(style, lines, indent, false) });
      effective = Math.max(effective, u.level);
      return;
    }
    u.children.forEach(visit);
  };
  roots.forEach(visit);
  // Every unit open: the source itself, byte for byte (whitespace a level normalised included).
  if (effective === 0) return s.variants[0]!;
  const text = s.source.text;
  const final = reversible ? reversibleEdits(text, edits, style, idScope(s), tool) : edits;
  const out = render(text, final);
  const tokens = s.count(out.text);
  const level = s.analysis!.levels[effective]!;
  // Kinds some of which came back, and the kind the level itself removes even when none did ("0 of 22 bodies").
  const own = UNIT_KINDS[level.method];
  const units = counts.list().filter((c) => (c.kept > 0 || c.partly || c.kind === own) && c.kept < c.total);
  return {
    ...base,
    level: level.level,
    method: level.method,
    description: [
      level.description,
      ...units.map((c) => `${c.kept} of ${c.total} ${c.kind} kept${c.partly ? `, ${c.partly} in part` : ''}`),
    ].join('; '),
    tokens,
    text: out.text,
    segments: out.segments,
    units,
  };
}

/** Units counted by kind: how many there are, how many kept whole, in part, and for the question. */
class UnitTally {
  private readonly counts = new Map<string, UnitCount>();
  /** Each kind's weight (what its level removes), to list the weightier kinds first. */
  private readonly weights = new Map<string, number>();

  /** Counts `u` (not inert ones); `shown`: it is in the text as it stands (not inside a closed unit). */
  add(u: Unit, shown: boolean): void {
    if (u.inert) return;
    const kind = UNIT_KINDS[u.method] ?? 'units';
    this.weights.set(kind, LOSS[u.method] ?? 0.5);
    const c = this.counts.get(kind) ?? { kind, kept: 0, total: 0, forQuestion: 0 };
    c.total++;
    if (shown && u.open && u.cut !== undefined) c.partly = (c.partly ?? 0) + 1;
    else if (shown && u.open) c.kept++;
    if (shown && u.open && u.relevant) c.forQuestion++;
    this.counts.set(kind, c);
  }

  /** Counts `u` and everything inside it as closed (totals only). */
  addClosed(u: Unit): void {
    this.add(u, false);
    u.children.forEach((c) => this.addClosed(c));
  }

  /** The kinds that carry the most first: statements, then bodies, then comments. */
  list(): UnitCount[] {
    return [...this.counts.values()].sort((a, b) => this.weights.get(b.kind)! - this.weights.get(a.kind)!);
  }
}

/** A source none of whose units opened: every kind its level removes, none of them kept ("0 of 22 function bodies"). */
function closedCounts(roots: readonly Unit[]): UnitCount[] {
  const counts = new UnitTally();
  roots.forEach((u) => counts.addClosed(u));
  return counts.list();
}

/** A binary max-heap by `before` (a comes out before b). */
class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Units by value per token; ties by source order, then position (deterministic). */
function unitBefore(a: Unit, b: Unit): boolean {
  if (a.ratio !== b.ratio) return a.ratio > b.ratio;
  if (a.state.index !== b.state.index) return a.state.index < b.state.index;
  return a.edit.start < b.edit.start;
}

/** A JSON member larger than this (characters) is opened into its own members rather than kept or left whole. */
const JSON_LEAF_CHARS = 300;

interface JsonNode {
  child: JsonChild;
  depth: number;
  /** An object or array large enough to open member by member. */
  container: boolean;
  children: JsonNode[];
  cost: number;
  ratio: number;
  open: boolean;
}

/**
 * JSON by members: the top-level object or array keeps its most valuable members (earlier ones, shallower ones,
 * array items of a shape not yet shown, those the question is about), large ones opened member by member, and each run
 * of left-out siblings becomes one entry that says how many (`"…": "12 more keys"`, `"… 37 more items"`), so the
 * output stays JSON. Whitespace goes as in the compact level. Fits `room`; undefined for input that is not JSON.
 */
export function selectedMembers(s: SourceState, room: number, options: FillOptions = {}): Variant | undefined {
  if (s.analysis?.kind !== 'json') return undefined;
  const text = s.source.text;
  const rootAt = skipSpace(text, 0);
  if (text[rootAt] !== '{' && text[rootAt] !== '[') return undefined;
  const compact = s.analysis.levels[1]?.edits ?? [];
  const shown = (start: number, end: number) =>
    render(
      text.slice(start, end),
      within(compact, start, end).map((x) => ({ ...x, start: x.start - start, end: x.end - start })),
    ).text;
  const question = options.question ? identifierTerms(options.question) : [];

  const grow = (at: number, depth: number): JsonNode[] => {
    const seen = new Set<string>();
    const kids = jsonChildren(text, at);
    return kids.map((child) => {
      const opener = text[child.valueStart];
      const container = depth < 8 && (opener === '{' || opener === '[') && child.end - child.start > JSON_LEAF_CHARS;
      const children = container ? grow(child.valueStart, depth + 1) : [];
      const cost = container
        ? s.count(text.slice(child.start, child.valueStart + 1)) + 8
        : s.count(shown(child.start, child.end));
      // Array items of a shape not shown yet are representative; repeats of a shape are worth less.
      let novelty = 1;
      if (child.key === undefined && opener === '{') {
        const shape = jsonChildren(text, child.valueStart)
          .map((c) => c.key)
          .join(',');
        novelty = seen.has(shape) ? 0.6 : 2;
        seen.add(shape);
      }
      const position = 1 + POSITION_FACTOR * 2 * (1 - child.index / Math.max(1, kids.length));
      let relevance = 1;
      if (question.length) {
        const terms = new Set(identifierTerms(text.slice(child.start, container ? child.valueStart : child.end)));
        if (question.some((t) => terms.has(t))) relevance = 1 + RELEVANCE_FACTOR;
      }
      const weight = novelty * position * relevance * 0.85 ** depth;
      return {
        child,
        depth,
        container,
        children,
        cost,
        ratio: (weight * (cost + UNIT_BONUS)) / Math.max(1, cost),
        open: false,
      };
    });
  };
  const roots = grow(rootAt, 0);

  // The order the greedy opens nodes in (a node before its members), then the longest prefix that fits.
  const order: JsonNode[] = [];
  const heap = new MaxHeap<JsonNode>(
    (a, b) => a.ratio > b.ratio || (a.ratio === b.ratio && a.child.start < b.child.start),
  );
  roots.forEach((n) => heap.push(n));
  for (let n = heap.pop(); n; n = heap.pop()) {
    order.push(n);
    if (n.container) n.children.forEach((c) => heap.push(c));
  }
  const build = () => {
    const edits: Edit[] = [];
    const close = (at: number, nodes: readonly JsonNode[]) => {
      const object = text[at] === '{';
      let run: JsonNode[] = [];
      const flush = () => {
        if (!run.length) return;
        const n = run.length;
        const what = object ? `"…": "${n} more key${n === 1 ? '' : 's'}"` : `"… ${n} more item${n === 1 ? '' : 's'}"`;
        edits.push({ start: run[0]!.child.start, end: run[run.length - 1]!.child.end, replacement: what });
        run = [];
      };
      for (const node of nodes) {
        if (!node.open) {
          run.push(node);
          continue;
        }
        flush();
        if (node.container) close(node.child.valueStart, node.children);
      }
      flush();
    };
    close(rootAt, roots);
    const all = mergeEdits(compact, edits);
    const final = options.reversible
      ? reversibleEdits(text, all, commentStyle(s.analysis?.languageId), idScope(s), options.expandTool)
      : all;
    const out = render(text, final);
    return { ...out, tokens: s.count(out.text) };
  };
  const openFirst = (k: number) => order.forEach((n, rank) => (n.open = rank < k));
  openFirst(
    largestFitting(order.length, (k) => {
      openFirst(k);
      return build().tokens <= room;
    }),
  );
  const result = build();
  const base = s.variants[s.chosen]!;
  const leaves = order.filter((n) => !n.container);
  const kept = leaves.filter((n) => n.open).length;
  return {
    level: 'selected',
    method: 'selected:json:members',
    cutFrom: base.level,
    description: `the most important ${kept} of ${leaves.length} entries`,
    tokens: result.tokens,
    loss: base.loss + Math.max(0, base.tokens - result.tokens),
    text: result.text,
    segments: result.segments,
    units: [{ kind: 'entries', kept, total: leaves.length, forQuestion: 0 }],
  };
}

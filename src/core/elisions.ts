// Reversible elisions: every region compression cuts (a body, a dropped block, a truncated tail) is replaced by a
// marker that says what it hides and how to get it back, in the source's comment syntax:
// `{ /* … lines 120–188 (retry, backoff) elided — contextBudget_expand("k3f9a2c1") */ }`. The original is kept under
// the id; a model that needs the text asks for it with the call the marker names (the reader's own expand tool), or
// reads the lines from the file. Putting each original back in place of its marker restores the input. Ids are 8
// characters: models copy long hashes badly.
import type { Segment } from './compressor';

/** Where an elided region came from: the source (a path or URI label) and its 1-based line range. */
export interface ElisionLocation {
  source: string;
  startLine: number;
  endLine: number;
}

export interface Elision {
  id: string;
  /** The text that stands in the output for the original; names the id exactly once (see MARKER_ID_RE). */
  marker: string;
  original: string;
  /** The source and lines the original came from (plans set it), for a reader whose original is gone. */
  location?: ElisionLocation;
}

/** The call a marker names when the host says none: reads as a function call in any language. */
export const DEFAULT_EXPAND_TOOL = 'expand';

/**
 * The id inside a marker: `… elided — tool("k3f9a2c1")` (in JSON strings `tool(\"k3f9a2c1\")`), or the older
 * `… #k3f9a2c1`. Ids start with a letter and have 8 characters.
 */
export const MARKER_ID_RE =
  /(?:… #|(?:elided|truncated) — [A-Za-z_][\w.]*\(\\?"|kept whole below #)([a-z][0-9a-z]{7})(?![0-9a-z])/;
const MARKER_ID_RE_G = new RegExp(MARKER_ID_RE.source, 'g');

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Stable id of an original at an offset: the same input gives the same ids, run after run. `scope` (a source's id)
 * keeps equal text at equal offsets in two sources (two files with the same licence header) apart.
 */
export function elisionId(original: string, at: number, taken?: Set<string>, scope = ''): string {
  for (let salt = 0; ; salt++) {
    const key = `${scope}\u0000${at}:${salt}:${original}`;
    const a = fnv1a(key, 2166136261);
    const b = fnv1a(key, 0x9747b28c);
    const letter = String.fromCharCode(97 + (a % 26));
    const rest = ((Math.floor(a / 26) % 0x10000) * 0x100000000 + b).toString(36).padStart(7, '0').slice(-7);
    const id = letter + rest;
    if (!taken?.has(id)) {
      taken?.add(id);
      return id;
    }
  }
}

/** What a marker says: its id, the call that expands it, the lines and the names it hides. */
export interface MarkerSpec {
  id: string;
  /** The expand tool's name, as the reader calls it (`contextBudget_expand`, `expand_elision`). */
  tool?: string;
  startLine: number;
  endLine: number;
  /** Functions, methods or types declared in the region, in order (the first few are named). */
  names?: readonly string[];
  /** "truncated" for a cut tail; "elided" otherwise. */
  verb?: 'elided' | 'truncated';
  /** The marker sits inside a JSON string: its quotes are escaped. */
  json?: boolean;
}

/**
 * The expand tool of a reader that has none but has the file (the CLI's text output, the savings view): markers still
 * name their lines and what they hide, but carry no id and no call; the reader reads the lines from the file the
 * context names (`{ /* … lines 120–188 (retry, backoff) elided *\/ }`).
 */
export const NO_EXPAND_TOOL = '(read the file)';

/** Names a marker lists at most; more read "…". */
const MAX_NAMES = 2;

/** `lines 120–188 (retry, backoff) elided — contextBudget_expand("k3f9a2c1")` */
export function describeElision(spec: MarkerSpec): string {
  const lines = spec.startLine >= spec.endLine ? `line ${spec.startLine}` : `lines ${spec.startLine}–${spec.endLine}`;
  const names = spec.names?.length
    ? ` (${spec.names.slice(0, MAX_NAMES).join(', ')}${spec.names.length > MAX_NAMES ? ', …' : ''})`
    : '';
  if (spec.tool === NO_EXPAND_TOOL) return `${lines}${names} ${spec.verb ?? 'elided'}`;
  const q = spec.json ? '\\"' : '"';
  return `${lines}${names} ${spec.verb ?? 'elided'} — ${spec.tool ?? DEFAULT_EXPAND_TOOL}(${q}${spec.id}${q})`;
}

/** 1-based lines of [start, end) in `text` (a region ending in a newline ends on the line that newline closes). */
export function lineRange(text: string, start: number, end: number): { startLine: number; endLine: number } {
  const starts = lineStarts(text);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // A region that starts at a line's end (a Python body after its colon) starts on the next line.
  const first = text.startsWith('\n', start) && end > start + 1 ? start + 1 : start;
  const startLine = lineOf(first);
  return { startLine, endLine: Math.max(startLine, lineOf(Math.max(start, end - 1))) };
}

// Markers of one text are made many times over (every fill attempt): its line starts are kept for the last text.
let lastText: string | undefined;
let lastStarts: number[] = [0];
function lineStarts(text: string): number[] {
  if (text === lastText) return lastStarts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  lastText = text;
  lastStarts = starts;
  return starts;
}

const NOT_NAMES = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
  'with',
  'elif',
  'else',
  'do',
  'try',
  'new',
  'await',
  'typeof',
  'sizeof',
  'foreach',
  'using',
  'lock',
  'fixed',
  'match',
  'loop',
  'unless',
  'until',
  'constructor',
]);
// Declarations by keyword (function, def, func with a Go receiver, fn, class…), then methods and C-like functions:
// a name, its parameters and an opening brace ending the line.
const KEYWORD_DECL =
  /\b(?:function\*?|def|func|fn|class|interface|struct|trait|enum|impl|module)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)/y;
const BRACE_DECL = /(?:[\w$<>[\],.*&:?]+\s+)*?([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>)?\([^;{}]*\)[^;{}=]*\{[ \t]*\r?$/y;
const ARROW_DECL =
  /(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>)/y;

// A property assigned a function: `res.send = function send(body) {`, `exports.parse = (s) =>` (the property names it).
const ASSIGNED_DECL =
  /(?:[A-Za-z_$][\w$]*\.)+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/y;
const MODIFIERS =
  /^[ \t]*(?:(?:export|default|public|private|protected|static|async|override|abstract|final|pub(?:\([^)]*\))?|get|set|readonly|virtual|internal|sealed|unsafe|extern|inline)\s+)*/;

/** Functions, methods and types declared at the starts of the region's lines, in order, without repeats. */
export function declaredNames(region: string): string[] {
  const out: string[] = [];
  const lines = region.split('\n');
  for (const [i, raw] of lines.entries()) {
    // A signature whose brace opens the next line (C#, Allman style) reads as one line.
    const line = /^\s*\{\s*$/.test(lines[i + 1] ?? '') && !/[{;]\s*$/.test(raw) ? `${raw} {` : raw;
    const at = MODIFIERS.exec(line)![0].length;
    let name: string | undefined;
    for (const re of [KEYWORD_DECL, ARROW_DECL, ASSIGNED_DECL, BRACE_DECL]) {
      re.lastIndex = at;
      name = re.exec(line)?.[1];
      if (name) break;
    }
    if (name && !NOT_NAMES.has(name) && !out.includes(name)) {
      out.push(name);
      if (out.length > MAX_NAMES) break;
    }
  }
  return out;
}

/**
 * Says in a marker what it hides and how to get it back, after its first "…" (`{ /* … *\/ }` →
 * `{ /* … lines 3–9 elided — expand("k3f9a2c1") *\/ }`; words like `… 5 more items` stay first). A marker without
 * one (Python's `...`) gets `… <description>` appended, in a line comment when the language has one.
 */
export function markWithId(marker: string, spec: MarkerSpec, lineComment?: string): string {
  const text = describeElision(spec);
  const at = marker.indexOf('…');
  if (at < 0) {
    const end = marker.length - (/\r?\n$/.exec(marker)?.[0].length ?? 0);
    return `${marker.slice(0, end)}${lineComment ? `  ${lineComment}` : ''} … ${text}${marker.slice(end)}`;
  }
  const more = /^ \d+ more [a-z ]*[a-z]/.exec(marker.slice(at + 1))?.[0] ?? '';
  return `${marker.slice(0, at + 1)}${more}${more ? ',' : ''} ${text}${marker.slice(at + 1 + more.length)}`;
}

/**
 * A marker whose region the context also shows whole further down (the question's excerpt of it): it points there
 * instead of offering the expand call, and keeps its id for a reader that puts the file back together
 * (`… lines 494–573 (send) elided — expand("k3f9a2c1")` → `… lines 494–573 (send) kept whole below #k3f9a2c1`).
 */
export function pointBelow(marker: string): string {
  const withId = marker.replace(
    /(lines? \S+(?: \([^)]*\))?) elided — [A-Za-z_][\w.]*\(\\?"([a-z][0-9a-z]{7})\\?"\)/,
    '$1 kept whole below #$2',
  );
  if (withId !== marker || markerId(marker)) return withId;
  // A marker without an id (NO_EXPAND_TOOL) just says where to look.
  return marker.replace(/(… lines? \S+(?: \([^)]*\))?) elided\b/, '$1 kept whole below');
}

/** The id a marker carries, if any. */
export function markerId(marker: string): string | undefined {
  return MARKER_ID_RE.exec(marker)?.[1];
}

/** Elisions of one source's output: its elided segments that carry an id, in order. */
export function elisionsOf(source: string, segments: readonly Segment[]): Elision[] {
  const out: Elision[] = [];
  for (const s of segments) {
    if (s.status !== 'elided' || !s.replacement) continue;
    const id = markerId(s.replacement);
    if (id) out.push({ id, marker: s.replacement, original: source.slice(s.start, s.end) });
  }
  return out;
}

/** Puts every original back in place of its marker (each marker is replaced once, where it occurs). */
export function expandElisions(text: string, elisions: readonly Elision[]): string {
  let out = text;
  for (const e of elisions) {
    const at = out.indexOf(e.marker);
    if (at >= 0) out = out.slice(0, at) + e.original + out.slice(at + e.marker.length);
  }
  return out;
}

/** Ids of every marker in a text. */
export function markerIds(text: string): string[] {
  return [...text.matchAll(MARKER_ID_RE_G)].map((m) => m[1]!);
}

/** An id as a reader may pass it: `k3f9a2c1`, `#k3f9a2c1`, `… #k3f9a2c1`, `"k3f9a2c1"`; undefined when it is none. */
export function parseElisionId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const id = raw
    .trim()
    .replace(/^…?\s*#/, '')
    .replace(/^["'](.*)["']$/, '$1');
  return /^[a-z][0-9a-z]{7}$/.test(id) ? id : undefined;
}

/** The sentence for an id whose original is gone but whose place is known. */
export function readInstead(at: ElisionLocation, where = at.source): string {
  return `Read ${where}, lines ${at.startLine}-${at.endLine}, instead.`;
}

/** One id as persisted: its location, and its original while the store still holds it. */
export interface StoredElision {
  id: string;
  original?: string;
  location?: ElisionLocation;
}

/**
 * Where a host keeps originals across sessions (the extension: a file in the workspace's storage). The core only
 * calls it; the I/O is the host's.
 */
export interface ElisionPersistence {
  load(): Promise<readonly StoredElision[]>;
  /** The store's entries, least recently used first; called after changes (the host may batch writes). */
  save(entries: readonly StoredElision[]): void;
}

/**
 * Originals, least recently used out first once they hold more than `maxChars` characters (about 2 bytes each),
 * and where each id came from (a few dozen bytes each, up to `maxLocations`, kept after the original is gone).
 * Lookups refresh an entry. With a persistence, `load()` brings back what an earlier session kept.
 */
export class ElisionStore {
  private readonly entries = new Map<string, string>();
  private readonly locations = new Map<string, ElisionLocation>();
  private chars = 0;
  /** Saving waits for load(): a store that saved first would overwrite the earlier session's entries. */
  private loaded = false;
  constructor(
    private readonly maxChars = 8_000_000,
    private readonly maxLocations = 200_000,
    private readonly persistence?: ElisionPersistence,
  ) {}

  private loading: Promise<void> | undefined;

  /** Brings back the persisted entries (older than anything added since); once. */
  load(): Promise<void> {
    return (this.loading ??= this.restore());
  }

  /** Resolves once load() (if called) is done: what lookups wait for right after activation. */
  async ready(): Promise<void> {
    await this.loading;
  }

  private async restore(): Promise<void> {
    if (!this.persistence) return;
    const stored = await this.persistence.load();
    const newer = [...this.entries].map(([id, original]) => ({ id, original }));
    const newerAt = [...this.locations];
    this.entries.clear();
    this.locations.clear();
    this.chars = 0;
    this.put(stored);
    this.put(newer);
    for (const [id, at] of newerAt) this.setLocation(id, at);
    this.loaded = true;
    if (newer.length || newerAt.length) this.persistence.save(this.snapshot());
  }

  add(elisions: readonly Elision[]): void {
    this.put(elisions);
    if (this.loaded) this.persistence?.save(this.snapshot());
  }

  private put(elisions: readonly StoredElision[]): void {
    for (const e of elisions) {
      if (typeof e.id !== 'string') continue;
      if (e.location) this.setLocation(e.id, e.location);
      if (typeof e.original !== 'string') continue;
      this.delete(e.id);
      if (e.original.length > this.maxChars) continue;
      this.entries.set(e.id, e.original);
      this.chars += e.original.length;
    }
    for (const [id] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.delete(id);
    }
    for (const [id] of this.locations) {
      if (this.locations.size <= this.maxLocations) break;
      this.locations.delete(id);
    }
  }

  private setLocation(id: string, at: ElisionLocation): void {
    this.locations.delete(id);
    this.locations.set(id, at);
  }

  get(id: string): string | undefined {
    const original = this.entries.get(id);
    if (original !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, original);
      // The refreshed order is what decides what goes first: it outlives the session too.
      if (this.loaded) this.persistence?.save(this.snapshot());
    }
    return original;
  }

  /** Where an id's original came from, if known (also after the original itself is gone). */
  locate(id: string): ElisionLocation | undefined {
    return this.locations.get(id);
  }

  /** The sources ids came from, most recent last. */
  sources(): string[] {
    return [...new Set([...this.locations.values()].map((l) => l.source))];
  }

  /** Every id with its location and original, least recently used first. */
  snapshot(): StoredElision[] {
    const out = new Map<string, StoredElision>();
    for (const [id, location] of this.locations) out.set(id, { id, location });
    for (const [id, original] of this.entries) {
      const e = out.get(id);
      out.delete(id);
      out.set(id, { ...e, id, original });
    }
    return [...out.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(id: string): void {
    const old = this.entries.get(id);
    if (old === undefined) return;
    this.chars -= old.length;
    this.entries.delete(id);
  }
}

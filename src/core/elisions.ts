// Reversible elisions: every region compression cuts (a body, a dropped block, a truncated tail) is replaced by a
// marker that carries a short id, `… #k3f9a2c1`, and the original is kept. A model that needs the text back asks
// for it by id (the contextBudget_expand tool); putting each original back in place of its marker restores the
// input. Ids are 8 characters: models copy long hashes badly.
import type { Segment } from './compressor';

export interface Elision {
  id: string;
  /** The text that stands in the output for the original; contains `… #id` exactly once. */
  marker: string;
  original: string;
}

/** `… #id` inside a marker; ids start with a letter and have 8 characters. */
export const MARKER_ID_RE = /… #([a-z][0-9a-z]{7})(?![0-9a-z])/;
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

/**
 * Puts `#id` into a marker, after its first "…". A marker without one (Python's `...`) gets `… #id` appended, in a
 * line comment when the language has one.
 */
export function markWithId(marker: string, id: string, lineComment?: string): string {
  const at = marker.indexOf('…');
  if (at < 0) {
    const end = marker.length - (/\r?\n$/.exec(marker)?.[0].length ?? 0);
    return `${marker.slice(0, end)}${lineComment ? `  ${lineComment}` : ''} … #${id}${marker.slice(end)}`;
  }
  return `${marker.slice(0, at + 1)} #${id}${marker.slice(at + 1)}`;
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

/**
 * The session's originals, least recently used out first once they hold more than `maxChars` characters
 * (about 2 bytes each). Lookups refresh an entry.
 */
export class ElisionStore {
  private readonly entries = new Map<string, string>();
  private chars = 0;
  constructor(private readonly maxChars = 8_000_000) {}

  add(elisions: readonly Elision[]): void {
    for (const e of elisions) {
      this.delete(e.id);
      if (e.original.length > this.maxChars) continue;
      this.entries.set(e.id, e.original);
      this.chars += e.original.length;
    }
    for (const [id] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.delete(id);
    }
  }

  get(id: string): string | undefined {
    const original = this.entries.get(id);
    if (original !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, original);
    }
    return original;
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

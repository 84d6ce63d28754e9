// Makes a level's edits reversible: every region it removes becomes one marker that names its lines, the functions
// declared inside, and the call that brings it back (`{ /* … lines 12–30 elided — expand("k3f9a2c1") */ }`,
// `# … lines 4–9 (load, save) elided — expand("p81d0e2a")`), written in the language's comment syntax so the file
// still parses where the language allows. A removal too small to be worth its marker (trailing spaces, a short comment) is not made at all: the
// output stays an exact stand-in for the input, marker for marker.
import { declaredNames, elisionId, lineRange, markerIds, markWithId, type MarkerSpec } from '../elisions';
import type { Edit } from './edits';
import { JSON_LANGUAGES } from './languages';

export interface CommentStyle {
  line?: string;
  block?: [string, string];
  /** Markers stand inside JSON strings (their quotes escaped). */
  json?: boolean;
  /** Code: markers name the functions and types declared in what they hide. */
  code?: boolean;
}

const C_LIKE: CommentStyle = { line: '//', block: ['/*', '*/'], code: true };
const HASH: CommentStyle = { line: '#', code: true };
const STYLES: Readonly<Record<string, CommentStyle>> = {
  typescript: C_LIKE,
  typescriptreact: C_LIKE,
  javascript: C_LIKE,
  javascriptreact: C_LIKE,
  go: C_LIKE,
  rust: C_LIKE,
  java: C_LIKE,
  c: C_LIKE,
  cpp: C_LIKE,
  csharp: C_LIKE,
  php: C_LIKE,
  css: { block: ['/*', '*/'] },
  python: HASH,
  ruby: HASH,
  shellscript: HASH,
  powershell: { line: '#', block: ['<#', '#>'], code: true },
};

/** How markers for dropped regions are written: comments in code, `[… lines 3–9 elided — …]` in prose and unknown text. */
export function commentStyle(languageId: string | undefined): CommentStyle {
  if (!languageId) return {};
  // JSON has no comments; a dropped region there can only be a comment of JSONC, which takes these.
  if (JSON_LANGUAGES.has(languageId)) return { line: '//', block: ['/*', '*/'], json: true };
  return STYLES[languageId] ?? {};
}

/** Length in characters, an id counted as the ~20 characters of prose it costs in tokens (ids tokenise poorly). */
const cost = (text: string) => text.length + 8 * markerIds(text).length;

/** A drop smaller than this (characters) is not made: its marker would cost about as much as it saves. */
const MIN_DROP_CHARS = 40;

/** How far back removals may join the next marker (a doc comment above its function, the blank lines before it). */
const MAX_BRIDGE = 400;

/**
 * Adjacent edits become one region. A region with a marker keeps it, with an id. Removals (comments, whitespace)
 * that start within MAX_BRIDGE characters before a marker join it, the kept text between becoming part of that
 * marker: `// Get returns…\nfunc Get() {…}` is one elision whose marker reads `func Get() {…}` with the id. Other
 * removals get a marker in `style` of their own when big enough, and are not made otherwise (whitespace, a short
 * comment: a marker would cost as much as it saves).
 */
export function reversibleEdits(
  source: string,
  edits: readonly Edit[],
  style: CommentStyle,
  scope = '',
  tool?: string,
): Edit[] {
  const out: Edit[] = [];
  const taken = new Set<string>();
  const emit = (from: number, r: Edit, prefix: string, removed: string) => {
    const whole = source.slice(from, r.end);
    const spec: MarkerSpec = {
      id: elisionId(whole, from, taken, scope),
      ...lineRange(source, from, r.end),
      ...(tool ? { tool } : {}),
      ...(style.json ? { json: true } : {}),
      ...(style.code ? { names: declaredNames(removed) } : {}),
    };
    const id = spec.id;
    const marker =
      prefix +
      (r.replacement ? markWithId(r.replacement, spec, style.line) : dropMarker(source, r.start, r.end, style, spec));
    // A marker must save clearly (ids tokenise poorly): a short JSON string or a small body stays as it is.
    if ((cost(marker) - prefix.length) * 1.5 <= whole.length - prefix.length) {
      out.push({ start: from, end: r.end, replacement: marker });
    } else {
      taken.delete(id);
    }
  };
  // A removal on its own: a marker when it is big enough, else it is not made.
  const flush = (r: Edit) => {
    const original = source.slice(r.start, r.end);
    if (original.trim() !== '' && original.length >= MIN_DROP_CHARS) emit(r.start, r, '', original);
  };
  let pending: Edit[] = [];
  for (const r of regions(edits)) {
    while (pending.length && r.start - pending[0]!.start > MAX_BRIDGE) flush(pending.shift()!);
    if (!r.replacement) {
      pending.push(r);
      continue;
    }
    // The kept text between the removals and this marker stays readable inside it.
    let prefix = '';
    let at = pending.length ? pending[0]!.start : r.start;
    const from = at;
    for (const p of pending) {
      prefix += source.slice(at, p.start);
      at = p.end;
    }
    prefix += source.slice(at, r.start);
    // The names it hides: those the removals declare (a function dropped above this one), not the kept text's.
    const removed = [...pending.map((p) => source.slice(p.start, p.end)), source.slice(r.start, r.end)].join('\n');
    pending = [];
    emit(from, r, prefix, removed);
  }
  pending.forEach(flush);
  return out;
}

function regions(edits: readonly Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end) {
      last.end = Math.max(last.end, e.end);
      last.replacement += e.replacement;
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

/**
 * Levels only ever shrink: where a level's marker would be longer than what the previous level left of its region
 * (a function already cut to its signature, then dropped whole), the previous level's edits stay there.
 */
export function noLongerThan(edits: readonly Edit[], previous: readonly Edit[]): Edit[] {
  const out: Edit[] = [];
  let p = 0;
  for (const e of edits) {
    while (p < previous.length && previous[p]!.end <= e.start) p++;
    const inside: Edit[] = [];
    for (let q = p; q < previous.length && previous[q]!.start < e.end; q++) inside.push(previous[q]!);
    const before = inside.reduce((n, x) => n - (x.end - x.start) + cost(x.replacement), e.end - e.start);
    if (cost(e.replacement) < before || inside.some((x) => x.start < e.start || x.end > e.end)) out.push(e);
    else out.push(...inside);
  }
  return out;
}

function dropMarker(source: string, start: number, end: number, style: CommentStyle, spec: MarkerSpec): string {
  const original = source.slice(start, end);
  const what = '…';
  const atLineStart = start === 0 || source[start - 1] === '\n';
  const wholeLines = atLineStart && original.endsWith('\n');
  const atLineEnd = end >= source.length || source[end] === '\n' || source[end] === '\r';
  const lead = /^[ \t]*/.exec(original)![0];
  // What ends the region stays: its line break (whole lines, or a paragraph cut from a sentence on), or a space
  // before the next sentence.
  const newline = wholeLines
    ? /\r?\n$/.exec(original)![0]
    : (/\r?\n\s*$/.exec(original)?.[0] ?? (/\s$/.test(original) ? ' ' : ''));
  let body: string;
  if (style.line && (wholeLines || atLineEnd)) body = `${style.line} ${what}`;
  else if (style.block) body = `${style.block[0]} ${what} ${style.block[1]}`;
  else body = `[${what}]`;
  return lead + markWithId(body, spec) + newline;
}

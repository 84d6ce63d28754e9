// Question-aware packing. Each source is split into units (functions and methods of code, by the structural
// analysis's elided bodies, plus the blocks between them; paragraphs of prose under their heading; entries of
// JSON), each unit is scored against the question with BM25 over identifier-split terms (weighed by what it names
// and what it is: an import block or a class's opening line says little), the units the question names come first,
// and the few units that score clearly highest after them become excerpts kept whole: the planner spends the
// budget on them first and packs the rest (their sources included, compressed harder) into what is left.
import { declaredNames } from '../elisions';
import { Bm25Index, identifierTerms } from '../search/bm25';
import { UnsupportedInputError, normaliseLanguageId, type StructuralCompressor } from '../structural/index';
import { jsonChildren, skipSpace } from '../structural/jsonScan';
import { JSON_LANGUAGES } from '../structural/languages';
import type { Cancellation } from '../tokens/count';
import type { Tokenizer } from '../tokens/tokenizers';
import { yieldToHost } from '../yieldToHost';
import { isProse } from './policy';
import type { FocusUnit, PlanSource } from './types';

export interface Unit {
  start: number;
  end: number;
  /** What the unit is under (a Markdown heading, a JSON path): scored with it and shown. */
  context?: string;
  /** A function or method (its body is one the signatures level elides), not a block between them. */
  body?: true;
}

export interface FocusExcerpt {
  sourceIndex: number;
  unit: FocusUnit;
  text: string;
  header: string;
  /** Planning tokens of header and text. */
  tokens: number;
}

/** Units scoring at least this share of the best one are "clearly relevant"; the rest are packed as usual. */
const RELATIVE_SCORE = 0.5;
/** A unit whose first code line mentions an identifier from the question scores this much more. */
const DEFINITION_BOOST = 2;
/**
 * A unit the question names scores this much more: `SessionStore.get` (owner and name), `record_failure` (an
 * identifier), `nack` (a plain word, as the code spells it). A qualified or identifier match is also reserved: kept
 * first whenever it fits, whatever the words around it score.
 */
const NAMED_BOOST = { qualified: 4, identifier: 3, plain: 1.5 } as const;
/**
 * Units that say little however well their words match: an import block, a type's opening line (`class
 * SessionStore:`, with at most a field or its docstring), a declaration without a body, a one-statement
 * accessor. BM25 favours such short units; as excerpts they take the place of the code that answers.
 */
const SHAPE_WEIGHT = { imports: 0.3, header: 0.4, trivial: 0.5, code: 1 } as const;
/** At most this many excerpts: focus is for the few places the question is about. */
const MAX_EXCERPTS = 100;
/** Words of a question that say nothing about where the answer is. */
const QUESTION_WORDS = new Set(['what', 'how', 'why', 'where', 'when', 'which', 'who', 'whi', 'happen', 'explain']);

export async function findFocus(
  sources: readonly PlanSource[],
  question: string,
  cap: number,
  structural: StructuralCompressor,
  planning: Tokenizer,
  cancellation?: Cancellation,
): Promise<{ excerpts: FocusExcerpt[]; notes: string[] }> {
  const query = identifierTerms(question).filter((t) => !QUESTION_WORDS.has(t));
  if (query.length === 0) return { excerpts: [], notes: ['question has no searchable terms: no focus'] };
  const all: { sourceIndex: number; unit: Unit }[] = [];
  for (const [sourceIndex, source] of sources.entries()) {
    for (const unit of await splitUnits(source, structural, cancellation)) all.push({ sourceIndex, unit });
    await yieldToHost();
  }
  if (all.length === 0) return { excerpts: [], notes: [] };
  const docs = all.map(({ sourceIndex, unit }) =>
    identifierTerms(`${unit.context ?? ''}\n${sources[sourceIndex]!.text.slice(unit.start, unit.end)}`),
  );
  const index = new Bm25Index(docs);
  const named = new Set(query.filter((t) => /[_./\\:$-]/.test(t) || /\p{Ll}\p{Lu}/u.test(t)));
  const rawNames = new Set(
    (question.match(/[\p{L}\p{N}_$]+/gu) ?? []).filter((w) => /_|\p{Ll}\p{Lu}/u.test(w)).map((w) => w.toLowerCase()),
  );
  const names = questionNames(question);
  const kinds = sources.map((s): SourceKind => {
    const id = normaliseLanguageId(s.languageId);
    return id && JSON_LANGUAGES.has(id) ? 'json' : isProse(id) ? 'prose' : 'code';
  });
  const scored = index.score(query).map((bm25, i) => {
    const { sourceIndex, unit } = all[i]!;
    const source = sources[sourceIndex]!;
    const text = source.text.slice(unit.start, unit.end);
    const shape = kinds[sourceIndex] === 'code' ? unitShape(text, unit) : 'code';
    const match = nameMatch(names, unitNames(source, unit, kinds[sourceIndex]!));
    // A unit whose first code line mentions an identifier the question names (a call, a key) is likely where the
    // answer lives; one that declares a name the question names, more so.
    const head = firstCodeLine(text).toLowerCase();
    let boost = 1;
    if (match) boost = NAMED_BOOST[match];
    else if ([...rawNames, ...named].some((n) => head.includes(n))) boost = DEFINITION_BOOST;
    // A type's opening line or an import says nothing more for being named: the question is about what it does.
    if (shape === 'header' || shape === 'imports') boost = 1;
    const score = bm25 * SHAPE_WEIGHT[shape] * boost;
    // What the question names by its name comes first, unless it is only a type's opening line or an import.
    const reserved =
      bm25 > 0 && (match === 'qualified' || match === 'identifier') && shape !== 'header' && shape !== 'imports';
    return { score, i, reserved, rank: reserved ? NAMED_BOOST[match] : 0 };
  });
  const order = [...scored].sort((a, b) => b.rank - a.rank || b.score - a.score || a.i - b.i);
  const top = Math.max(...scored.map((x) => x.score));
  // The rest are excerpts when they score near the best of the rest: a name's boost does not crowd them out.
  const bar = RELATIVE_SCORE * Math.max(0, ...scored.filter((x) => !x.reserved).map((x) => x.score));
  if (!(top > 0)) return { excerpts: [], notes: ['no unit matches the question: no focus'] };

  const excerpts: FocusExcerpt[] = [];
  let spent = 0;
  const skipped: string[] = [];
  const add = (sourceIndex: number, unit: Unit, score: number): boolean => {
    const source = sources[sourceIndex]!;
    const text = source.text.slice(unit.start, unit.end);
    const label = unitLabel(source, unit);
    const header = `### ${label} (kept whole for the question)\n`;
    const tokens = planning.count(header + text);
    if (spent + tokens > cap) return false;
    spent += tokens;
    const focus: FocusUnit = { sourceId: source.id, label, start: unit.start, end: unit.end, score: round(score) };
    excerpts.push({ sourceIndex, unit: focus, text, header, tokens });
    return true;
  };
  for (const { score, i, reserved } of order) {
    if (excerpts.length >= MAX_EXCERPTS) break;
    if (!reserved && !(score > 0 && score >= bar)) continue;
    const { sourceIndex, unit } = all[i]!;
    // Too large to keep whole within the focus share: left to the fill, which opens it in place when it fits.
    if (!add(sourceIndex, unit, score)) skipped.push(unitLabel(sources[sourceIndex]!, unit));
  }
  const notes = excerpts.length
    ? [
        // A plan, not a result: packing may still drop an excerpt; each source's explanation says what went in.
        `question focus: ${excerpts.map((e) => `${e.unit.label} (score ${e.unit.score})`).join(', ')} chosen to keep whole ` +
          `(${spent} planning tokens of at most ${cap}); ${all.length} units scored`,
      ]
    : [];
  if (skipped.length) notes.push(`relevant but larger than the focus share, left to the fill: ${skipped.join(', ')}`);
  return { excerpts, notes };
}

type SourceKind = 'code' | 'prose' | 'json';

/** The names a question gives: `Owner.member` pairs, identifiers (`record_failure`, `retryAfterMs`), plain words. */
interface QuestionNames {
  /** Owner and member, lowercased: `SessionStore.get`, `Queue::nack`, `Session#send` → ['sessionstore', 'get']. */
  qualified: [string, string][];
  /** Lowercased: snake_case, camelCase, `TTLCache`, a word in backticks or followed by `()`. */
  identifiers: Set<string>;
  /** As written: words that could be a name (`nack`, `Tick`), matched with their case. */
  plain: Set<string>;
}

/** Question words that are never a name worth matching ("Does", "the", "what"). */
const NOT_A_NAME = new Set('does did the and for with from into this that are was has have not its'.split(' '));

function questionNames(question: string): QuestionNames {
  const names: QuestionNames = { qualified: [], identifiers: new Set(), plain: new Set() };
  const re = /(`?)([\p{L}_$][\p{L}\p{N}_$]*(?:(?:\.|::|#|->)[\p{L}_$][\p{L}\p{N}_$]*)*)(`|\(\))?/gu;
  for (const m of question.matchAll(re)) {
    const token = m[2]!;
    const code = m[1] === '`' || m[3] !== undefined;
    const parts = token.split(/\.|::|#|->/);
    if (parts.length > 1) {
      names.qualified.push([parts[parts.length - 2]!.toLowerCase(), parts[parts.length - 1]!.toLowerCase()]);
      continue;
    }
    const lower = token.toLowerCase();
    if (code || isIdentifier(token)) names.identifiers.add(lower);
    else if (token.length >= 3 && !NOT_A_NAME.has(lower) && !QUESTION_WORDS.has(lower)) names.plain.add(token);
  }
  return names;
}

/** snake_case, camelCase, `TTLCache`, `__len__`: a word only code writes so. */
function isIdentifier(word: string): boolean {
  return /^_|_$|\p{L}_\p{L}|\p{Ll}\p{Lu}|\p{Lu}{2}\p{Ll}/u.test(word);
}

/** What a unit declares and what it is declared in: `get` in `SessionStore`; a heading; a JSON key in its parent. */
function unitNames(source: PlanSource, unit: Unit, kind: SourceKind): { name?: string; owner?: string } {
  if (kind === 'prose') return unit.context ? { name: unit.context } : {};
  if (kind === 'json') {
    const path = (unit.context ?? '').replace(/\[\d+\]/g, '').split('.');
    const [name, owner] = [path.pop(), path.pop()];
    return name ? { name, ...(owner ? { owner } : {}) } : {};
  }
  const head = firstCodeLine(source.text.slice(unit.start, unit.end));
  const declared = declaredName(head);
  if (!declared) return {};
  const parts = declared.split(/\.|::/);
  if (parts.length > 1) return { name: parts[parts.length - 1]!, owner: parts[parts.length - 2]! };
  // A Go method's type is its receiver's (`func (c *Client) breaker(…)`); `res.send = function send(…)` is res's.
  const receiver =
    /^func\s*\(\s*\w*\s*\*?\s*([A-Za-z_]\w*)/.exec(head)?.[1] ??
    /^([A-Za-z_$][\w$]*)(?:\.prototype)?\.[A-Za-z_$][\w$]*\s*=/.exec(head)?.[1];
  const owner = unit.context && !JSON_OR_HEADING.test(unit.context) ? typeName(unit.context) : receiver;
  return { name: declared, ...(owner ? { owner } : {}) };
}

/** How the question names a unit, if it does: by owner and name, by an identifier, or by a plain word. */
function nameMatch(
  names: QuestionNames,
  { name, owner }: { name?: string; owner?: string },
): keyof typeof NAMED_BOOST | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  let match: keyof typeof NAMED_BOOST | undefined;
  for (const [o, m] of names.qualified) {
    if (m !== lower) continue;
    if (owner?.toLowerCase() === o) return 'qualified';
    // `Queue.nack` still names a free function `nack`; but `SessionStore.get` does not name `TTLCache.get`.
    if (!owner) match = isIdentifier(name) ? 'identifier' : 'plain';
  }
  if (names.identifiers.has(lower)) return 'identifier';
  if (names.plain.has(name)) return 'plain';
  return match;
}

/** An import, include or use line (the first of an import block). */
const IMPORT_LINE =
  /^(import\b|from\s+\S+\s+import\b|(pub(\([^)]*\))?\s+)?use\s+[\w:{]|using\s+[\w.]+\s*;|#\s*include\b|package\s+[\w.]+;?$|extern\s+crate\b|(const|let|var)\s+[\w{}\s,]+=\s*require\(|require(_relative)?\b|export\s+(\*|\{[^}]*\})\s+from\b)/;
/** A line that declares something: an import block with one is more than imports. */
const DECLARATION_LINE = /\b(def|class|fn|func|function|struct|interface|impl|trait|enum)\b/;
/** A line that opens a type. */
const TYPE_OPENER =
  /^(export\s+)?(default\s+)?(abstract\s+)?(pub(\([^)]*\))?\s+)?((public|private|internal|protected|sealed|final|static|data)\s+)*(class|interface|impl|trait|struct|enum|namespace|module|object|type)\b/;

/** What kind of excerpt a unit of code would make (prose and JSON units are all content). */
function unitShape(text: string, unit: Unit): keyof typeof SHAPE_WEIGHT {
  const lines = codeLines(text);
  if (lines.length === 0) return 'code';
  if (IMPORT_LINE.test(lines[0]!) && !lines.some((l) => DECLARATION_LINE.test(l) && !IMPORT_LINE.test(l))) {
    return 'imports';
  }
  if (unit.body) {
    // What follows the signature line, closing brackets aside: nothing is a stub, one statement an accessor.
    const statements = lines.slice(1).filter((l) => !/^([\])}]+[;,]?|end)$/.test(l)).length;
    return statements === 0 ? 'header' : statements === 1 ? 'trivial' : 'code';
  }
  return lines.length <= 2 && TYPE_OPENER.test(lines[0]!) ? 'header' : 'code';
}

/** A unit's lines of code, trimmed: no blank lines, comments, decorators or Python docstrings. */
function codeLines(text: string): string[] {
  const out: string[] = [];
  let docstring: string | undefined;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (docstring) {
      if (t.includes(docstring)) docstring = undefined;
      continue;
    }
    if (!t) continue;
    const quote = /^[rRuUbBfF]{0,2}("""|''')/.exec(t);
    if (quote) {
      if (!t.slice(quote[0].length).includes(quote[1]!)) docstring = quote[1];
      continue;
    }
    if (/^(\/\/|\/\*|\*|#(?!\s*include\b)|--|@)/.test(t)) continue;
    out.push(t);
  }
  return out;
}

/** The first line that is not a comment or a decorator: a function's signature, a JSON entry's key. */
function firstCodeLine(text: string): string {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t && !/^(\/\/|\/\*|\*|#|--|@|\[|"""|''')/.test(t)) return t;
  }
  return '';
}

const round = (x: number) => Math.round(x * 100) / 100;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** `sessions.py › SessionRedirectMixin.get_redirect_target:134-152`: the file, what the unit declares, its lines. */
function unitLabel(source: PlanSource, unit: Unit): string {
  const name = source.label ?? source.id;
  const first = lineOf(source.text, unit.start);
  const last = lineOf(source.text, Math.max(unit.start, unit.end - 1));
  const declared = declaredName(firstCodeLine(source.text.slice(unit.start, unit.end)));
  const owner = unit.context && !JSON_OR_HEADING.test(unit.context) ? typeName(unit.context) : undefined;
  const what = declared ? [owner, declared].filter(Boolean).join('.') : unit.context;
  // A range source's lines count from its own start; the label says lines of what was attached.
  return `${name}${what ? ` › ${what}` : ''}:${first === last ? first : `${first}-${last}`}`;
}

/** Contexts that are not a type: a Markdown heading or a JSON path, shown as they are. */
const JSON_OR_HEADING = /^(#|\$|\[)/;

/** The name a code line declares: `def get(…)`, `fn run(…)`, `res.redirect = function …`, `const f = (…) =>`. */
function declaredName(line: string): string | undefined {
  return (
    declaredNames(line)[0] ??
    /^\s*(?:export\s+)?(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$.]*)\s*[:=]\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>)/.exec(
      line,
    )?.[1]
  );
}

/** The type an `impl`, `class` or `interface` line opens, without generics: `impl<'a> Sink for Std<'a>` → `Std`. */
function typeName(context: string): string {
  let t = context;
  for (let prev = ''; prev !== t; ) [prev, t] = [t, t.replace(/<[^<>]*>/g, '')];
  const m =
    /\bfor\s+([A-Za-z_$][\w$]*)/.exec(t) ??
    /\b(?:class|interface|impl|trait|struct|enum|namespace|module|object|type)\s+([A-Za-z_$][\w$.]*)/.exec(t);
  return m?.[1] ?? context;
}

/** A source's units, in order, not overlapping. */
export async function splitUnits(
  source: PlanSource,
  structural: StructuralCompressor,
  cancellation?: Cancellation,
): Promise<Unit[]> {
  const { text } = source;
  const id = normaliseLanguageId(source.languageId);
  if (id && JSON_LANGUAGES.has(id)) {
    const units = jsonUnits(text);
    if (units.length) return units;
  }
  if (isProse(id)) return proseUnits(text);
  let bodies: { start: number; end: number }[] = [];
  try {
    const analysis = await structural.analyse(text, id, cancellation ? { cancellation } : {});
    if (analysis.kind === 'tree') {
      // Elided bodies at the signatures level mark functions and methods (outermost only); their markers are
      // the only elisions with visible text (comment and whitespace edits replace with blanks).
      bodies = analysis.levels[2]!.segments.filter((s) => s.status === 'elided' && /\S/.test(s.replacement ?? ''));
    }
  } catch (err) {
    if (!(err instanceof UnsupportedInputError)) throw err;
    return [];
  }
  const units: Unit[] = [];
  let previousEnd = 0;
  for (const body of bodies) {
    const start = signatureStart(text, body.start, previousEnd);
    const end = lineEnd(text, body.end);
    units.push(...blocks(text, previousEnd, start));
    units.push({ start, end, body: true });
    previousEnd = end;
  }
  units.push(...blocks(text, previousEnd, text.length));
  return attachComments(text, units).map((u) => {
    const context = enclosing(text, u.start);
    return context ? { ...u, context } : u;
  });
}

/**
 * A block of comments alone (a doc comment with a blank line before its function) belongs to the unit right after
 * it: kept whole, the function comes with its documentation, and a comment is never an excerpt by itself.
 */
function attachComments(text: string, units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const next = units[i + 1];
    const gap = next ? text.slice(u.end, next.start) : '';
    if (next && firstCodeLine(text.slice(u.start, u.end)) === '' && !/\n[ \t]*\n[ \t]*\n/.test(gap)) {
      out.push({ start: u.start, end: next.end, ...(next.body ? { body: true as const } : {}) });
      i++;
    } else out.push(u);
  }
  return out;
}

/**
 * The declaration an indented unit sits in (a method's class, impl or interface), found by indentation: the
 * nearest line above with less indentation that opens a type. Scored with the unit, so "the Sweeper's run"
 * finds the method.
 */
function enclosing(text: string, offset: number): string | undefined {
  const indent = /^[ \t]*/.exec(text.slice(offset - (offset - lineStart(text, offset))))![0].length;
  const own = indentOf(text, lineStart(text, offset));
  if (own === 0 && indent === 0) return undefined;
  for (let at = lineStart(text, offset); at > 0; ) {
    at = lineStart(text, at - 1);
    const line = text.slice(at, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
    if (!line.trim() || indentOf(text, at) >= own) continue;
    const t = line.trim();
    if (
      /^(export\s+)?(default\s+)?(abstract\s+)?(pub(\([^)]*\))?\s+)?(class|interface|impl|trait|struct|enum|namespace|module|object|type)\b/.test(
        t,
      )
    ) {
      return t.replace(/\s*[{:]\s*$/, '').slice(0, 80);
    }
    if (indentOf(text, at) === 0) return undefined;
  }
  return undefined;
}

function indentOf(text: string, at: number): number {
  return /^[ \t]*/.exec(text.slice(at, at + 200))![0].length;
}

function lineStart(text: string, offset: number): number {
  // lastIndexOf treats a negative position as 0 and would find a newline at 0 from offset 0.
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const rest = /^[ \t,;)]*/.exec(text.slice(offset, offset + 80))![0].length;
  const nl = text.indexOf('\n', offset);
  return nl >= 0 && nl <= offset + rest ? nl : offset + rest;
}

/**
 * Where a function's unit starts: the line of its body's start, plus the lines just above that still belong to it
 * (the rest of a multi-line signature, decorators, its doc comment), up to a blank line, the previous unit, or a
 * line that closes or opens something else (`}`, `{`, `;`, a `class X:` line).
 */
function signatureStart(text: string, bodyStart: number, floor: number): number {
  let start = Math.max(floor, lineStart(text, bodyStart));
  while (start > floor) {
    const prevStart = lineStart(text, start - 1);
    if (prevStart < floor) break;
    const line = text.slice(prevStart, start - 1).trim();
    if (!line) break;
    const comment = /^(\/\/|\/\*|\*|#|--|@|\[|"""|''')/.test(line);
    if (!comment && /[{};:]$/.test(line)) break;
    start = prevStart;
  }
  return start;
}

/** Blank-line separated blocks of [from, to), trimmed of surrounding blank lines. */
function blocks(text: string, from: number, to: number): Unit[] {
  const out: Unit[] = [];
  const re = /\n[ \t]*\n/g;
  re.lastIndex = from;
  let start = from;
  const push = (s: number, e: number) => {
    const slice = text.slice(s, e);
    const lead = slice.length - slice.trimStart().length;
    const trail = slice.length - slice.trimEnd().length;
    if (e - trail > s + lead) out.push({ start: s + lead, end: e - trail });
  };
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    push(start, m.index);
    start = m.index + m[0].length;
    re.lastIndex = start;
  }
  push(start, to);
  return out;
}

/** Paragraphs (fenced code blocks whole), each under its nearest heading. */
function proseUnits(text: string): Unit[] {
  const out: Unit[] = [];
  let heading: string | undefined;
  let start = -1;
  let fence = false;
  let offset = 0;
  const close = (end: number) => {
    if (start >= 0) {
      const slice = text.slice(start, end).trimEnd();
      out.push({ start, end: start + slice.length, ...(heading ? { context: heading } : {}) });
    }
    start = -1;
  };
  for (const line of text.split('\n')) {
    const lineStartAt = offset;
    offset += line.length + 1;
    const trimmed = line.trim();
    if (/^(```|~~~)/.test(trimmed)) {
      if (start < 0) start = lineStartAt;
      fence = !fence;
      continue;
    }
    if (fence) continue;
    const h = /^#{1,6}\s+(.*)$/.exec(trimmed);
    if (h) {
      close(lineStartAt);
      heading = h[1]!.replace(/#+$/, '').trim();
      continue;
    }
    if (!trimmed) {
      close(lineStartAt);
      continue;
    }
    if (start < 0) start = lineStartAt;
  }
  close(text.length);
  return out;
}

/** Largest entry kept as one unit (characters); bigger containers are split into their own entries. */
const JSON_UNIT_CHARS = 400;

/** Top-level entries of a JSON object or array; large ones split into theirs (paths as context). */
function jsonUnits(text: string): Unit[] {
  const open = skipSpace(text, 0);
  if (text[open] !== '{' && text[open] !== '[') return [];
  const out: Unit[] = [];
  const visit = (at: number, path: string, depth: number) => {
    for (const child of jsonChildren(text, at)) {
      const childPath = child.key !== undefined ? `${path}${path ? '.' : ''}${child.key}` : `${path}[${child.index}]`;
      const opener = text[child.valueStart];
      if (depth < 4 && child.end - child.start > JSON_UNIT_CHARS && (opener === '{' || opener === '[')) {
        visit(child.valueStart, childPath, depth + 1);
        continue;
      }
      const start = lineStart(text, child.start);
      out.push({
        start: /^\s*$/.test(text.slice(start, child.start)) ? start : child.start,
        end: lineEnd(text, child.end),
        ...(childPath ? { context: childPath } : {}),
      });
    }
  };
  visit(open, '', 0);
  return out;
}

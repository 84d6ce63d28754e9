// The planner's notes about the whole request, as data (PlanResult.noteData) and in words: the core words them in
// English (PlanResult.notes); a surface with a display language passes its own words, as for SourceSummary.

import type { PackNote } from '../pack';

/** What a source's structural analysis found in its input (the analyser says it in English; see sourceNote). */
export type InputNote =
  /** The parser found this many syntax errors: levels may keep more than usual. */
  | { kind: 'syntaxErrors'; count: number }
  /** Very long lines: minified or generated code. */
  | { kind: 'minified' }
  /** No grammar for this language id: whitespace and repeated lines only. */
  | { kind: 'noGrammar'; language: string }
  /** No language id: whitespace and repeated lines only. */
  | { kind: 'unknownLanguage' }
  /** The grammar file could not be loaded (`reason`: its own error): whitespace and repeated lines only. */
  | { kind: 'grammarUnavailable'; grammar: string; reason: string };

export type PlanNote =
  | PackNote
  /** Nothing was compressed: the whole context fits. */
  | { kind: 'fits'; tokens: number; budget: number }
  /** A document attached more than once (`ranges` of them as ranges inside the whole document) went in once. */
  | { kind: 'attached'; label: string; times: number; ranges?: number }
  /** Overlapping ranges of one document went in as one. */
  | { kind: 'overlap'; labels: string[]; document: string; start: number; end: number }
  | { kind: 'noModelInstalled' }
  /** The target counted more than planned every time: the context was cut to fit by its own count. */
  | { kind: 'cutToFit'; tokens: number; kept: number; of: number }
  /** What a source's analysis found in it (the packer's `source` note, as data: see sourceNote). */
  | { kind: 'input'; label: string; note: InputNote }
  /** A compressor (its id, e.g. llmlingua2) failed on a source and was not offered; `reason` is its own message. */
  | { kind: 'failed'; label: string; compressor: string; reason: string }
  /** The model ran, on this runtime (as the runtime names itself, with why the GPU is not in use). */
  | { kind: 'modelRan'; runtime: string };

export interface NoteWords {
  fits(tokens: number, budget: number): string;
  attached(label: string, times: number, ranges: number): string;
  overlap(labels: string, document: string, start: number, end: number): string;
  noModelInstalled(): string;
  cutToFit(tokens: number, kept: number, of: number): string;
  joinedCut(budget: number): string;
  syntaxErrors(count: number): string;
  minified(): string;
  noGrammar(language: string): string;
  unknownLanguage(): string;
  grammarUnavailable(grammar: string, reason: string): string;
  /** `compressor` is the compressor's id (llmlingua2); a surface may name it. */
  failed(compressor: string, reason: string): string;
  modelRan(runtime: string): string;
}

export const ENGLISH_NOTES: NoteWords = {
  fits: (tokens, budget) => `fits without compression: ${tokens} ≤ ${budget} tokens`,
  attached: (label, times, ranges) =>
    `${label} attached ${times} times${ranges ? ` (${ranges} as a range inside the whole document)` : ''}: counted once`,
  overlap: (labels, document, start, end) =>
    `${labels}: overlapping ranges of ${document} merged into one (characters ${start}–${end}), counted once`,
  noModelInstalled: () => 'LLMLingua-2 was chosen but no model is installed: structural levels only',
  cutToFit: (tokens, kept, of) =>
    `the target counted more than planned every time: the context was cut to ${tokens} tokens by its own count ` +
    `(${kept} of ${of} characters kept)`,
  joinedCut: (budget) => `the joined text was cut to ${budget} tokens (its parts counted less than the whole)`,
  syntaxErrors: (count) => `input has ${count} syntax error${count === 1 ? '' : 's'}; levels may keep more than usual`,
  minified: () => 'input looks minified or generated (very long lines)',
  noGrammar: (language) => `no grammar for '${language}': whitespace and repeated lines only`,
  unknownLanguage: () => 'unknown language: whitespace and repeated lines only',
  grammarUnavailable: (grammar, reason) =>
    `grammar ${grammar} unavailable (${reason}): whitespace and repeated lines only`,
  failed: (compressor, reason) => `${compressor} failed (${reason}); not offered`,
  modelRan: (runtime) => `LLMLingua-2 ran on ${runtime}`,
};

/**
 * A compressor failure as the packer words it (src/core/pack/ladder.ts: "<id> failed (<message>); not offered"),
 * as data; undefined for any other text.
 */
export function failureOf(text: string): { compressor: string; reason: string } | undefined {
  const m = /^(\S+) failed \((.*)\); not offered$/s.exec(text);
  return m ? { compressor: m[1]!, reason: m[2]! } : undefined;
}

/** An analysis note as the structural analyser words it (src/core/structural/index.ts), as data. */
export function inputNoteOf(text: string): InputNote | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^input has (\d+) syntax error node\(s\)/.exec(text))) return { kind: 'syntaxErrors', count: Number(m[1]) };
  if (text.startsWith('input looks minified or generated')) return { kind: 'minified' };
  if ((m = /^no grammar for '(.*)': whitespace and repeated lines only$/s.exec(text))) {
    return { kind: 'noGrammar', language: m[1]! };
  }
  if (text === 'unknown language: whitespace and repeated lines only') return { kind: 'unknownLanguage' };
  if ((m = /^grammar (\S+) unavailable \((.*)\): whitespace and repeated lines only$/s.exec(text))) {
    return { kind: 'grammarUnavailable', grammar: m[1]!, reason: m[2]! };
  }
  return undefined;
}

/**
 * The packer's `source` note (English text) as data: what the analysis found, or a compressor's failure. A text
 * neither knows stays the `source` note it was (worded as it is).
 */
export function sourceNote(note: Extract<PackNote, { kind: 'source' }>): PlanNote {
  const input = inputNoteOf(note.text);
  if (input) return { kind: 'input', label: note.label, note: input };
  const failure = failureOf(note.text);
  return failure ? { kind: 'failed', label: note.label, ...failure } : note;
}

/**
 * What a model compressor's result said (its `notes`, English) as a note for the user: which runtime ran it. Its
 * other notes describe one rung of many tried (protected identifiers kept outside a rate, an input already within
 * a budget), most of them not chosen and none naming its source: those are for the log (undefined here); what the
 * chosen rung did is in its source's explanation (SourceSummary.protectedKept).
 */
export function modelNote(text: string): PlanNote | undefined {
  const m = /^LLMLingua-2 ran on (.+)$/s.exec(text);
  return m ? { kind: 'modelRan', runtime: m[1]! } : undefined;
}

function inputText(note: InputNote, words: NoteWords): string {
  switch (note.kind) {
    case 'syntaxErrors':
      return words.syntaxErrors(note.count);
    case 'minified':
      return words.minified();
    case 'noGrammar':
      return words.noGrammar(note.language);
    case 'unknownLanguage':
      return words.unknownLanguage();
    case 'grammarUnavailable':
      return words.grammarUnavailable(note.grammar, note.reason);
  }
}

export function noteText(note: PlanNote, words: NoteWords = ENGLISH_NOTES): string {
  switch (note.kind) {
    case 'fits':
      return words.fits(note.tokens, note.budget);
    case 'attached':
      return words.attached(note.label, note.times, note.ranges ?? 0);
    case 'overlap':
      return words.overlap(note.labels.join(', '), note.document, note.start, note.end);
    case 'noModelInstalled':
      return words.noModelInstalled();
    case 'cutToFit':
      return words.cutToFit(note.tokens, note.kept, note.of);
    case 'joinedCut':
      return words.joinedCut(note.budget);
    case 'input':
      return `${note.label}: ${inputText(note.note, words)}`;
    case 'failed':
      return `${note.label}: ${words.failed(note.compressor, note.reason)}`;
    case 'modelRan':
      return words.modelRan(note.runtime);
    case 'source': {
      const data = sourceNote(note);
      return data.kind === 'source' ? `${note.label}: ${note.text}` : noteText(data, words);
    }
  }
}

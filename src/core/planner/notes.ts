// The planner's notes about the whole request, as data (PlanResult.noteData) and in words: the core words them in
// English (PlanResult.notes); a surface with a display language passes its own words, as for SourceSummary.

import type { PackNote } from '../pack';

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
  | { kind: 'cutToFit'; tokens: number; kept: number; of: number };

export interface NoteWords {
  fits(tokens: number, budget: number): string;
  attached(label: string, times: number, ranges: number): string;
  overlap(labels: string, document: string, start: number, end: number): string;
  noModelInstalled(): string;
  cutToFit(tokens: number, kept: number, of: number): string;
  joinedCut(budget: number): string;
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
};

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
    case 'source':
      return `${note.label}: ${note.text}`;
  }
}

// The planner's explanations in the display language: the core words a SourceSummary in English, and the extension
// passes these words instead, so the savings view, @budget's footer and the tool's lines follow VS Code's language.
import * as vscode from 'vscode';
import type { ExplainWords, NoteWords } from './core/planner/index';

/** Unit kinds as the core names them (src/core/pack/fill.ts UNIT_KINDS), in the display language. */
function unitKind(kind: string): string {
  const kinds: Record<string, string> = {
    comments: vscode.l10n.t('comments'),
    'function bodies': vscode.l10n.t('function bodies'),
    statements: vscode.l10n.t('statements'),
    items: vscode.l10n.t('items'),
    values: vscode.l10n.t('values'),
    paragraphs: vscode.l10n.t('paragraphs'),
    sections: vscode.l10n.t('sections'),
    'repeated lines': vscode.l10n.t('repeated lines'),
    lines: vscode.l10n.t('lines'),
    sentences: vscode.l10n.t('sentences'),
    entries: vscode.l10n.t('entries'),
    'unchanged runs': vscode.l10n.t('unchanged runs'),
    hunks: vscode.l10n.t('hunks'),
    'whitespace runs': vscode.l10n.t('whitespace runs'),
    units: vscode.l10n.t('units'),
  };
  return kinds[kind] ?? kind;
}

function levelName(level: string, input: string): string {
  const levels: Record<string, Record<string, string>> = {
    tree: {
      'no-comments': vscode.l10n.t('no comments'),
      signatures: vscode.l10n.t('signatures'),
      outline: vscode.l10n.t('outline'),
    },
    prose: {
      'no-comments': vscode.l10n.t('normalised'),
      signatures: vscode.l10n.t('first sentences'),
      outline: vscode.l10n.t('section leads'),
    },
    json: {
      'no-comments': vscode.l10n.t('compact'),
      signatures: vscode.l10n.t('sampled'),
      outline: vscode.l10n.t('keys only'),
    },
    diff: {
      'no-comments': vscode.l10n.t('whole'),
      signatures: vscode.l10n.t('changes only'),
      outline: vscode.l10n.t('headers only'),
    },
    fallback: { 'no-comments': vscode.l10n.t('normalised') },
  };
  return levels[input]?.[level] ?? level;
}

function structural(level: string, input: string): string {
  const inputs: Record<string, string> = {
    prose: vscode.l10n.t('prose'),
    json: 'JSON',
    diff: vscode.l10n.t('diff'),
    fallback: vscode.l10n.t('text'),
  };
  return input === 'tree' || !inputs[input]
    ? vscode.l10n.t('structural: {0}', levelName(level, input))
    : vscode.l10n.t('structural ({0}): {1}', inputs[input], levelName(level, input));
}

export const localExplainWords: ExplainWords = {
  keptWhole: () => vscode.l10n.t('kept whole'),
  fitsBudget: () => vscode.l10n.t('the whole context fits the budget'),
  othersCheaper: () => vscode.l10n.t('compressing the other sources lost less'),
  structural,
  model: (rate) =>
    rate === undefined
      ? 'LLMLingua-2'
      : vscode.l10n.t('LLMLingua-2 at rate {0}', rate.toLocaleString(vscode.env.language)),
  selected: (from, kind) => vscode.l10n.t('{0}, then its most important {1}', from, unitKind(kind)),
  truncated: (from) => (from ? vscode.l10n.t('truncated after {0}', from) : vscode.l10n.t('truncated')),
  omittedBinary: () => vscode.l10n.t('left out: binary content'),
  omittedBudget: () => vscode.l10n.t('left out: even its most compressed form did not fit'),
  unitsKept: (kept, total, kind) =>
    vscode.l10n.t(
      '{0} of {1} {2} kept',
      kept.toLocaleString(vscode.env.language),
      total.toLocaleString(vscode.env.language),
      unitKind(kind),
    ),
  partlyKept: (count) => vscode.l10n.t('{0} more in part', count.toLocaleString(vscode.env.language)),
  forQuestion: (labels) => vscode.l10n.t('kept whole for the question: {0}', labels),
  shortBy: (tokens) =>
    vscode.l10n.t('the next richer level needs {0} more tokens', tokens.toLocaleString(vscode.env.language)),
  protectedKept: (kept, total) =>
    vscode.l10n.t(
      '{0} of {1} protected identifiers kept, the most important first (they alone exceed the budget)',
      kept.toLocaleString(vscode.env.language),
      total.toLocaleString(vscode.env.language),
    ),
  noModel: () => vscode.l10n.t('no model run'),
  mergedWith: (labels) => vscode.l10n.t('merged with {0}', labels),
  cut: () => vscode.l10n.t('then cut to fit'),
  failed: (compressor, reason) => failed(compressor, reason),
};

const n = (x: number) => x.toLocaleString(vscode.env.language);

/** A compressor's failure; `reason` is its own message (an error's, not translated). */
function failed(compressor: string, reason: string): string {
  const name = compressor === 'llmlingua2' ? 'LLMLingua-2' : compressor;
  return vscode.l10n.t('{0} failed ({1}); not offered', name, reason);
}

/** The planner's notes about the whole request (PlanNote), in the display language. */
export const localNoteWords: NoteWords = {
  fits: (tokens, budget) => vscode.l10n.t('fits without compression: {0} ≤ {1} tokens', n(tokens), n(budget)),
  attached: (label, times, ranges) =>
    ranges
      ? vscode.l10n.t(
          '{0} attached {1} times ({2} as a range inside the whole document): counted once',
          label,
          n(times),
          n(ranges),
        )
      : vscode.l10n.t('{0} attached {1} times: counted once', label, n(times)),
  overlap: (labels, document, start, end) =>
    vscode.l10n.t(
      '{0}: overlapping ranges of {1} merged into one (characters {2}–{3}), counted once',
      labels,
      document,
      n(start),
      n(end),
    ),
  noModelInstalled: () => vscode.l10n.t('LLMLingua-2 was chosen but no model is installed: structural levels only'),
  cutToFit: (tokens, kept, of) =>
    vscode.l10n.t(
      'the target counted more than planned every time: the context was cut to {0} tokens by its own count ({1} of {2} characters kept)',
      n(tokens),
      n(kept),
      n(of),
    ),
  joinedCut: (budget) =>
    vscode.l10n.t('the joined text was cut to {0} tokens (its parts counted less than the whole)', n(budget)),
  syntaxErrors: (count) =>
    count === 1
      ? vscode.l10n.t('input has 1 syntax error; levels may keep more than usual')
      : vscode.l10n.t('input has {0} syntax errors; levels may keep more than usual', n(count)),
  minified: () => vscode.l10n.t('input looks minified or generated (very long lines)'),
  noGrammar: (language) => vscode.l10n.t("no grammar for '{0}': whitespace and repeated lines only", language),
  unknownLanguage: () => vscode.l10n.t('unknown language: whitespace and repeated lines only'),
  grammarUnavailable: (grammar, reason) =>
    vscode.l10n.t('grammar {0} unavailable ({1}): whitespace and repeated lines only', grammar, reason),
  failed,
  modelRan: (runtime) => vscode.l10n.t('LLMLingua-2 ran on {0}', runtime),
};

/** Explanations and notes in the display language, as the compression service words them. */
export const localWords = { sources: localExplainWords, notes: localNoteWords };

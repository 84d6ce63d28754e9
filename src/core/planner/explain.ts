// What happened to each source, as data (the planner fills a SourceSummary) and in words. The core words it in
// English; a surface with a display language passes its own words (the extension: vscode.l10n), so the German UI
// explains in German. Internals (weights, loss per token, replans) are not here: they go to PlanResult.log.
import type { UnitCount } from '../pack';
import { failureOf } from './notes';

export type SourceOutcome =
  /** Kept as it is: the whole context fits, or compressing the other sources lost less. */
  | { kind: 'whole'; why: 'fits' | 'cheaper' }
  /** One structural level, maybe with units of it opened again (`units`). */
  | { kind: 'structural'; level: string; input: string }
  | { kind: 'model'; rate?: number }
  /** Even the most compressed level did not fit: its most important lines (or JSON entries) were kept. */
  | { kind: 'selected'; level: string; input: string }
  /** Cut at a line after `from` (a level or a model rate), when lines could not be chosen. */
  | { kind: 'truncated'; from?: { level: string; input: string } | { rate?: number } }
  | { kind: 'omitted'; why: 'binary' | 'budget' };

export interface SourceSummary {
  outcome: SourceOutcome;
  /** Units kept of those the level removes (function bodies, items, lines), when the budget was filled unit by unit. */
  units: UnitCount[];
  /** Units kept whole for the question beside the source (functions, sections). */
  forQuestion: string[];
  /** Tokens the next more faithful level would need beyond the budget, when that is what stopped it. */
  shortBy?: number;
  /** Protected identifiers kept of those in the source, when they alone exceeded the budget and some had to go. */
  protectedKept?: { kept: number; total: number };
  /** Compressors that failed on this source, as the packer words it ("<id> failed (<message>); not offered"). */
  failures: string[];
  /** The user chose structural compression only: no model ran. */
  noModel: boolean;
  /** Sources merged into this one (the same document attached twice). */
  mergedFrom: string[];
  /** The last resort cut the joined context after this source was planned. */
  cut: boolean;
}

/** The words a surface explains in; each returns a phrase. English below. */
export interface ExplainWords {
  keptWhole(): string;
  fitsBudget(): string;
  othersCheaper(): string;
  /** "structural: signatures"; `input` is 'tree' (code), 'prose', 'json', 'diff' or 'fallback'. */
  structural(level: string, input: string): string;
  model(rate: number | undefined): string;
  selected(from: string, unitKind: string): string;
  truncated(from: string | undefined): string;
  omittedBinary(): string;
  omittedBudget(): string;
  /** "12 of 40 function bodies kept" */
  unitsKept(kept: number, total: number, kind: string): string;
  /** Appended to unitsKept: "1 more in part" (its first lines, the rest one marker). */
  partlyKept(count: number): string;
  forQuestion(labels: string): string;
  shortBy(tokens: number): string;
  /** "40 of 214 protected identifiers kept (they alone exceed the budget)" */
  protectedKept(kept: number, total: number): string;
  noModel(): string;
  mergedWith(labels: string): string;
  cut(): string;
  /** A compressor (its id, e.g. llmlingua2) failed on the source and was not offered; `reason` is its own message. */
  failed(compressor: string, reason: string): string;
}

/** Level names by kind of input: the same three levels remove different things in code, prose and JSON. */
const LEVELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  tree: { 'no-comments': 'no comments', signatures: 'signatures', outline: 'outline' },
  prose: { 'no-comments': 'normalised', signatures: 'first sentences', outline: 'section leads' },
  json: { 'no-comments': 'compact', signatures: 'sampled', outline: 'keys only' },
  diff: { 'no-comments': 'whole', signatures: 'changes only', outline: 'headers only' },
  fallback: { 'no-comments': 'normalised' },
};

export const ENGLISH: ExplainWords = {
  keptWhole: () => 'kept whole',
  fitsBudget: () => 'the whole context fits the budget',
  othersCheaper: () => 'compressing the other sources lost less',
  structural: (level, input) =>
    `structural${input === 'tree' ? '' : ` (${input === 'fallback' ? 'text' : input})`}: ${LEVELS[input]?.[level] ?? level}`,
  model: (rate) => (rate === undefined ? 'LLMLingua-2' : `LLMLingua-2 at rate ${rate}`),
  selected: (from, unitKind) => `${from}, then its most important ${unitKind}`,
  truncated: (from) => (from ? `truncated after ${from}` : 'truncated'),
  omittedBinary: () => 'left out: binary content',
  omittedBudget: () => 'left out: even its most compressed form did not fit',
  unitsKept: (kept, total, kind) => `${kept} of ${total} ${kind} kept`,
  partlyKept: (count) => `${count} more in part`,
  forQuestion: (labels) => `kept whole for the question: ${labels}`,
  shortBy: (tokens) => `the next richer level needs ${tokens} more token${tokens === 1 ? '' : 's'}`,
  protectedKept: (kept, total) =>
    `${kept} of ${total} protected identifiers kept, the most important first (they alone exceed the budget)`,
  noModel: () => 'no model run',
  mergedWith: (labels) => `merged with ${labels}`,
  cut: () => 'then cut to fit',
  failed: (compressor, reason) => `${compressor} failed (${reason}); not offered`,
};

/** What ran on the source, without what it kept or why ("structural: signatures (no model run)"). */
export function explainWhat(s: SourceSummary, words: ExplainWords = ENGLISH): string {
  const o = s.outcome;
  let what: string;
  switch (o.kind) {
    case 'whole':
      what = words.keptWhole();
      break;
    case 'structural':
      what = words.structural(o.level, o.input);
      break;
    case 'model':
      what = words.model(o.rate);
      break;
    case 'selected':
      what = words.selected(words.structural(o.level, o.input), s.units[0]?.kind ?? 'lines');
      break;
    case 'truncated': {
      const from = o.from
        ? 'level' in o.from
          ? words.structural(o.from.level, o.from.input)
          : words.model(o.from.rate)
        : undefined;
      what = words.truncated(from);
      break;
    }
    case 'omitted':
      what = o.why === 'binary' ? words.omittedBinary() : words.omittedBudget();
      break;
  }
  if (s.noModel && o.kind !== 'whole') what += ` (${words.noModel()})`;
  return what;
}

/** One line: what ran, then what was kept, then why. */
export function explainSource(s: SourceSummary, words: ExplainWords = ENGLISH): string {
  const o = s.outcome;
  const what = explainWhat(s, words);
  const details: string[] = [];
  if (o.kind === 'whole') details.push(o.why === 'fits' ? words.fitsBudget() : words.othersCheaper());
  for (const u of o.kind === 'selected' ? s.units.slice(0, 1) : s.units) {
    details.push(words.unitsKept(u.kept, u.total, u.kind) + (u.partly ? `, ${words.partlyKept(u.partly)}` : ''));
  }
  if (s.forQuestion.length) details.push(words.forQuestion(s.forQuestion.join(', ')));
  if (s.protectedKept) details.push(words.protectedKept(s.protectedKept.kept, s.protectedKept.total));
  if (s.shortBy !== undefined && s.shortBy > 0) details.push(words.shortBy(s.shortBy));
  for (const f of s.failures) {
    const failure = failureOf(f);
    details.push(failure ? words.failed(failure.compressor, failure.reason) : f);
  }
  if (s.cut) details.push(words.cut());
  if (s.mergedFrom.length) details.push(words.mergedWith(s.mergedFrom.join(', ')));
  return details.length ? `${what} — ${details.join('; ')}` : what;
}

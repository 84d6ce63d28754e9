// The compression policy every surface shares, in one place: which languages count as prose (LLMLingua-2 compresses
// them better than structure does), the rates offered to LLMLingua-2 and how much information its removed tokens
// are worth against the structural levels (src/core/pack's LOSS).
import { PROSE_LANGUAGES, normaliseLanguageId } from '../structural/languages';

export { LOSS } from '../pack/ladder';

/** Text the model compresses better than structure does; no language at all (a tool's raw text) counts as prose. */
export function isProse(languageId: string | undefined): boolean {
  const id = normaliseLanguageId(languageId);
  return !id || PROSE_LANGUAGES.has(id);
}

/**
 * Logs, stack traces and command output: most lines start with a timestamp or a level, are stack frames, or form a
 * table under a header row. Their structure (which lines are errors, which repeat) is worth more than any word the
 * model keeps, so under `auto` the line selection shortens them, not the model (with protectIdentifiers the model is
 * offered: the ids are what the user wants kept, and it keeps them while other words go).
 */
export function looksLikeLog(text: string): boolean {
  const lines = text
    .slice(0, 20_000)
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 200);
  if (lines.length < 4) return false;
  const logLine =
    /^\s*(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{2}:\d{2}:\d{2}|\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b|at \S+\(|File "|Traceback|\w+\s{2,}\w+\s{2,}\w+)/;
  return lines.filter((l) => logLine.test(l)).length >= 0.5 * lines.length;
}

/** Kept shares of tokens offered to LLMLingua-2 as ladder rungs. */
export const LLMLINGUA2_RATES: readonly number[] = [0.5, 0.33];
/** With protected identifiers a rate applies to the rest only, so one harsher rung keeps a fitting choice. */
export const LLMLINGUA2_PROTECTED_RATES: readonly number[] = [...LLMLINGUA2_RATES, 0.1];

/**
 * Information lost per token LLMLingua-2 removes. Under `auto` (prose only) it sits between normalising prose
 * (0.05) and cutting paragraphs to their first sentence (0.6); when the user picks LLMLingua-2 outright it is
 * cheaper than eliding function bodies (0.5), so the model's rungs win over structure where both fit.
 */
export const LLMLINGUA2_LOSS = { auto: 0.35, chosen: 0.3 } as const;

/** Share of the planning budget that excerpts kept whole for the question may take at most (whole units only: a
 * larger share keeps more of them whole; windows of a unit misled, 28/36 answers at 30% against 32/36 whole). */
export const FOCUS_SHARE = 0.75;
/**
 * Beyond the most relevant one, excerpts take what the sources' outlines leave, or at most this share: with 0.75
 * for all of them, one more excerpt could push a file below its outline and drop names as the budget grew.
 * Measured on the retention set (36 questions): 0.75 → 33/36 and 35/36 at 30% and 50%, 0.5 → 29/36 and 34/36, the
 * outline kept (before questions kept whole units: 28/36 and 34/36).
 */
export const FOCUS_OVER_FLOOR = 0.5;

/** Bounded retries of the fit loop before the last resort (a cut of the context by the target's own count). */
export const MAX_FIT_ATTEMPTS = 6;
/** A lossy plan that fills less than this share of the budget in the target's count gets larger attempts… */
export const GROW_BELOW = 0.9;
/** …at most this many (the target's count may be a slow chat model's countTokens). */
export const GROW_ATTEMPTS = 3;

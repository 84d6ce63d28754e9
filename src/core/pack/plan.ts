// The plan: which rung of its ladder each source stands on so that the whole fits, taking first the steps that
// save the most tokens per unit of information lost, weighted by priority; then, only if that is not enough, the
// last resort (truncate or omit), lowest priority first.
import { currentVariant, idScope, joinedTokens } from './ladder';
import { NO_EXPAND_TOOL } from '../elisions';
import { commentStyle } from '../structural/reversible';
import { selectedMembers, type FillOptions } from './fill';
import { selectedLines } from './lines';
import { omittedVariant, truncatedVariant } from './truncate';
import type { SourceState } from './types';

/** Each priority rank above the lowest makes a source's loss count this many times more. */
export const PRIORITY_FACTOR = 3;

/** Below this many tokens of room, a truncated source is not worth its header: omit it instead. */
const MIN_TRUNCATED_TOKENS = 16;

interface Step {
  s: SourceState;
  /** The rung stepped to. */
  j: number;
  /** Tokens saved per unit of priority-weighted loss. */
  ratio: number;
}

/** Chooses a variant per source for `target`; returns the step log. Deterministic. */
export function planLevels(
  states: SourceState[],
  target: number,
  separatorTokens: number,
  options: FillOptions = {},
): string[] {
  const reversible = options.reversible === true;
  // Markers a reader can expand (not those that only name lines to read: NO_EXPAND_TOOL).
  const expandable = reversible && options.expandTool !== NO_EXPAND_TOOL;
  const log: string[] = [];
  for (const s of states) {
    s.chosen = 0;
    delete s.final;
    delete s.filled;
    delete s.reason;
  }
  const total = () => joinedTokens(states, separatorTokens);
  // Binary input is never sent.
  for (const s of states) {
    if (s.unsupported) {
      s.final = omittedVariant(s);
      s.reason = `omitted: ${s.unsupported}`;
      log.push(`${s.label}: omitted (${s.unsupported})`);
    }
  }

  // Phase 1: greedy by tokens saved per unit of (priority-weighted) information lost.
  while (total() > target) {
    let best: Step | undefined;
    for (const s of states) {
      if (s.final) continue;
      const weight = PRIORITY_FACTOR ** s.rank;
      const from = s.variants[s.chosen]!;
      for (let j = s.chosen + 1; j < s.variants.length; j++) {
        const to = s.variants[j]!;
        const saved = from.tokens - to.tokens;
        if (saved <= 0) continue;
        const ratio = saved / Math.max(1e-9, (to.loss - from.loss) * weight);
        if (!best || isBetterStep({ s, j, ratio }, best)) best = { s, j, ratio };
      }
    }
    if (!best) break;
    const from = best.s.variants[best.s.chosen]!;
    best.s.chosen = best.j;
    const to = best.s.variants[best.j]!;
    log.push(
      `${best.s.label} (priority ${best.s.source.priority}): ${from.level} → ${to.level}, ` +
        `${from.tokens - to.tokens} tokens saved at ${(1 / best.ratio).toFixed(3)} weighted loss per token`,
    );
  }

  if (total() <= target) {
    // Undo steps that turned out unnecessary, most important sources first (the last greedy step may overshoot).
    const order = [...states].sort((a, b) => b.source.priority - a.source.priority || a.index - b.index);
    for (const s of order) {
      while (!s.final && s.chosen > 0) {
        s.chosen--;
        if (total() <= target) {
          log.push(`${s.label}: back to ${s.variants[s.chosen]!.level} (still fits)`);
          continue;
        }
        s.chosen++;
        break;
      }
    }
  } else {
    // Phase 2, last resort: truncate or omit, lowest priority first (later sources first among equals).
    const order = [...states].sort((a, b) => a.source.priority - b.source.priority || b.index - a.index);
    for (const s of order) {
      if (total() <= target) break;
      if (s.final) continue;
      const v = currentVariant(s);
      const others = total() - v.tokens - s.headerTokens;
      const room = target - others - s.headerTokens;
      // In reversible output a marker alone is worth its header (the model can ask for the source by its id); the
      // sources after this one, of higher priority, give up the room it takes.
      const worth = room < v.tokens && (room >= MIN_TRUNCATED_TOKENS || expandable);
      // Lines are chosen from the structural floor; a model's output (LLMLingua-2) is cut where it stops instead.
      const structuralRung = v.level === 'full' || v.analysisLevel !== undefined;
      const selected =
        worth && structuralRung ? (selectedMembers(s, room, options) ?? selectedLines(s, room, options)) : undefined;
      const cut = selected?.text
        ? selected
        : worth
          ? truncatedVariant(
              v,
              room,
              s.count,
              s.source.text,
              reversible,
              idScope(s),
              options.expandTool,
              commentStyle(s.analysis?.languageId ?? s.source.languageId).code === true,
            )
          : undefined;
      if (cut?.text) {
        s.final = cut;
        log.push(`${s.label}: ${cut.level} to ${s.final.tokens} tokens (last resort: lowest priority left)`);
        s.reason =
          cut.level === 'selected'
            ? `even its most compressed level did not fit: ${cut.description} kept`
            : `truncated (last resort): even at ${v.level} the context did not fit; lowest priority remaining`;
      } else {
        s.final = omittedVariant(s);
        log.push(`${s.label}: omitted (last resort: lowest priority left, ${v.tokens} tokens at ${v.level})`);
        s.reason = `omitted (last resort): even at ${v.level} (${v.tokens} tokens) the context did not fit`;
      }
    }
    // Reversible markers kept for room the others never gave (many small sources): the lowest priority go whole,
    // but the last one present keeps its marker (the model can still ask for it; a header around it may shrink).
    for (const s of order) {
      if (total() <= target) break;
      if (s.final?.level === 'omitted') continue;
      if (states.filter((x) => x.final?.level !== 'omitted').length <= 1) break;
      s.final = omittedVariant(s);
      log.push(`${s.label}: omitted (last resort: even the markers of all sources did not fit)`);
      s.reason = 'omitted (last resort): even the markers of all sources did not fit';
    }
  }

  const slack = target - total();
  for (const s of states) {
    delete s.shortBy;
    if (!s.final && s.chosen > 0) {
      s.shortBy = Math.max(1, s.variants[s.chosen - 1]!.tokens - s.variants[s.chosen]!.tokens - slack);
    }
    if (s.reason) continue;
    const v = currentVariant(s);
    if (s.chosen === 0) {
      s.reason = 'kept in full: compressing other sources was cheaper in information lost';
    } else {
      const lesser = s.variants[s.chosen - 1]!;
      s.reason = `${v.level} (${v.description}): the least lossy level that fits; ${lesser.level} would need ${s.shortBy} more tokens`;
    }
  }
  return log;
}

function isBetterStep(a: Step, b: Step): boolean {
  // Relative epsilon so that equal ratios computed differently still tie, and ties break deterministically.
  if (Math.abs(a.ratio - b.ratio) > 1e-9 * Math.max(a.ratio, b.ratio)) return a.ratio > b.ratio;
  if (a.s.source.priority !== b.s.source.priority) return a.s.source.priority < b.s.source.priority;
  if (a.s.index !== b.s.index) return a.s.index > b.s.index;
  return a.j < b.j;
}

// Budget packer: several sources share one token budget. Each source has a ladder of candidates (ladder.ts); the
// plan picks one rung per source so that the whole fits (plan.ts), with truncation and omission as the last resort
// (truncate.ts). This module counts, verifies the joined text against the budget and reports.
import { CancelledError, countTokens } from '../tokens/count';
import { looksBinary } from '../structural/index';
import { buildLadder, currentVariant, fullVariant } from './ladder';
import { fillUnits } from './fill';
import { planLevels } from './plan';
import { omittedVariant, truncateToTokens } from './truncate';
import type { PackNote, PackOptions, PackResult, PackSource, SourceState } from './types';

export async function packSources(sources: readonly PackSource[], options: PackOptions): Promise<PackResult> {
  const { tokenizer, cancellation } = options;
  const budget = Math.max(0, Math.floor(options.budget));
  const separator = options.separator ?? '\n\n';
  const structural = options.structural;
  const check = () => {
    if (cancellation?.isCancellationRequested) throw new CancelledError();
  };
  const progress = (done: number) => options.onProgress?.(Math.round(done * 1000), 1000);

  const priorities = [...new Set(sources.map((s) => s.priority))].sort((a, b) => a - b);
  const separatorTokens = tokenizer.count(separator);
  const states: SourceState[] = [];
  for (const [index, source] of sources.entries()) {
    const header = source.header ?? '';
    const originalTokens = await countTokens(source.text, tokenizer, cancellation);
    states.push({
      index,
      source,
      label: source.label ?? source.id,
      rank: priorities.indexOf(source.priority),
      headerTokens: header ? tokenizer.count(header) : 0,
      variants: [fullVariant(source.text, originalTokens)],
      chosen: 0,
      count: (text) => tokenizer.count(text),
    });
  }
  const notes: PackNote[] = [];
  const log: string[] = [];
  const originalTokens = states.reduce((sum, s) => sum + s.variants[0]!.tokens, 0);

  const assemble = () => {
    const parts: string[] = [];
    for (const s of states) {
      const v = currentVariant(s);
      if (v.level === 'omitted') continue;
      parts.push((s.source.header ?? '') + v.text);
    }
    return parts.join(separator);
  };

  // Binary input is never sent, not even when it would fit.
  for (const s of states) {
    if (looksBinary(s.source.text)) {
      s.unsupported = 'binary content (NUL or control characters)';
      s.final = omittedVariant(s);
      s.reason = `omitted: ${s.unsupported}`;
    }
  }

  // Fast path: compression is skipped entirely when the context already fits.
  let exact = await countTokens(assemble(), tokenizer, cancellation);
  if (exact <= budget) {
    for (const s of states) {
      s.reason ??= 'kept in full: the whole context fits the budget';
    }
    return packResult(states, assemble(), exact, budget, originalTokens, [], ['fits without compression']);
  }

  // Build every source's ladder (analysis is the expensive part: report progress per source).
  for (const [i, s] of states.entries()) {
    check();
    await buildLadder(s, structural, tokenizer, cancellation, options.reversible, options.expandTool);
    progress((0.8 * (i + 1)) / states.length);
  }

  // Exact counts of the joined text can differ slightly from the sum of parts (BPE merges across joins), so
  // plan against a budget that shrinks by any overshoot, then verify.
  let target = budget;
  const fill = {
    ...(options.reversible ? { reversible: true } : {}),
    ...(options.reversible && options.expandTool ? { expandTool: options.expandTool } : {}),
    ...(options.question ? { question: options.question } : {}),
    ...(options.protectIdentifiers ? { protectIdentifiers: true } : {}),
  };
  for (let attempt = 0; attempt < 4; attempt++) {
    check();
    const stepNotes = planLevels(states, target, separatorTokens, fill);
    fillUnits(states, target, separatorTokens, fill);
    const text = assemble();
    exact = await countTokens(text, tokenizer, cancellation);
    if (exact <= budget) {
      log.push(...stepNotes);
      progress(1);
      return packResult(states, text, exact, budget, originalTokens, notes, log);
    }
    target -= exact - budget;
    log.push(`joined text counted ${exact} > ${budget}; replanning against ${target}`);
  }
  // Still over (pathological tokenization, or a marker that cannot shrink). Reversible output is never cut through
  // a marker (its id could not be expanded): sources are left out instead, lowest priority first.
  if (options.reversible) {
    const present = states
      .filter((s) => currentVariant(s).level !== 'omitted')
      .sort((a, b) => a.source.priority - b.source.priority || b.index - a.index);
    for (const s of present) {
      delete s.filled;
      s.final = omittedVariant(s);
      s.reason = 'omitted: its smallest form did not fit the budget';
      const text = assemble();
      exact = await countTokens(text, tokenizer, cancellation);
      if (exact <= budget) {
        log.push(`${s.label} left out: the joined text still counted over ${budget}`);
        return packResult(states, text, exact, budget, originalTokens, notes, log);
      }
    }
  }
  // Cut the joined text itself. Never over budget.
  const cut = truncateToTokens(assemble(), budget, tokenizer);
  notes.push({ kind: 'joinedCut', budget });
  return packResult(states, cut.text, cut.tokens, budget, originalTokens, notes, log);
}

function packResult(
  states: SourceState[],
  text: string,
  totalTokens: number,
  budget: number,
  originalTokens: number,
  notes: PackNote[],
  log: string[],
): PackResult {
  return {
    text,
    totalTokens,
    budget,
    originalTokens,
    notes: [
      ...states.flatMap((s) =>
        [...(s.analysisNotes ?? []), ...(s.failures ?? [])].map((text) => ({
          kind: 'source' as const,
          label: s.label,
          text,
        })),
      ),
      ...notes,
    ],
    log,
    sources: states.map((s) => {
      const v = currentVariant(s);
      return {
        id: s.source.id,
        label: s.label,
        priority: s.source.priority,
        level: v.level,
        method: v.method,
        ...(v.cutFrom !== undefined ? { cutFrom: v.cutFrom } : {}),
        text: v.text,
        tokens: v.tokens,
        originalTokens: s.variants[0]!.tokens,
        headerTokens: v.level === 'omitted' ? 0 : s.headerTokens,
        segments: v.segments,
        ...(v.units ? { units: v.units } : s.closed && !s.final ? { units: s.closed } : {}),
        ...(v.protectedKept ? { protectedKept: v.protectedKept } : {}),
        // The distance from what is left of the budget now (after the fill), not from the plan's first slack.
        ...(s.shortBy !== undefined && !s.filled && !s.final
          ? { shortBy: Math.max(1, s.variants[s.chosen - 1]!.tokens - v.tokens - Math.max(0, budget - totalTokens)) }
          : {}),
        ...(s.analysis ? { input: s.analysis.kind } : {}),
        ...(s.failures?.length ? { failures: s.failures } : {}),
        ...(s.unsupported ? { unsupported: s.unsupported } : {}),
        reason: [s.reason ?? '', ...(s.failures ?? [])].filter(Boolean).join('; '),
        candidates: s.variants.map(({ level, method, description, tokens, loss }) => ({
          level,
          method,
          description,
          tokens,
          loss: Math.round(loss * 10) / 10,
        })),
      };
    }),
  };
}

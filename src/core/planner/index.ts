// The one budget planner every surface calls. It deduplicates the sources, plans with a fast bundled tokenizer
// (src/core/pack needs synchronous counts), assembles the framed text, verifies it with the target's own count
// (maybe asynchronous: a chat model's countTokens) and shrinks and retries until it fits; as a last resort it cuts
// the context by the target's count, so the result is never over budget in that count.
import { wordRulesOf, type Compressor, type Segment } from '../compressor';
import { declaredNames, elisionsOf, lineRange, pointBelow, type Elision } from '../elisions';
import { packSources, type ExtraCompressor, type PackResult, type PackSource, type PackedSource } from '../pack';
import { analyseOptions } from '../pack/ladder';
import { cutSegmentsDropping } from '../pack/truncate';
import {
  UnsupportedInputError,
  looksBinary,
  type StructuralAnalysis,
  type StructuralCompressor,
} from '../structural/index';
import { CancelledError, countTokens } from '../tokens/count';
import { dedupeSources, type DedupedSource } from './dedupe';
import { explainSource, type SourceOutcome, type SourceSummary } from './explain';
import { findFocus, type FocusExcerpt } from './focus';
import { noteText, type PlanNote } from './notes';
import {
  FOCUS_OVER_FLOOR,
  FOCUS_SHARE,
  GROW_ATTEMPTS,
  GROW_BELOW,
  LLMLINGUA2_LOSS,
  LLMLINGUA2_PROTECTED_RATES,
  LLMLINGUA2_RATES,
  MAX_FIT_ATTEMPTS,
  isProse,
  looksLikeLog,
} from './policy';
import type { FocusUnit, PlanRequest, PlanResult, PlannedSource } from './types';

export type * from './types';
export { ENGLISH, explainSource, type ExplainWords, type SourceOutcome, type SourceSummary } from './explain';
export { dedupeSources } from './dedupe';
export { ENGLISH_NOTES, noteText, type NoteWords, type PlanNote } from './notes';

const DEFAULT_SEPARATOR = '\n\n';

export async function planContext(request: PlanRequest): Promise<PlanResult> {
  const { cancellation, planning } = request;
  const check = () => {
    if (cancellation?.isCancellationRequested) throw new CancelledError();
  };
  const count = async (text: string): Promise<number> => {
    check();
    const n = await request.count(text, cancellation);
    check();
    return n;
  };
  const frame = request.frame ?? ((context: string) => context);
  const separator = request.separator ?? DEFAULT_SEPARATOR;

  const deduped = dedupeSources(request.sources);
  const sources = deduped.sources;
  const notes: PlanNote[] = [...deduped.notes];
  const sourceText = sources.map((s) => (s.header ?? '') + s.text).join(separator);
  const originalTokens = await count(frame(sourceText));
  const budget = Math.max(0, Math.floor(request.rate !== undefined ? request.rate * originalTokens : request.budget));
  const originalTargets = await Promise.all(sources.map((s) => count(s.text)));
  const base = { sources, sourceText, budget, originalTokens, originalTargets, notes, frame };

  // Fast path: the fastest compression is the one not run. Not for binary input, which the packer never sends.
  if (originalTokens <= budget && !sources.some((s) => looksBinary(s.text))) return untouched(base, planning);

  const frameCost = await count(frame(''));
  if (frameCost > budget) {
    throw new Error(
      `the frame alone (instruction, question and summary around the context) takes ${frameCost} tokens, ` +
        `over the budget of ${budget}: nothing can be packed`,
    );
  }
  const fitting = await prepareFitting(request, base, { count, separator, frameCost });
  const first = await fitToBudget(fitting);
  let best = first.best && (await growIntoRoom(fitting, first.best, first.planBudget));
  let finalCut: number | undefined;
  if (!best) {
    const cut = await cutLastAttempt(fitting, first.last!, notes);
    finalCut = cut.finalCut;
    best = cut.best;
  }
  notes.push(...best.pack.notes);
  fitting.log.push(...best.pack.log);

  return buildResult(request, {
    ...base,
    separator,
    pack: best.pack,
    excerpts: best.excerpts,
    context: best.context,
    tokens: best.tokens,
    finalCut,
    log: fitting.log,
    attempts: fitting.attempts,
    count,
  });
}

/** What every step of a plan shares: the deduplicated sources, their counts and the budget in the target's count. */
interface PlanBase {
  sources: DedupedSource[];
  sourceText: string;
  budget: number;
  originalTokens: number;
  originalTargets: number[];
  notes: PlanNote[];
  frame: (context: string) => string;
}

/** The whole context fits: every source kept in full, nothing run. */
function untouched(base: PlanBase, planning: PlanRequest['planning']): PlanResult {
  const { sources, sourceText, originalTokens, originalTargets, notes } = base;
  notes.push({ kind: 'fits', tokens: originalTokens, budget: base.budget });
  return {
    context: sourceText,
    text: base.frame(sourceText),
    tokens: originalTokens,
    budget: base.budget,
    originalTokens,
    untouched: true,
    sources: sources.map((s, i) => {
      const tokens = planning.count(s.text);
      return {
        id: s.id,
        label: s.label ?? s.id,
        priority: s.priority,
        level: 'full',
        method: 'none',
        text: s.text,
        tokens,
        originalTokens: tokens,
        headerTokens: s.header ? planning.count(s.header) : 0,
        segments: s.text ? [{ start: 0, end: s.text.length, status: 'kept' }] : [],
        reason: 'kept in full: the whole context fits the budget',
        // Nothing was compressed, so the whole text was the only rung considered.
        candidates: [{ level: 'full', method: 'none', description: 'unchanged', tokens, loss: 0 }],
        ...described(summaryOf({ level: 'full', method: 'none' }, s.mergedFrom, 'fits')),
        targetTokens: originalTargets[i]!,
        originalTargetTokens: originalTargets[i]!,
        mergedFrom: s.mergedFrom,
      };
    }),
    focus: [],
    segments: sourceText ? [{ start: 0, end: sourceText.length, status: 'kept' }] : [],
    sourceText,
    notes: notes.map((n) => noteText(n)),
    noteData: notes,
    log: [],
    attempts: [],
    elisions: [],
  };
}

/** One packing of the sources with the question's excerpts, as assembled text. */
interface Packed {
  pack: PackResult;
  excerpts: FocusExcerpt[];
  context: string;
}
type Fitted = Packed & { tokens: number };

/** What the fit, grow and cut steps work with: how to pack at a planning budget and how to check it. */
interface Fitting {
  request: PlanRequest;
  budget: number;
  /** The budget less the frame, in the target's count. */
  room: number;
  frameCost: number;
  /** The first planning budget: the room scaled by the ratio of the target's count to the planning tokenizer's. */
  planBudget: number;
  pack: (planBudget: number, reportProgress: boolean) => Promise<Packed>;
  /** The target's count of the framed context. */
  countFramed: (context: string) => Promise<number>;
  log: string[];
  attempts: number[];
}

async function prepareFitting(
  request: PlanRequest,
  base: PlanBase,
  { count, separator, frameCost }: { count: (text: string) => Promise<number>; separator: string; frameCost: number },
): Promise<Fitting> {
  const { sources, sourceText, budget, originalTokens, frame } = base;
  // The budget's share of the whole: offered to LLMLingua-2 as a rung of its own, so a budget between two of its
  // fixed rates is used rather than falling to the lower one.
  const extra = modelCompressors(request, base.notes, budget / Math.max(1, originalTokens));
  const packBase: PackSource[] = sources.map((s) => ({
    id: s.id,
    ...(s.label !== undefined ? { label: s.label } : {}),
    text: s.text,
    ...(s.languageId !== undefined ? { languageId: s.languageId } : {}),
    priority: s.priority,
    ...(s.header !== undefined ? { header: s.header } : {}),
    ...(extra.forSource(s) ? { compressors: extra.forSource(s)! } : {}),
  }));

  // The planning tokenizer and the target disagree by some ratio (2× for some models, characters for others):
  // start from the ratio the whole text shows, then correct by what each attempt measures.
  const room = budget - frameCost;
  const planningOriginal = await countTokens(sourceText, request.planning, request.cancellation);
  const targetContext = Math.max(1, originalTokens - frameCost);
  const ratio = planningOriginal > 0 ? targetContext / planningOriginal : 1;
  const planBudget = Math.max(0, Math.floor(room / Math.max(ratio, 1e-6)));

  const structural = memoised(request.structural);
  // What every source's outline takes: beyond the first, excerpts come out of what the outlines leave.
  const floor = request.question ? await floorTokens(packBase, structural, request, separator) : 0;
  const focus = request.question
    ? await findFocus(
        sources,
        request.question,
        Math.floor(FOCUS_SHARE * planBudget),
        structural,
        request.planning,
        request.cancellation,
      )
    : { excerpts: [] as FocusExcerpt[], notes: [] as string[] };
  return {
    request,
    budget,
    room,
    frameCost,
    planBudget,
    pack: (at, reportProgress) =>
      packWithFocus(packBase, focus.excerpts, at, floor, request, structural, separator, reportProgress),
    countFramed: (context) => count(frame(context)),
    log: [...focus.notes],
    attempts: [],
  };
}

/** Packs at shrinking planning budgets until the target's count of the framed text is within the budget. */
async function fitToBudget(f: Fitting): Promise<{ best?: Fitted; last?: Packed; planBudget: number }> {
  let planBudget = f.planBudget;
  let last: Packed | undefined;
  for (let attempt = 0; attempt < MAX_FIT_ATTEMPTS; attempt++) {
    f.attempts.push(planBudget);
    const packed = await f.pack(planBudget, attempt === 0);
    last = packed;
    const tokens = await f.countFramed(packed.context);
    if (tokens <= f.budget) return { best: { ...packed, tokens }, last, planBudget };
    // Scale what the packer produced (not what it was allowed) by the observed ratio, with a small margin.
    const measured = tokens - f.frameCost;
    const next = Math.floor((Math.max(1, packed.pack.totalTokens) * f.room * 0.97) / measured);
    f.log.push(
      `attempt ${attempt + 1}: planned ${planBudget}, the target counted ${tokens} > ${f.budget}; replanning at ${Math.min(planBudget - 1, next)}`,
    );
    planBudget = Math.min(planBudget - 1, next);
    if (planBudget < 0) break;
  }
  return { ...(last ? { last } : {}), planBudget };
}

/**
 * The whole text's ratio can overstate the compressed text's (markers' ids, code count differently): a lossy plan
 * that left room grows at the ratio it measured, kept only where the target agrees it fits; a larger plan that
 * counts over is halved back towards the one that fit (the fill uses every token it is given, so the first guess
 * often lands just over).
 */
async function growIntoRoom(f: Fitting, fitted: Fitted, planBudget: number): Promise<Fitted> {
  let best = fitted;
  let fits = planBudget;
  let over = Infinity;
  for (let grow = 0; grow < GROW_ATTEMPTS && best.tokens < GROW_BELOW * f.budget; grow++) {
    if (!best.pack.sources.some((s) => s.level !== 'full')) break;
    const measured = Math.max(1, best.tokens - f.frameCost);
    const scaled = Math.floor((Math.max(1, best.pack.totalTokens) * f.room * 0.97) / measured);
    const next = over === Infinity ? scaled : Math.floor((fits + over) / 2);
    if (next <= fits || next >= over) break;
    f.attempts.push(next);
    const packed = await f.pack(next, false);
    const tokens = await f.countFramed(packed.context);
    if (tokens <= f.budget) {
      if (tokens > best.tokens) best = { ...packed, tokens };
      fits = next;
    } else {
      f.log.push(`a larger plan (${next}) counted ${tokens} > ${f.budget}; kept the one that fits`);
      over = next;
    }
  }
  return best;
}

/** Last resort: the longest prefix of the smallest attempt's context that the target agrees fits. */
async function cutLastAttempt(
  f: Fitting,
  last: Packed,
  notes: PlanNote[],
): Promise<{ best: Fitted; finalCut: number }> {
  const cut = await cutToFit(last.context, f.countFramed, f.budget, f.request.reversible === true);
  notes.push({ kind: 'cutToFit', tokens: cut.tokens, kept: cut.length, of: last.context.length });
  return {
    best: { ...last, context: last.context.slice(0, cut.length), tokens: cut.tokens },
    finalCut: cut.length,
  };
}

/** The model compressors each source is offered, per the user's choice; 'structural' never runs a model. */
function modelCompressors(
  request: PlanRequest,
  notes: PlanNote[],
  share: number,
): { forSource: (s: DedupedSource) => ExtraCompressor[] | undefined } {
  const choice = request.compressor;
  if (choice === 'structural') return { forSource: () => undefined };
  const load = request.llmlingua2;
  if (!load) {
    if (choice === 'llmlingua2') notes.push({ kind: 'noModelInstalled' });
    return { forSource: () => undefined };
  }
  // Loaded on first use: only when some source actually needs compressing. A failed load fails each compress,
  // which the ladder records as that compressor's failure (kept in the source's explanation).
  let pending: Promise<Compressor> | undefined;
  // Every fit attempt rebuilds the ladders; the model's run for a text and rate is the same each time, and it is
  // the slowest step, so it runs once per plan.
  const runs = new Map<string, ReturnType<Compressor['compress']>>();
  const lazy: Compressor = {
    id: 'llmlingua2',
    compress: (req) => {
      const key = `${req.rate ?? ''}|${req.budget ?? ''}|${req.text}`;
      let run = runs.get(key);
      if (!run) {
        run = (pending ??= load()).then((c) => c.compress(req));
        runs.set(key, run);
      }
      return run;
    },
  };
  const rules = wordRulesOf(request);
  const compressor: Compressor =
    Object.keys(rules).length > 0 ? { id: 'llmlingua2', compress: (req) => lazy.compress({ ...req, ...rules }) } : lazy;
  const extra: ExtraCompressor[] = [
    {
      compressor,
      ...(rules.protectIdentifiers
        ? // Ids are kept outside a rate: the budget's own share is offered as a budget, which holds with them in it.
          {
            rates: LLMLINGUA2_PROTECTED_RATES,
            budgetShares: share > 0 && share < 1 ? [shareRung(share)] : [],
          }
        : { rates: withShare(LLMLINGUA2_RATES, share) }),
      lossPerToken: LLMLINGUA2_LOSS[choice === 'auto' ? 'auto' : 'chosen'],
    },
  ];
  // Under auto a log keeps its lines' structure (see looksLikeLog). With protect the user asked for the model's
  // word choice around the ids, so it is offered.
  return {
    forSource: (s) => {
      if (choice === 'llmlingua2') return extra;
      if (!isProse(s.languageId)) return undefined;
      return looksLikeLog(s.text) && !rules.protectIdentifiers ? undefined : extra;
    },
  };
}

/**
 * The budget's share as a model rung: rounded down to 0.01, or to 0.001 below 0.1 (a small budget rounded to 0.01
 * would lose up to a quarter of itself, and below 0.01 all of it).
 */
function shareRung(share: number): number {
  const step = share < 0.1 ? 1000 : 100;
  return Math.max(1 / step, Math.floor(share * step) / step);
}

/** The fixed rates plus the budget's own share when it lies below or between them and is not one of them. */
function withShare(rates: readonly number[], share: number): number[] {
  const r = shareRung(share);
  const inside = share > 0 && r < Math.max(...rates) && !rates.some((x) => Math.abs(x - r) < 0.02);
  return inside ? [...rates, r].sort((a, b) => b - a) : [...rates];
}

/**
 * Packs the sources into what the excerpts kept whole for the question leave of the planning budget, then places
 * each excerpt right after its source. Excerpts are not packer sources: the packer never compresses them.
 */
async function packWithFocus(
  base: readonly PackSource[],
  excerpts: readonly FocusExcerpt[],
  planBudget: number,
  floor: number,
  request: PlanRequest,
  structural: StructuralCompressor,
  separator: string,
  reportProgress: boolean,
): Promise<{ pack: PackResult; excerpts: FocusExcerpt[]; context: string }> {
  const separatorTokens = request.planning.count(separator);
  // Within the focus share of this attempt's budget, most relevant first (findFocus orders them so).
  let kept: FocusExcerpt[] = [];
  let spent = 0;
  for (const e of excerpts) {
    // The same unit in two files (a copied file, a shared header) goes in once.
    if (kept.some((k) => k.text === e.text)) continue;
    const next = spent + e.tokens + separatorTokens;
    if (next > FOCUS_SHARE * planBudget) continue;
    // The most relevant unit is kept whole even below the outlines (the question comes first); the others from
    // what the outlines leave, or up to FOCUS_OVER_FLOOR of the budget, so a larger budget keeps the names.
    if (kept.length > 0 && next > Math.max(planBudget - floor, FOCUS_OVER_FLOOR * planBudget)) continue;
    kept.push(e);
    spent += e.tokens + separatorTokens;
  }
  for (;;) {
    const cost = kept.reduce((sum, e) => sum + e.tokens + separatorTokens, 0);
    // What an excerpt shows whole, its source leaves closed (the fill would otherwise send it twice).
    const withShown = base.map((b, i) => {
      const shown = kept.filter((e) => e.sourceIndex === i).map((e) => ({ start: e.unit.start, end: e.unit.end }));
      return shown.length ? { ...b, shown } : b;
    });
    const pack = await packSources(withShown, {
      budget: Math.max(0, planBudget - cost),
      tokenizer: request.planning,
      structural,
      separator,
      ...(request.reversible ? { reversible: true } : {}),
      ...(request.reversible && request.expandTool ? { expandTool: request.expandTool } : {}),
      ...(request.question ? { question: request.question } : {}),
      ...(request.protectIdentifiers ? { protectIdentifiers: true } : {}),
      ...(request.cancellation ? { cancellation: request.cancellation } : {}),
      ...(reportProgress && request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    // An excerpt whose source went in with that text intact repeats it: drop it and pack again (the tokens it held
    // go to the rest).
    const redundant = kept.filter((e) => {
      const parent = pack.sources[e.sourceIndex]!;
      return parent.level !== 'omitted' && parent.text.includes(e.text);
    });
    if (redundant.length && kept.length) {
      kept = kept.filter((e) => !redundant.includes(e));
      continue;
    }
    if (request.reversible) pointToExcerpts(pack, kept, base);
    const parts: string[] = [];
    for (const [i, p] of pack.sources.entries()) {
      if (p.level !== 'omitted') parts.push((base[i]!.header ?? '') + p.text);
      for (const e of kept.filter((x) => x.sourceIndex === i)) parts.push(e.header + e.text);
    }
    let context = parts.join(separator);
    const plain = pack.sources
      .map((p, i) => (p.level === 'omitted' ? undefined : (base[i]!.header ?? '') + p.text))
      .filter((x): x is string => x !== undefined)
      .join(separator);
    // The packer's own safety cut (its text is not the join of its sources): keep its text, excerpts after it.
    if (plain !== pack.text) {
      context = [pack.text, ...kept.map((e) => e.header + e.text)].filter(Boolean).join(separator);
    }
    return { pack, excerpts: kept, context };
  }
}

/**
 * Markers for a region an excerpt shows whole below point to it rather than offer the expand call (pointBelow): in
 * the packed sources' texts and segments, and the packer's joined text. A marker's region may start above the
 * unit (its doc comment joined it) but not hold another declaration.
 */
function pointToExcerpts(pack: PackResult, kept: readonly FocusExcerpt[], base: readonly PackSource[]): void {
  for (const [i, p] of pack.sources.entries()) {
    const shown = kept.filter((e) => e.sourceIndex === i);
    if (!shown.length || p.level === 'omitted') continue;
    const text = base[i]!.text;
    const standsFor = (s: Segment, e: FocusExcerpt) =>
      s.end > e.unit.start &&
      s.end <= e.unit.end &&
      (s.start >= e.unit.start || declaredNames(text.slice(s.start, e.unit.start)).length === 0);
    p.segments = p.segments.map((s) => {
      if (s.status !== 'elided' || !s.replacement) return s;
      if (!shown.some((e) => standsFor(s, e))) return s;
      const replacement = pointBelow(s.replacement);
      if (replacement === s.replacement) return s;
      p.text = p.text.replace(s.replacement, replacement);
      pack.text = pack.text.replace(s.replacement, replacement);
      return { ...s, replacement };
    });
  }
}

/**
 * Planning tokens of every source at its most compressed structural level (its outline), with headers and
 * separators: what the fill keeps of each source before it spends anything on bodies. A source the structural
 * compressor cannot analyse counts whole; binary input counts nothing (it is never sent).
 */
async function floorTokens(
  base: readonly PackSource[],
  structural: StructuralCompressor,
  request: PlanRequest,
  separator: string,
): Promise<number> {
  const { planning } = request;
  let sum = 0;
  let present = 0;
  for (const [index, source] of base.entries()) {
    if (looksBinary(source.text)) continue;
    let text = source.text;
    try {
      const analysis = await structural.analyse(
        source.text,
        source.languageId,
        analyseOptions({ index, source }, request),
      );
      text = analysis.levels.at(-1)?.text ?? text;
    } catch (err) {
      if (!(err instanceof UnsupportedInputError)) throw err;
    }
    sum += planning.count((source.header ?? '') + text);
    present++;
  }
  return sum + Math.max(0, present - 1) * planning.count(separator);
}

/** Analyses each text once per plan: focus and every fit attempt's packer ask for the same analyses. */
function memoised(structural: StructuralCompressor): StructuralCompressor {
  const cache = new Map<string, Promise<StructuralAnalysis>>();
  return {
    ...structural,
    analyse(text, languageId, options) {
      const reversible = options?.reversible ? `r${options.scope ?? ''}\u0001${options.expandTool ?? ''}` : '';
      const key = `${languageId ?? ''}\u0000${reversible}\u0000${text}`;
      let pending = cache.get(key);
      if (!pending) {
        pending = structural.analyse(text, languageId, options);
        cache.set(key, pending);
        // A cancelled or failed analysis is not remembered.
        pending.catch(() => cache.delete(key));
      }
      return pending;
    },
  };
}

/** The longest prefix (at a line end when one is near) whose framed count fits; '' fits (the frame was checked). */
async function cutToFit(
  context: string,
  framedCount: (prefix: string) => Promise<number>,
  budget: number,
  reversible = false,
): Promise<{ length: number; tokens: number }> {
  let lo = 0;
  let hi = context.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await framedCount(context.slice(0, mid))) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const newline = context.lastIndexOf('\n', lo);
  let length = newline > 0 && lo - newline < 200 ? newline : lo;
  // A marker cut in half names no id to expand: the line it is on goes whole.
  if (reversible && splitsMarker(context, length)) length = Math.max(0, context.lastIndexOf('\n', length - 1));
  let tokens = await framedCount(context.slice(0, length));
  // Counters need not be monotone in the prefix: fall back to the checked empty context.
  if (tokens > budget) {
    length = 0;
    tokens = await framedCount('');
  }
  return { length, tokens };
}

/** The cut at `length` falls on a line with a marker's "…" before it and more of that line after it. */
function splitsMarker(context: string, length: number): boolean {
  const lineStart = context.lastIndexOf('\n', length - 1) + 1;
  return context.slice(lineStart, length).includes('…') && length < context.length && context[length] !== '\n';
}

interface Assembled {
  sources: DedupedSource[];
  sourceText: string;
  separator: string;
  budget: number;
  originalTokens: number;
  originalTargets: number[];
  pack: PackResult;
  excerpts: FocusExcerpt[];
  context: string;
  tokens: number;
  finalCut: number | undefined;
  notes: PlanNote[];
  log: string[];
  attempts: number[];
  count: (text: string) => Promise<number>;
  frame: (context: string) => string;
}

async function buildResult(request: PlanRequest, a: Assembled): Promise<PlanResult> {
  const bySource = new Map<number, { packed: PackedSource; excerpts: FocusExcerpt[] }>();
  for (let i = 0; i < a.sources.length; i++) {
    bySource.set(i, { packed: a.pack.sources[i]!, excerpts: a.excerpts.filter((e) => e.sourceIndex === i) });
  }

  // Segments over the joined sources: headers and separators kept unless the source was left out. An excerpt's
  // range shows as kept in its source (the excerpt sits beside the compressed source in the context).
  let segments: Segment[] = [];
  let offset = 0;
  let firstPresent = true;
  // Where each source's own text starts in the joined text: an elision's lines are counted in its source.
  const starts: number[] = [];
  for (const [i, s] of a.sources.entries()) {
    const { packed, excerpts } = bySource.get(i)!;
    const present = packed.level !== 'omitted' || excerpts.length > 0;
    if (i > 0) {
      const status = present && !firstPresent ? 'kept' : 'dropped';
      segments.push({ start: offset, end: offset + a.separator.length, status });
      offset += a.separator.length;
    }
    const header = s.header ?? '';
    if (header) segments.push({ start: offset, end: offset + header.length, status: present ? 'kept' : 'dropped' });
    offset += header.length;
    starts.push(offset);
    let own = packed.segments;
    for (const e of excerpts) own = markKept(own, e.unit.start, e.unit.end, request.reversible === true);
    for (const seg of own) segments.push({ ...seg, start: seg.start + offset, end: seg.end + offset });
    offset += s.text.length;
    if (present) firstPresent = false;
  }
  if (a.finalCut !== undefined && a.excerpts.length === 0) {
    segments = cutSegmentsDropping(segments, a.finalCut);
  }

  const planned: PlannedSource[] = await Promise.all(
    a.sources.map(async (s, i) => {
      const { packed, excerpts } = bySource.get(i)!;
      const inContext = (text: string) => a.finalCut === undefined || a.context.includes(text);
      let targetTokens =
        packed.level === 'omitted' ? 0 : packed.level === 'full' ? a.originalTargets[i]! : await a.count(packed.text);
      const kept = excerpts.filter((e) => inContext(e.text));
      for (const e of kept) targetTokens += await a.count(e.header + e.text);
      const summary = summaryOf(packed, s.mergedFrom, 'cheaper', {
        forQuestion: kept.map((e) => e.unit.label),
        noModel: request.compressor === 'structural',
        cut: a.finalCut !== undefined && !inContext(packed.text),
      });
      return {
        ...packed,
        id: s.id,
        label: s.label ?? s.id,
        ...described(summary),
        targetTokens,
        originalTargetTokens: a.originalTargets[i]!,
        mergedFrom: s.mergedFrom,
      };
    }),
  );
  const focus: FocusUnit[] = a.excerpts
    .filter((e) => a.finalCut === undefined || a.context.includes(e.text))
    .map((e) => e.unit);
  const text = a.frame(a.context);
  return {
    context: a.context,
    text,
    tokens: a.tokens,
    budget: a.budget,
    originalTokens: a.originalTokens,
    untouched: false,
    sources: planned,
    focus,
    segments,
    sourceText: a.sourceText,
    notes: a.notes.map((n) => noteText(n)),
    noteData: a.notes,
    log: a.log,
    attempts: a.attempts,
    elisions: request.reversible
      ? located(presentElisions(text, elisionsOf(a.sourceText, segments)), segments, a.sources, starts)
      : [],
  };
}

/** Each elision with its source's label and the lines, in that source, its original spans. */
function located(
  elisions: readonly Elision[],
  segments: readonly Segment[],
  sources: readonly DedupedSource[],
  starts: readonly number[],
): Elision[] {
  const at = new Map<string, Segment>();
  for (const seg of segments) if (seg.status === 'elided' && seg.replacement) at.set(seg.replacement, seg);
  return elisions.map((e) => {
    const seg = at.get(e.marker);
    if (!seg) return e;
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > seg.start) i--;
    const s = sources[i]!;
    const from = seg.start - starts[i]!;
    if (from < 0 || !s.text.startsWith(e.original, from)) return e;
    return { ...e, location: { source: s.label ?? s.id, ...lineRange(s.text, from, from + e.original.length) } };
  });
}

/** Elisions whose marker the text holds exactly once (a last-resort cut may have taken some away). */
function presentElisions(text: string, elisions: readonly Elision[]): Elision[] {
  return elisions.filter((e) => {
    const at = text.indexOf(e.marker);
    return at >= 0 && text.indexOf(e.marker, at + 1) < 0;
  });
}

/**
 * Marks [start, end) kept in a source's segments (an excerpt of it went in whole). With `keepMarkers` (reversible
 * output) an elided segment stays as it is: its marker is still in the source's text and needs its entry.
 */
function markKept(segments: readonly Segment[], start: number, end: number, keepMarkers = false): Segment[] {
  if (keepMarkers) {
    let out: Segment[] = [...segments];
    let from = start;
    for (const s of segments.filter((x) => x.status === 'elided' && x.end > start && x.start < end)) {
      if (s.start > from) out = markKept(out, from, s.start);
      from = Math.max(from, s.end);
    }
    return from < end ? markKept(out, from, end) : out;
  }
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.end <= start || s.start >= end) {
      out.push(s);
      continue;
    }
    if (s.start < start) out.push(trim(s, s.start, start));
    if (s.end > end) out.push(trim(s, end, s.end));
  }
  out.push({ start, end, status: 'kept' });
  return out.sort((x, y) => x.start - y.start || x.end - y.end);
}

function trim(s: Segment, start: number, end: number): Segment {
  // An elided range split in two keeps its marker once, on its first part.
  if (s.status === 'elided') return start === s.start ? { ...s, start, end } : { start, end, status: 'dropped' };
  return { ...s, start, end };
}

/** What happened to a packed source, as data. */
function summaryOf(
  p: Pick<PackedSource, 'level' | 'method'> & Partial<PackedSource>,
  mergedFrom: string[],
  whole: 'fits' | 'cheaper',
  extra: { forQuestion?: string[]; noModel?: boolean; cut?: boolean } = {},
): SourceSummary {
  const input = p.input ?? 'tree';
  const rateOf = (level: string | undefined) => {
    const rate = /@([\d.]+)$/.exec(level ?? '')?.[1];
    return rate === undefined ? undefined : Number(rate);
  };
  let outcome: SourceOutcome;
  if (p.level === 'omitted') outcome = { kind: 'omitted', why: p.unsupported ? 'binary' : 'budget' };
  else if (p.level === 'full' || p.method === 'none') outcome = { kind: 'whole', why: whole };
  else if (p.level === 'selected') outcome = { kind: 'selected', level: p.cutFrom ?? 'outline', input };
  else if (p.level === 'truncated') {
    const inner = p.method.replace(/^truncated:/, '');
    const from =
      !p.cutFrom || inner === 'none'
        ? undefined
        : inner.startsWith('llmlingua2')
          ? { rate: rateOf(p.cutFrom) }
          : { level: p.cutFrom, input };
    outcome = { kind: 'truncated', ...(from ? { from } : {}) };
  } else if (p.method.startsWith('llmlingua2')) {
    const rate = rateOf(p.level);
    outcome = { kind: 'model', ...(rate !== undefined ? { rate } : {}) };
  } else outcome = { kind: 'structural', level: p.level, input };
  return {
    outcome,
    units: p.units ?? [],
    forQuestion: extra.forQuestion ?? [],
    ...(p.shortBy !== undefined ? { shortBy: p.shortBy } : {}),
    ...(p.protectedKept ? { protectedKept: p.protectedKept } : {}),
    failures: p.failures ?? [],
    noModel: extra.noModel === true,
    mergedFrom,
    cut: extra.cut === true,
  };
}

function described(summary: SourceSummary): { summary: SourceSummary; explanation: string } {
  return { summary, explanation: explainSource(summary) };
}

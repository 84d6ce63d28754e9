// Budget packer: several sources share one token budget. Each source has a ladder of candidates (structural
// levels, plus any extra compressor such as LLMLingua-2); the packer picks one per source so that the whole fits,
// taking first the steps that save the most tokens per unit of information lost, weighted by priority.
// Truncation and omission are a separate last resort, lowest priority first.
import type { CompressionResult, Compressor, Segment } from '../compress/types';
import { CancelledError, countTokens, type Cancellation } from '../tokens/count';
import type { Tokenizer } from '../tokens/tokenizers';
import {
  UnsupportedInputError,
  countLevels,
  looksBinary,
  createStructuralCompressor,
  type StructuralAnalysis,
  type StructuralCompressor,
} from '../structural/index';

export interface ExtraCompressor {
  compressor: Compressor;
  /** Rates (kept fraction of tokens) to offer as candidates, e.g. [0.5, 0.33]. */
  rates: readonly number[];
  /** Information lost per removed token, 0..1 (structural: comments 0.1, bodies 0.5, outline 0.8). Default 0.5. */
  lossPerToken?: number;
}

export interface PackSource {
  /** Stable id (a path, "selection", a chat reference id). */
  id: string;
  /** Shown in explanations; defaults to id. */
  label?: string;
  text: string;
  /** VS Code language id; picks the structural handler. */
  languageId?: string;
  /** Higher is more important. Suggested: selection 100, active editor 80, open editors 50, chat references 40. */
  priority: number;
  /** Placed before the source in the packed text (e.g. "// file: src/a.ts\n"); counted against the budget. */
  header?: string;
  compressors?: readonly ExtraCompressor[];
}

export interface PackOptions {
  budget: number;
  tokenizer: Tokenizer;
  /** Reuse one compressor (and its loaded grammars) across calls. */
  structural?: StructuralCompressor;
  /** Between sources in the packed text. Default: a blank line. */
  separator?: string;
  cancellation?: Cancellation;
  onProgress?: (done: number, total: number) => void;
}

export interface Candidate {
  /** "full", "no-comments", "signatures", "outline", an extra compressor's method, "truncated" or "omitted". */
  level: string;
  method: string;
  description: string;
  tokens: number;
  /** Information lost, in token units weighted by kind (see LOSS). */
  loss: number;
}

export interface PackedSource {
  id: string;
  label: string;
  priority: number;
  level: string;
  method: string;
  text: string;
  /** Tokens of this source's text alone (header not included). */
  tokens: number;
  originalTokens: number;
  headerTokens: number;
  segments: Segment[];
  /** Why this source got this level, in one sentence. */
  reason: string;
  /** The ladder that was considered, least lossy first. */
  candidates: Candidate[];
}

export interface PackResult {
  text: string;
  /** Exact count of `text` in the target tokenizer; never above `budget`. */
  totalTokens: number;
  budget: number;
  originalTokens: number;
  sources: PackedSource[];
  /** The packer's steps and any last-resort actions, in order. */
  notes: string[];
}

/**
 * Information lost per removed token, by what a step removes. Comments and blank lines carry little; bodies carry
 * the behaviour; an outline also loses signatures' details; truncation loses whatever it cuts.
 */
export const LOSS: Readonly<Record<string, number>> = {
  none: 0,
  'structural:no-comments': 0.1,
  'json:compact': 0.02,
  'prose:normalised': 0.05,
  'fallback:normalised': 0.05,
  'structural:signatures': 0.5,
  'json:sampled': 0.5,
  'prose:first-sentences': 0.6,
  'structural:outline': 0.8,
  'json:keys': 0.8,
  'prose:section-leads': 0.8,
};

/** Each priority rank above the lowest makes a source's loss count this many times more. */
export const PRIORITY_FACTOR = 3;

/** Below this many tokens of room, a truncated source is not worth its header: omit it instead. */
const MIN_TRUNCATED_TOKENS = 16;

interface Variant extends Candidate {
  text: string;
  segments: Segment[];
}

interface Work {
  index: number;
  source: PackSource;
  label: string;
  rank: number;
  headerTokens: number;
  variants: Variant[];
  chosen: number;
  /** Set when the last resort applied. */
  final?: Variant;
  /** What the structural analysis said about this input (fallbacks, syntax errors, minified input). */
  analysisNotes?: string[];
  reason?: string;
  unsupported?: string;
  count: (text: string) => number;
}

export async function packSources(sources: readonly PackSource[], options: PackOptions): Promise<PackResult> {
  const { tokenizer, cancellation } = options;
  const budget = Math.max(0, Math.floor(options.budget));
  const separator = options.separator ?? '\n\n';
  const structural = options.structural ?? createStructuralCompressor();
  const check = () => {
    if (cancellation?.isCancellationRequested) throw new CancelledError();
  };
  const progress = (done: number) => options.onProgress?.(Math.round(done * 1000), 1000);

  const priorities = [...new Set(sources.map((s) => s.priority))].sort((a, b) => a - b);
  const separatorTokens = tokenizer.count(separator);
  const works: Work[] = [];
  for (const [index, source] of sources.entries()) {
    const header = source.header ?? '';
    const originalTokens = await countTokens(source.text, tokenizer, cancellation);
    works.push({
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
  const notes: string[] = [];
  const originalTokens = works.reduce((sum, w) => sum + w.variants[0]!.tokens, 0);

  const assemble = () => {
    const parts: string[] = [];
    for (const w of works) {
      const v = current(w);
      if (v.level === 'omitted') continue;
      parts.push((w.source.header ?? '') + v.text);
    }
    return parts.join(separator);
  };

  // Binary input is never sent, not even when it would fit.
  for (const w of works) {
    if (looksBinary(w.source.text)) {
      w.unsupported = 'binary content (NUL or control characters)';
      w.final = omitted(w);
      w.reason = `omitted: ${w.unsupported}`;
    }
  }

  // Fast path: compression is skipped entirely when the context already fits.
  let exact = await countTokens(assemble(), tokenizer, cancellation);
  if (exact <= budget) {
    for (const w of works) {
      w.reason ??= 'kept in full: the whole context fits the budget';
    }
    return finish(works, assemble(), exact, budget, originalTokens, ['fits without compression']);
  }

  // Build every source's ladder (analysis is the expensive part: report progress per source).
  for (const [i, w] of works.entries()) {
    check();
    await buildLadder(w, structural, tokenizer, cancellation);
    progress((0.8 * (i + 1)) / works.length);
  }

  // Exact counts of the joined text can differ slightly from the sum of parts (BPE merges across joins), so
  // plan against a budget that shrinks by any overshoot, then verify.
  let target = budget;
  for (let attempt = 0; attempt < 4; attempt++) {
    check();
    const stepNotes = plan(works, target, separatorTokens);
    const text = assemble();
    exact = await countTokens(text, tokenizer, cancellation);
    if (exact <= budget) {
      notes.push(...stepNotes);
      progress(1);
      return finish(works, text, exact, budget, originalTokens, notes);
    }
    target -= exact - budget;
    notes.push(`joined text counted ${exact} > ${budget}; replanning against ${target}`);
  }
  // Still over (pathological tokenization): cut the joined text itself. Never over budget.
  const text = assemble();
  const cut = await truncateToTokens(text, budget, tokenizer);
  notes.push(`final safety cut of the joined text to ${budget} tokens`);
  return finish(works, cut.text, cut.tokens, budget, originalTokens, notes);
}

function fullVariant(text: string, tokens: number): Variant {
  return {
    level: 'full',
    method: 'none',
    description: 'unchanged',
    tokens,
    loss: 0,
    text,
    segments: text ? [{ start: 0, end: text.length, status: 'kept' }] : [],
  };
}

function current(w: Work): Variant {
  return w.final ?? w.variants[w.chosen]!;
}

async function buildLadder(
  w: Work,
  structural: StructuralCompressor,
  tokenizer: Tokenizer,
  cancellation: Cancellation | undefined,
): Promise<void> {
  const { source } = w;
  const full = w.variants[0]!;
  const all: Variant[] = [full];
  let analysis: StructuralAnalysis | undefined;
  try {
    analysis = await structural.analyse(source.text, source.languageId, cancellation ? { cancellation } : {});
  } catch (err) {
    if (!(err instanceof UnsupportedInputError)) throw err;
    w.unsupported = err.message;
  }
  if (analysis) {
    // "level …" notes describe the ladder, which the candidates already show; the rest explain the input.
    w.analysisNotes = analysis.notes.filter((n) => !n.startsWith('level '));
    const counts = await countLevels(analysis.levels, tokenizer, cancellation);
    let loss = 0;
    for (let i = 1; i < analysis.levels.length; i++) {
      const level = analysis.levels[i]!;
      loss += (LOSS[level.method] ?? 0.5) * Math.max(0, counts[i - 1]! - counts[i]!);
      all.push({
        level: level.level,
        method: level.method,
        description: level.description,
        tokens: counts[i]!,
        loss,
        text: level.text,
        segments: level.segments,
      });
    }
  }
  for (const extra of w.unsupported ? [] : (source.compressors ?? [])) {
    for (const rate of extra.rates) {
      let result: CompressionResult;
      try {
        result = await extra.compressor.compress({
          text: source.text,
          ...(source.languageId ? { languageId: source.languageId } : {}),
          rate,
          tokenizer,
          ...(cancellation ? { cancellation } : {}),
        });
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        w.reason = `${extra.compressor.id} failed (${err instanceof Error ? err.message : String(err)}); not offered`;
        continue;
      }
      const tokens = tokenizer.count(result.text);
      all.push({
        // The rate in the level name keeps two candidates of one compressor apart in explanations.
        level: `${result.method}@${rate}`,
        method: result.method,
        description: `${extra.compressor.id} at rate ${rate}`,
        tokens,
        loss: (extra.lossPerToken ?? 0.5) * Math.max(0, full.tokens - tokens),
        text: result.text,
        segments: result.segments,
      });
    }
  }
  // Keep the Pareto front (fewer tokens must cost more loss), least lossy first; stable for equal pairs.
  all.sort((a, b) => a.loss - b.loss || a.tokens - b.tokens);
  const front: Variant[] = [];
  for (const v of all) {
    const last = front[front.length - 1];
    if (!last || v.tokens < last.tokens) front.push(v);
  }
  w.variants = front;
  w.chosen = 0;
}

/** Chooses a variant per source for `target`; returns the step log. Deterministic. */
function plan(works: Work[], target: number, separatorTokens: number): string[] {
  const log: string[] = [];
  for (const w of works) {
    w.chosen = 0;
    delete w.final;
    delete w.reason;
  }
  const total = () => {
    let sum = 0;
    let present = 0;
    for (const w of works) {
      const v = current(w);
      if (v.level === 'omitted') continue;
      sum += v.tokens + w.headerTokens;
      present++;
    }
    return sum + Math.max(0, present - 1) * separatorTokens;
  };
  // Binary input is never sent.
  for (const w of works) {
    if (w.unsupported) {
      w.final = omitted(w);
      w.reason = `omitted: ${w.unsupported}`;
      log.push(`${w.label}: omitted (${w.unsupported})`);
    }
  }

  // Phase 1: greedy by tokens saved per unit of (priority-weighted) information lost.
  while (total() > target) {
    let best: { w: Work; j: number; ratio: number } | undefined;
    for (const w of works) {
      if (w.final) continue;
      const weight = PRIORITY_FACTOR ** w.rank;
      const from = w.variants[w.chosen]!;
      for (let j = w.chosen + 1; j < w.variants.length; j++) {
        const to = w.variants[j]!;
        const saved = from.tokens - to.tokens;
        if (saved <= 0) continue;
        const ratio = saved / Math.max(1e-9, (to.loss - from.loss) * weight);
        if (!best || better({ w, j, ratio }, best)) best = { w, j, ratio };
      }
    }
    if (!best) break;
    const from = best.w.variants[best.w.chosen]!;
    best.w.chosen = best.j;
    const to = best.w.variants[best.j]!;
    log.push(
      `${best.w.label} (priority ${best.w.source.priority}): ${from.level} → ${to.level}, ` +
        `${from.tokens - to.tokens} tokens saved at ${(1 / best.ratio).toFixed(3)} weighted loss per token`,
    );
  }

  if (total() <= target) {
    // Undo steps that turned out unnecessary, most important sources first (the last greedy step may overshoot).
    const order = [...works].sort((a, b) => b.source.priority - a.source.priority || a.index - b.index);
    for (const w of order) {
      while (!w.final && w.chosen > 0) {
        w.chosen--;
        if (total() <= target) {
          log.push(`${w.label}: back to ${w.variants[w.chosen]!.level} (still fits)`);
          continue;
        }
        w.chosen++;
        break;
      }
    }
  } else {
    // Phase 2, last resort: truncate or omit, lowest priority first (later sources first among equals).
    const order = [...works].sort((a, b) => a.source.priority - b.source.priority || b.index - a.index);
    for (const w of order) {
      if (total() <= target) break;
      if (w.final) continue;
      const v = current(w);
      const others = total() - v.tokens - w.headerTokens;
      const room = target - others - w.headerTokens;
      if (room >= MIN_TRUNCATED_TOKENS && room < v.tokens) {
        w.final = truncatedVariant(v, room, w);
        log.push(`${w.label}: truncated to ${w.final.tokens} tokens (last resort: lowest priority left)`);
        w.reason = `truncated (last resort): even at ${v.level} the context did not fit; lowest priority remaining`;
      } else {
        w.final = omitted(w);
        log.push(`${w.label}: omitted (last resort: lowest priority left, ${v.tokens} tokens at ${v.level})`);
        w.reason = `omitted (last resort): even at ${v.level} (${v.tokens} tokens) the context did not fit`;
      }
    }
  }

  for (const w of works) {
    if (w.reason) continue;
    const v = current(w);
    if (w.chosen === 0) {
      w.reason = 'kept in full: compressing other sources was cheaper in information lost';
    } else {
      const lesser = w.variants[w.chosen - 1]!;
      w.reason =
        `${v.level} (${v.description}): the least lossy level that fits; ${lesser.level} would need ` +
        `${lesser.tokens - v.tokens} more tokens`;
    }
  }
  return log;
}

function better(a: { w: Work; j: number; ratio: number }, b: { w: Work; j: number; ratio: number }): boolean {
  // Relative epsilon so that equal ratios computed differently still tie, and ties break deterministically.
  if (Math.abs(a.ratio - b.ratio) > 1e-9 * Math.max(a.ratio, b.ratio)) return a.ratio > b.ratio;
  if (a.w.source.priority !== b.w.source.priority) return a.w.source.priority < b.w.source.priority;
  if (a.w.index !== b.w.index) return a.w.index > b.w.index;
  return a.j < b.j;
}

function omitted(w: Work): Variant {
  const length = w.source.text.length;
  return {
    level: 'omitted',
    method: 'omitted',
    description: 'left out',
    tokens: 0,
    loss: w.variants[0]!.tokens,
    text: '',
    segments: length ? [{ start: 0, end: length, status: 'dropped' }] : [],
  };
}

/**
 * Cuts a variant's text at a line boundary so that text plus marker fits `room` tokens. Segments follow: output
 * beyond the cut maps back to source offsets, which become one elided range with the marker.
 */
function truncatedVariant(v: Variant, room: number, w: Work): Variant {
  const lines = v.text.split('\n');
  const marker = (kept: number) => `\n… [truncated: ${lines.length - kept} more lines]`;
  const build = (kept: number) => lines.slice(0, kept).join('\n') + marker(kept);
  let lo = 0;
  let hi = lines.length - 1;
  const count = w.count;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(build(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  let text = build(lo);
  if (count(text) > room) text = '';
  const outputCut = lo > 0 ? lines.slice(0, lo).join('\n').length : 0;
  return {
    level: 'truncated',
    method: `truncated:${v.method}`,
    description: `${v.description}; then cut after ${lo} lines`,
    tokens: text ? count(text) : 0,
    loss: v.loss + (v.tokens - (text ? count(text) : 0)),
    text,
    segments: cutSegments(v.segments, outputCut, text ? marker(lo) : ''),
  };
}

/** Segments of an output prefix of `outputLength` characters; the rest of the source is elided with `marker`. */
export function cutSegments(segments: readonly Segment[], outputLength: number, marker: string): Segment[] {
  const out: Segment[] = [];
  let produced = 0;
  let cutAt = -1;
  for (const s of segments) {
    if (cutAt >= 0) break;
    const length = s.status === 'kept' ? s.end - s.start : s.status === 'elided' ? (s.replacement ?? '').length : 0;
    if (produced + length <= outputLength) {
      out.push({ ...s });
      produced += length;
      if (produced === outputLength && s.status !== 'dropped') cutAt = s.end;
      continue;
    }
    if (s.status === 'kept') {
      const keep = outputLength - produced;
      if (keep > 0) out.push({ start: s.start, end: s.start + keep, status: 'kept' });
      cutAt = s.start + keep;
    } else {
      cutAt = s.start;
    }
  }
  const end = segments.length ? segments[segments.length - 1]!.end : 0;
  if (cutAt < 0) cutAt = out.length ? out[out.length - 1]!.end : 0;
  if (cutAt < end) {
    out.push(
      marker ? { start: cutAt, end, status: 'elided', replacement: marker } : { start: cutAt, end, status: 'dropped' },
    );
  }
  return out;
}

async function truncateToTokens(
  text: string,
  budget: number,
  tokenizer: Tokenizer,
): Promise<{ text: string; tokens: number }> {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tokenizer.count(text.slice(0, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  const out = text.slice(0, lo);
  return { text: out, tokens: tokenizer.count(out) };
}

function finish(
  works: Work[],
  text: string,
  totalTokens: number,
  budget: number,
  originalTokens: number,
  notes: string[],
): PackResult {
  return {
    text,
    totalTokens,
    budget,
    originalTokens,
    notes: [...works.flatMap((w) => (w.analysisNotes ?? []).map((n) => `${w.label}: ${n}`)), ...notes],
    sources: works.map((w) => {
      const v = current(w);
      return {
        id: w.source.id,
        label: w.label,
        priority: w.source.priority,
        level: v.level,
        method: v.method,
        text: v.text,
        tokens: v.tokens,
        originalTokens: w.variants[0]!.tokens,
        headerTokens: v.level === 'omitted' ? 0 : w.headerTokens,
        segments: v.segments,
        reason: w.reason ?? '',
        candidates: w.variants.map(({ level, method, description, tokens, loss }) => ({
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

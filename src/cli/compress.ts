// `context-budget compress FILE|DIR|-... (--budget N | --rate R) [options]`, in named steps: read the inputs, plan
// (through the one planner, src/core/planner, as every surface of the extension), print. The compressed text alone
// goes to stdout, so it composes in pipes; one summary line and one line per source go to stderr.
// `--request` hands the arguments to the LLMLingua-2 machine contract (./llmlingua2Contract) before option parsing.
import { resolve } from 'node:path';
import { NO_EXPAND_TOOL } from '../core/elisions';
import { formatChange, formatSaved, formatTokens, formatWholePercent } from '../core/format';
import type { PlanResult, PlanSource } from '../core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../core/structural/index';
import type { CatalogModel } from '../core/tokens/catalog';
import { CancelledError } from '../core/tokens/count';
import { loadTokenizer, type Tokenizer, type TokenizerId } from '../core/tokens/tokenizers';
import { readWasm } from '../node/treeSitterFiles';
import { folderCompressor, parseBackend, type LoadSeen } from './backend';
import {
  keptNothing,
  planFramed,
  smallestUsefulBudget,
  type FrameFor,
  type FrameForm,
  type FramedPlan,
} from './framedPlan';
import { guessLanguage } from './guessLanguage';
import { failsRun, readInputs, type InputFile } from './input';
import { writeErr, writeOut } from './output';

export interface CompressOptions {
  budget?: number;
  rate?: number;
  model: CatalogModel;
  /** Counts with this bundled tokenizer instead of the target model's. */
  tokenizer?: TokenizerId;
  query?: string;
  protect: boolean;
  /** An LLMLingua-2 model folder. */
  compressor?: string;
  backend: string;
  language?: string;
  json: boolean;
  maxSize: number;
}

/** One readable input, ready for the planner. */
export interface SourceInput {
  file: string;
  text: string;
  languageId: string | undefined;
}

/** Languages the planner treats as prose (the LLMLingua-2 hint is only for these). */
const PROSE = new Set(['markdown', 'plaintext', undefined]);

export async function runCompress(files: string[], opts: CompressOptions): Promise<number> {
  const read = await readSources(files, opts);
  if (read.failed) return 1;
  if (read.sources.length === 0) {
    for (const s of read.skipped) writeErr(`compress: ${s.file}: ${s.reason}, skipped\n`);
    writeErr('compress: nothing to compress\n');
    return 1;
  }
  const tokenizer = await loadTokenizer(opts.tokenizer ?? opts.model.tokenizer);
  const planned = await plan(read, opts, tokenizer);
  if (typeof planned === 'number') return planned;
  print(planned, read, opts, tokenizer);
  return 0;
}

// Step 1: read every input; a clear note per file that cannot be used. A folder is expanded; binary files are
// skipped with a note; a missing or unreadable file fails the run (after the others were read).
export interface ReadSources {
  sources: SourceInput[];
  skipped: Array<{ file: string; reason: string }>;
  failed: boolean;
}

export async function readSources(files: string[], opts: Pick<CompressOptions, 'language' | 'maxSize'>) {
  const result: ReadSources = { sources: [], skipped: [], failed: false };
  for (const input of await readInputs(files, { maxBytes: opts.maxSize })) {
    if ('error' in input) {
      result.skipped.push({ file: input.file, reason: input.error });
      if (failsRun(input)) {
        result.failed = true;
        writeErr(`compress: ${input.file}: ${input.error}\n`);
      }
      continue;
    }
    warnInvalidUtf8(input);
    result.sources.push({ file: input.file, text: input.text, languageId: languageOf(input, opts.language) });
  }
  return result;
}

export function warnInvalidUtf8(input: InputFile): void {
  if ('invalidUtf8' in input && input.invalidUtf8) {
    writeErr(`context-budget: warning: ${input.file}: invalid UTF-8, read with replacement characters (U+FFFD)\n`);
  }
}

/** --language, else the file name's extension, else (stdin, or no known extension) the content's cues. */
export function languageOf(input: { file: string; text: string }, language: string | undefined): string | undefined {
  return language ?? (input.file === '-' ? undefined : languageIdForPath(input.file)) ?? guessLanguage(input.text);
}

export function planSources(sources: readonly SourceInput[], headers: boolean): PlanSource[] {
  return sources.map((input, i) => ({
    id: input.file,
    text: input.text,
    ...(input.languageId ? { languageId: input.languageId } : {}),
    // Order is priority: the first file is what the user cares about most.
    priority: sources.length - i,
    ...(headers ? { header: `==> ${input.file} <==\n` } : {}),
    // The same file named twice is one source.
    ...(input.file !== '-' ? { origin: { uri: resolve(input.file) } } : {}),
  }));
}

/** An omitted or skipped file keeps its header in the output, with the reason. */
function trailer(plan: PlanResult | undefined, skipped: ReadSources['skipped'], headers: boolean): string {
  if (!headers) return '';
  const lines = [
    ...omittedIds(plan).map((file) => ({ file, reason: 'omitted: no room in the budget' })),
    ...skipped.map((s) => ({ file: s.file, reason: `skipped: ${s.reason}` })),
  ].map((s) => `==> ${s.file} <==\n(${s.reason})\n`);
  return lines.length ? `\n\n${lines.join('\n')}` : '';
}

const omittedIds = (plan: PlanResult | undefined) =>
  plan?.sources.filter((s) => s.level === 'omitted').map((s) => s.id) ?? [];

/**
 * When a header per omitted file does not fit: one line for the omitted and one for the skipped files, naming the
 * first `shown` of them (omitted first) and counting the rest: `omitted (no room in the budget): a.ts, … and 27 more`.
 */
function compactTrailer(omitted: readonly string[], skipped: ReadSources['skipped'], shown: number): string {
  const list = (items: readonly string[], n: number) =>
    n <= 0
      ? `${items.length} file${items.length === 1 ? '' : 's'}`
      : items.slice(0, n).join(', ') + (items.length > n ? `, … and ${items.length - n} more` : '');
  const lines = [
    ...(omitted.length ? [`omitted (no room in the budget): ${list(omitted, shown)}`] : []),
    ...(skipped.length
      ? [
          `skipped: ${list(
            skipped.map((s) => `${s.file} (${s.reason})`),
            shown - omitted.length,
          )}`,
        ]
      : []),
  ];
  return lines.length ? `\n\n${lines.join('\n')}\n` : '';
}

/**
 * The frame of stdout: nothing before the context; after it, the omitted and skipped files (with several inputs):
 * a header each (`full`), else one line naming as many as fit the plan's budget (`compact`, `counts`), else nothing.
 */
function frameFor(read: ReadSources, headers: boolean, count: (text: string) => number): FrameFor {
  return (plan, form) => {
    if (!headers || form === 'minimal') return { before: '', after: '' };
    if (form === 'full') return { before: '', after: trailer(plan, read.skipped, headers) };
    if (!plan) {
      // Room for the three longest names (or none) and a count, before the plan says which files are left out.
      const longest = read.sources.map((s) => s.file).sort((a, b) => b.length - a.length);
      return { before: '', after: compactTrailer(longest, read.skipped, form === 'compact' ? 3 : 0) };
    }
    const omitted = omittedIds(plan);
    const fits = (n: number) => count(plan.context + compactTrailer(omitted, read.skipped, n)) <= plan.budget;
    // The most names that fit (fitting only gets harder with more names).
    let lo = 0;
    let hi = omitted.length + read.skipped.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    return { before: '', after: compactTrailer(omitted, read.skipped, lo) };
  };
}

const FORMS: readonly FrameForm[] = ['full', 'compact', 'counts', 'minimal'];

// Step 2: plan. The model, when a folder is given, loads only if a prose source needs compressing.
/** The plan, and what ran the LLMLingua-2 model if it ran (the --json `runtime` field). */
type Planned = FramedPlan & { runtime?: string };

async function plan(read: ReadSources, opts: CompressOptions, tokenizer: Tokenizer): Promise<Planned | number> {
  const backend = parseBackend(opts.backend);
  if (typeof backend === 'object') {
    writeErr(`compress: ${backend.error}\n`);
    return 2;
  }
  const seen: LoadSeen = {};
  const llmlingua2 = opts.compressor ? folderCompressor(opts.compressor, backend, seen) : undefined;
  const headers = read.sources.length + read.skipped.length > 1;
  const cancellation = { isCancellationRequested: false };
  const onSigint = () => (cancellation.isCancellationRequested = true);
  process.once('SIGINT', onSigint);
  const showProgress = process.stderr.isTTY && read.sources.reduce((n, s) => n + s.text.length, 0) > 512 * 1024;
  const request = {
    sources: planSources(read.sources, headers),
    budget: opts.budget ?? 0,
    ...(opts.query ? { question: opts.query } : {}),
    ...(opts.protect ? { protectIdentifiers: true } : {}),
    // JSON output is for programs and models: every cut is a marker with an id, and the originals come with it.
    // Text output has no expand call to offer: its markers name the lines (and functions) to read instead.
    reversible: true,
    ...(opts.json ? {} : { expandTool: NO_EXPAND_TOOL }),
    // Without --compressor nothing can run a model: say so in every explanation.
    compressor: llmlingua2 ? ('auto' as const) : ('structural' as const),
    count: (text: string) => tokenizer.count(text),
    planning: tokenizer,
    structural: createStructuralCompressor({ readWasm }),
    ...(llmlingua2 ? { llmlingua2 } : {}),
    cancellation,
  };
  const frame = frameFor(read, headers, (text) => tokenizer.count(text));
  let planned: FramedPlan;
  try {
    planned = await planFramed(
      {
        ...request,
        ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
        ...(showProgress
          ? {
              onProgress: (done: number, total: number) =>
                writeErr(`\rcompressing… ${formatWholePercent(done / total)}`),
            }
          : {}),
      },
      frame,
      FORMS,
    );
    // Nothing of the input fits: an error with the budget that would keep something, never an empty success.
    if (keptNothing(planned.plan)) {
      const given =
        opts.budget !== undefined ? `budget ${opts.budget}` : `--rate ${opts.rate} (${planned.plan.budget} tokens)`;
      const smallest = await smallestUsefulBudget({ ...request, budget: planned.plan.budget }, frame, FORMS);
      writeErr(
        `compress: ${given} is too small: nothing of the input fits` +
          (smallest ? `; the smallest budget that keeps something is ${smallest} (--budget ${smallest})\n` : '\n'),
      );
      return 1;
    }
  } catch (err) {
    if (err instanceof CancelledError) {
      writeErr('\ncompress: cancelled\n');
      return 130;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (showProgress) writeErr('\r\x1b[K');
  }
  // A backend asked for by name that cannot run is an error, not a structural result in its place.
  if (seen.error && opts.backend !== 'auto') {
    writeErr(`compress: --backend ${opts.backend}: ${seen.error.message}\n`);
    return 1;
  }
  return seen.runtime ? { ...planned, runtime: seen.runtime } : planned;
}

// Step 3: print. The text (or JSON) on stdout; the summary on stderr.
function print(planned: Planned, read: ReadSources, opts: CompressOptions, tokenizer: Tokenizer): void {
  const { plan: result, text } = planned;
  const offline = !opts.compressor;
  if (opts.json) {
    const out = {
      budget: opts.budget ?? result.budget,
      model: opts.model.id,
      tokenizer: tokenizer.id,
      approximate: tokenizer.approximate,
      originalTokens: result.originalTokens,
      totalTokens: planned.tokens,
      mode: offline ? 'offline-structural' : 'structural+llmlingua2',
      runtime: planned.runtime ?? null,
      ...(opts.query ? { query: opts.query } : {}),
      sources: result.sources.map((s) => ({
        file: s.id,
        priority: s.priority,
        level: s.level,
        method: s.method,
        originalTokens: s.originalTargetTokens,
        tokens: s.targetTokens,
        reason: s.reason,
        explanation: s.explanation,
        mergedFrom: s.mergedFrom,
        candidates: s.candidates,
      })),
      skipped: read.skipped,
      focus: result.focus,
      notes: [...new Set(result.notes)],
      text,
      elisions: result.elisions,
    };
    writeOut(JSON.stringify(out, null, 2) + '\n');
  } else {
    writeOut(text.endsWith('\n') || !text ? text : `${text}\n`);
  }
  writeErr(summary(planned, read, tokenizer.label, offline, opts));
}

/** What --protect does when no model drops words: lines are kept or left out whole. */
export const OFFLINE_PROTECT = ': protect ranks lines with identifiers first and never cuts one out of a kept line';

function summary(
  planned: FramedPlan,
  read: ReadSources,
  tokenizerLabel: string,
  offline: boolean,
  opts: Pick<CompressOptions, 'budget' | 'protect'>,
): string {
  const budget = opts.budget;
  const { plan: result } = planned;
  const saved = formatSaved(result.originalTokens, planned.tokens);
  const lines = [
    `${formatChange(result.originalTokens, planned.tokens)} tokens (${saved.percent} saved), budget ${formatTokens(budget ?? result.budget)}, ${tokenizerLabel}` +
      (offline ? `; offline structural compression (no model${opts.protect ? OFFLINE_PROTECT : ''})` : ''),
  ];
  const width = Math.max(...result.sources.map((s) => s.id.length), ...read.skipped.map((s) => s.file.length));
  for (const s of result.sources) {
    // What ran, in the planner's words (it says "no model run" under structural, and any model failure).
    lines.push(
      `  ${s.id.padEnd(width)}  ${s.level.padEnd(11)} ${formatChange(s.originalTargetTokens, s.targetTokens)}  ${s.explanation}`,
    );
  }
  for (const s of read.skipped) lines.push(`  ${s.file.padEnd(width)}  skipped     ${s.reason}`);
  // What the question kept whole is in its source's explanation ("kept whole for the question: …").
  // Notes about a listed source repeat its line: only the others (duplicates counted once, merges), each once.
  const listed = [...result.sources.map((s) => s.id), ...read.skipped.map((s) => s.file)];
  const notes = result.notes.filter(
    (n) => /safety cut|counted once|merged/.test(n) && !listed.some((id) => n.startsWith(`${id}: `)),
  );
  for (const n of new Set(notes)) lines.push(`  note: ${n}`);
  // The hint only where a model would have helped: a prose source that was compressed.
  const languages = new Map(read.sources.map((s) => [s.file, s.languageId]));
  if (offline && result.sources.some((s) => s.level !== 'full' && PROSE.has(languages.get(s.id)))) {
    lines.push('  (prose compresses better with an LLMLingua-2 model: pass --compressor DIR once one is installed)');
  }
  return `${lines.join('\n')}\n`;
}

// `context-budget compress FILE... (--budget N | --rate R) [--query TEXT] [--protect] [--tokenizer ID] [--json] [--model DIR]`
// Through the one planner (src/core/planner), as every surface of the extension. The compressed text alone goes to
// stdout, so it composes in pipes; savings and what ran on each source go to stderr.
// With `--request` the arguments belong to the LLMLingua-2 machine contract (./llmlingua2Contract).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatChange, formatSaved, formatTokens, formatWholePercent } from '../core/format';
import type { Compressor } from '../core/compressor';
import { planContext, type PlanResult, type PlanSource } from '../core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../core/structural/index';
import { CancelledError } from '../core/tokens/count';
import { TOKENIZER_IDS, isTokenizerId, loadTokenizer } from '../core/tokens/tokenizers';
import { readWasm } from '../node/treeSitterFiles';
import { readInputFile } from './input';
import { BACKEND_HELP, parseBackend } from './backend';

const USAGE =
  'usage: context-budget compress FILE... (--budget N | --rate R) [--query TEXT] [--protect] [--tokenizer ID] [--json] [--model DIR] [--language ID]\n' +
  '  FILE may be - for stdin; the first FILE has the highest priority.\n' +
  '  --query TEXT: the question the context is for; the functions and sections it names are kept whole first\n' +
  '  --json: the result as JSON; every cut is a marker `… #id` and "elisions" lists each id, marker and original\n' +
  '  --protect: never drop identifier-like words (paths, URLs, ids, versions, hashes, code names) in model compression\n' +
  `  --tokenizer: ${TOKENIZER_IDS.join(', ')} (default o200k_base)\n` +
  '  --model DIR: an installed LLMLingua-2 model, offered for prose (Markdown, plain text)\n' +
  BACKEND_HELP;

interface Input {
  file: string;
  text: string;
  languageId: string | undefined;
}

export async function runCompress(args: string[]): Promise<number> {
  if (args.includes('--request') || args.some((a) => a.startsWith('--request='))) {
    let mod: { runCompressRequest?: (args: string[]) => Promise<number> };
    try {
      // Loaded only here: the request contract pulls in the model runtime, which plain compression never needs.
      mod = (await import('./llmlingua2Contract')) as typeof mod;
    } catch (err) {
      process.stderr.write(`compress --request: the LLMLingua-2 request contract is not available (${String(err)})\n`);
      return 2;
    }
    if (!mod.runCompressRequest) {
      process.stderr.write('compress --request: the LLMLingua-2 request contract is not available in this build\n');
      return 2;
    }
    return mod.runCompressRequest(args);
  }

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        budget: { type: 'string' },
        rate: { type: 'string' },
        tokenizer: { type: 'string', default: 'o200k_base' },
        json: { type: 'boolean', default: false },
        model: { type: 'string' },
        language: { type: 'string' },
        query: { type: 'string' },
        protect: { type: 'boolean', default: false },
        backend: { type: 'string', default: 'wasm' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`compress: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const usageError = (message: string) => {
    process.stderr.write(`compress: ${message}\n${USAGE}`);
    return 2;
  };
  if (positionals.length === 0) return usageError('give at least one FILE (or - for stdin)');
  if ((values.budget === undefined) === (values.rate === undefined)) {
    return usageError('give exactly one of --budget N or --rate R');
  }
  const budgetArg = values.budget === undefined ? undefined : Number(values.budget);
  const rateArg = values.rate === undefined ? undefined : Number(values.rate);
  if (budgetArg !== undefined && !(Number.isInteger(budgetArg) && budgetArg >= 0)) {
    return usageError(`--budget must be a whole number ≥ 0, got '${values.budget}'`);
  }
  if (rateArg !== undefined && !(rateArg > 0 && rateArg <= 1)) {
    return usageError(`--rate must be in (0, 1], got '${values.rate}'`);
  }
  const tokenizerId = String(values.tokenizer);
  if (!isTokenizerId(tokenizerId)) return usageError(`unknown tokenizer '${tokenizerId}'`);
  const query = values.query === undefined ? undefined : String(values.query).trim();
  if (query === '') return usageError('--query needs a question, e.g. --query "why does upload retry forever?"');
  const backend = parseBackend(String(values.backend));
  if (typeof backend === 'object') return usageError(backend.error);

  // Read every input first: a clear message per file that cannot be used; binary files are skipped.
  const inputs: Input[] = [];
  let failed = false;
  for (const file of positionals) {
    const input = await readInputFile(file);
    if ('error' in input) {
      process.stderr.write(`compress: ${file}: ${input.error}${input.binary ? ', skipped' : ''}\n`);
      failed ||= !input.binary;
      continue;
    }
    const { text } = input;
    const languageId = (values.language as string | undefined) ?? (file === '-' ? undefined : languageIdForPath(file));
    inputs.push({ file, text, languageId });
  }
  if (failed) return 1;
  if (inputs.length === 0) {
    process.stderr.write('compress: nothing to compress\n');
    return 1;
  }

  const tokenizer = await loadTokenizer(tokenizerId);
  const structural = createStructuralCompressor({ readWasm });
  let llmlingua2: (() => Promise<Compressor>) | undefined;
  // What ran the model, once it has run (the --json `runtime` field), or why the backend asked for could not.
  let runtime: string | undefined;
  let backendError: Error | undefined;
  if (values.model) {
    const dir = String(values.model);
    // Lazy: the model loads only if a prose source actually needs compressing.
    llmlingua2 = async () => {
      const [{ loadEngineFromFolder }, { createLLMLingua2Compressor }] = await Promise.all([
        import('../node/llmlingua2/folder'),
        import('../core/llmlingua2/asCompressor'),
      ]);
      return createLLMLingua2Compressor(async () => {
        const engine = await loadEngineFromFolder(dir, { backend }).catch((e: Error) => {
          backendError = e;
          throw e;
        });
        runtime = engine.runtime;
        return engine;
      });
    };
  }
  const many = inputs.length > 1;
  const sources: PlanSource[] = inputs.map((input, i) => ({
    id: input.file,
    text: input.text,
    ...(input.languageId ? { languageId: input.languageId } : {}),
    // Order is priority: the first file is what the user cares about most.
    priority: inputs.length - i,
    ...(many ? { header: `==> ${input.file} <==\n` } : {}),
    // The same file named twice is one source.
    ...(input.file !== '-' ? { origin: { uri: resolve(input.file) } } : {}),
  }));

  const cancellation = { isCancellationRequested: false };
  const onSigint = () => (cancellation.isCancellationRequested = true);
  process.once('SIGINT', onSigint);
  const showProgress = process.stderr.isTTY && inputs.reduce((n, s) => n + s.text.length, 0) > 512 * 1024;
  let result: PlanResult;
  try {
    result = await planContext({
      sources,
      budget: budgetArg ?? 0,
      ...(rateArg !== undefined ? { rate: rateArg } : {}),
      ...(query ? { question: query } : {}),
      ...(values.protect ? { protectIdentifiers: true } : {}),
      // JSON output is for programs and models: every cut is a marker with an id, and the originals come with it.
      ...(values.json ? { reversible: true } : {}),
      // Without --model nothing can run a model: say so in every explanation.
      compressor: llmlingua2 ? 'auto' : 'structural',
      count: (text) => tokenizer.count(text),
      planning: tokenizer,
      structural,
      ...(llmlingua2 ? { llmlingua2 } : {}),
      cancellation,
      ...(showProgress
        ? {
            onProgress: (done: number, total: number) =>
              process.stderr.write(`\rcompressing… ${formatWholePercent(done / total)}`),
          }
        : {}),
    });
  } catch (err) {
    if (err instanceof CancelledError) {
      process.stderr.write('\ncompress: cancelled\n');
      return 130;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (showProgress) process.stderr.write('\r\x1b[K');
  }

  // A backend asked for by name that cannot run is an error, not a structural result in its place.
  if (backendError && values.backend !== 'auto') {
    process.stderr.write(`compress: --backend ${String(values.backend)}: ${backendError.message}\n`);
    return 1;
  }

  // What was available, not what won: each source's method and explanation say which level ran (or failed).
  const offline = !values.model;
  if (values.json) {
    const out = {
      budget: result.budget,
      tokenizer: tokenizer.id,
      approximate: tokenizer.approximate,
      originalTokens: result.originalTokens,
      totalTokens: result.tokens,
      mode: offline ? 'offline-structural' : 'structural+llmlingua2',
      runtime: runtime ?? null,
      ...(query ? { query } : {}),
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
      focus: result.focus,
      notes: result.notes,
      text: result.text,
      elisions: result.elisions,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write(result.text.endsWith('\n') || !result.text ? result.text : `${result.text}\n`);
  }
  process.stderr.write(summary(result, tokenizer.label, offline));
  return 0;
}

function summary(result: PlanResult, tokenizerLabel: string, offline: boolean): string {
  const saved = formatSaved(result.originalTokens, result.tokens);
  const lines = [
    `${formatChange(result.originalTokens, result.tokens)} tokens (${saved.percent} saved), budget ${formatTokens(result.budget)}, ${tokenizerLabel}` +
      (offline ? '; offline structural compression (no model)' : ''),
  ];
  const width = Math.max(...result.sources.map((s) => s.id.length));
  for (const s of result.sources) {
    // What ran, in the planner's words (it says "no model run" under structural, and any model failure).
    lines.push(
      `  ${s.id.padEnd(width)}  ${s.level.padEnd(11)} ${formatChange(s.originalTargetTokens, s.targetTokens)}  ${s.explanation}`,
    );
  }
  for (const f of result.focus) lines.push(`  kept whole for the question: ${f.label} (${f.sourceId})`);
  for (const n of result.notes.filter((n) => /last resort|safety cut|counted once|merged/.test(n))) {
    lines.push(`  note: ${n}`);
  }
  if (offline && result.sources.some((s) => s.level !== 'full')) {
    lines.push('  (prose compresses better with an LLMLingua-2 model: pass --model DIR once one is installed)');
  }
  return `${lines.join('\n')}\n`;
}

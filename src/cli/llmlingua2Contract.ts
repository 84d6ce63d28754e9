// Machine contract used for parity: `context-budget compress --compressor DIR --request FILE|-`.
// Reads {"contexts": [...], "settings": {<reference kwargs>}, "selection": "reference" | "budget"} and prints one
// JSON object. `args` are the arguments after `compress`.
import { promises as fs } from 'node:fs';
import { loadEngineFromFolder } from '../node/llmlingua2/folder';
import { BACKEND_HELP, parseBackend } from './backend';
import type { ReferenceSettings } from '../core/llmlingua2/reference';
import { isTokenizerId, loadTokenizer } from '../core/tokens/tokenizers';

export interface CompressRequestJson {
  contexts: string[] | string;
  settings?: ReferenceSettings & Record<string, unknown>;
  selection?: 'reference' | 'budget';
}

const USAGE =
  'usage: context-budget compress --compressor DIR --request FILE|- [--budget-tokenizer cl100k_base] [--threads N] [--backend cpu|wasm|webgpu|auto]\n' +
  BACKEND_HELP;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(args: string[]): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--(compressor|request|budget-tokenizer|threads|backend)(?:=(.*))?$/.exec(a);
    if (a === '--model' || a.startsWith('--model=')) {
      return '--model is the target model; the LLMLingua-2 model folder goes to --compressor DIR';
    }
    if (!m) return `unexpected argument '${a}'`;
    const value = m[2] ?? args[++i];
    if (value === undefined) return `${a} needs a value`;
    out[m[1]!] = value;
  }
  if (!out.compressor) return '--compressor DIR is required';
  if (!out.request) return '--request FILE|- is required';
  return out;
}

export async function runCompressRequest(args: string[]): Promise<number> {
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    process.stderr.write(`context-budget compress: ${opts}\n${USAGE}`);
    return 2;
  }
  let request: CompressRequestJson;
  try {
    const raw = opts.request === '-' ? await readStdin() : await fs.readFile(opts.request!, 'utf8');
    request = JSON.parse(raw) as CompressRequestJson;
  } catch (e) {
    process.stderr.write(`context-budget compress: cannot read request: ${(e as Error).message}\n`);
    return 2;
  }
  const contexts = typeof request.contexts === 'string' ? [request.contexts] : request.contexts;
  if (!Array.isArray(contexts) || contexts.some((c) => typeof c !== 'string')) {
    process.stderr.write('context-budget compress: "contexts" must be a list of strings\n');
    return 2;
  }
  const selection = request.selection ?? 'budget';
  if (selection !== 'reference' && selection !== 'budget') {
    process.stderr.write(`context-budget compress: unknown selection '${String(selection)}'\n`);
    return 2;
  }
  const tokenizerId = opts['budget-tokenizer'] ?? 'cl100k_base';
  if (!isTokenizerId(tokenizerId)) {
    process.stderr.write(`context-budget compress: unknown budget tokenizer '${tokenizerId}'\n`);
    return 2;
  }
  if (opts.threads !== undefined && !(/^\d+$/.test(opts.threads) && Number(opts.threads) > 0)) {
    process.stderr.write(`context-budget compress: --threads must be a positive whole number, got '${opts.threads}'\n`);
    return 2;
  }
  const backend = parseBackend(opts.backend ?? 'wasm');
  if (typeof backend === 'object') {
    process.stderr.write(`context-budget compress: ${backend.error}\n`);
    return 2;
  }
  const settings = request.settings ?? {};
  const tokenizer = await loadTokenizer(tokenizerId);
  let engine;
  try {
    engine = await loadEngineFromFolder(opts.compressor!, {
      numThreads: opts.threads ? Number(opts.threads) : 1,
      backend,
    });
  } catch (e) {
    process.stderr.write(`context-budget compress: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    let out: object;
    if (selection === 'reference') {
      // The reference takes a bare string for one context; a one-element list behaves the same.
      out = { selection, runtime: engine.runtime, ...(await engine.reference(contexts, settings, tokenizer)) };
    } else {
      const target =
        typeof settings.target_token === 'number' && settings.target_token > 0 ? settings.target_token : undefined;
      const r = await engine.compressToBudget({
        contexts,
        budget: target,
        rate: typeof settings.rate === 'number' ? settings.rate : 0.5,
        tokenizer,
        forceTokens: settings.force_tokens,
        forceReserveDigit: settings.force_reserve_digit,
        tokenToWord: settings.token_to_word,
        chunkEndTokens: settings.chunk_end_tokens,
      });
      out = { selection, runtime: engine.runtime, ...r };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  } finally {
    await engine.dispose();
  }
}

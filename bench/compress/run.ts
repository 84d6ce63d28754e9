// npm run bench:compress — LLMLingua-2 engine on a BERT-base-sized random-weight model (generated here, not
// committed) compressing an ~8,000-token text: ms per 512-token chunk per backend, share of time outside the model,
// and recompression after a one-line edit. Usage: tsx bench/compress/run.ts [--quick] [--only wasm|node]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LLMLingua2Engine } from '../../src/core/llmlingua2/engine';
import { nodeSessionSpawner } from '../../src/node/llmlingua2/nodeSessions';
import { loadOrtNode } from '../../src/node/ortNode';
import type { BackendKind } from '../../src/core/llmlingua2/inference';
import { loadTokenizer } from '../../src/core/tokens/tokenizers';
import { runBaseline, runBaselineSide } from './baseline';
import { benchText, ensureBenchModel } from './models';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(
  ROOT,
  'bench/models',
  process.argv.includes('--quick') ? 'bert-2layer-random' : 'bert-base-random',
);
const FIX = path.join(ROOT, 'test/fixtures/llmlingua2');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const baseline = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const weightsArg = args.includes('--weights') ? args[args.indexOf('--weights') + 1] : undefined;
const weights: ('int8' | 'fp32')[] = weightsArg === 'int8' || weightsArg === 'fp32' ? [weightsArg] : ['int8', 'fp32'];

const ensureModel = (q: 'fp32' | 'int8') => ensureBenchModel(OUT, q, quick);

async function main() {
  if (baseline) {
    // Baseline comparison only (see baseline.ts); reuses the generated models.
    await ensureModel('int8');
    await ensureModel('fp32');
    const tok = (await import('../../src/core/llmlingua2/tokenizer')).ModelTokenizer;
    const tj = JSON.parse(
      fs.readFileSync(path.join(FIX, 'tiny-bert-base-multilingual-cased-ref/tokenizer.json'), 'utf8'),
    );
    const side = args.includes('--side') ? args[args.indexOf('--side') + 1]!.split(':') : undefined;
    if (side) {
      const [who, q] = side as ['atjsh' | 'ours', 'int8' | 'fp32'];
      await runBaselineSide(who, q, baseline, OUT, FIX, benchText(new tok(tj)));
    } else {
      runBaseline(__filename, args, weights);
    }
    return;
  }
  const cl100k = await loadTokenizer('cl100k_base');
  const tokenizerJson = JSON.parse(
    fs.readFileSync(path.join(FIX, 'tiny-bert-base-multilingual-cased-ref/tokenizer.json'), 'utf8'),
  );
  const configs: { backend: BackendKind; q: 'fp32' | 'int8'; threads: number; sessions: number }[] = [];
  for (const q of weights) {
    if (only !== 'node') {
      for (const threads of [1, 2]) configs.push({ backend: 'wasm', q, threads, sessions: 1 });
      // What the extension runs when memory allows: two single-thread sessions side by side.
      configs.push({ backend: 'wasm', q, threads: 2, sessions: 2 });
    }
    if (only !== 'wasm') configs.push({ backend: 'node', q, threads: 2, sessions: 1 });
  }
  // onnxruntime-web sets up its WASM (and its thread pool) once per process, so each configuration runs in a
  // process of its own; otherwise every WASM row would use the first row's thread count.
  const single = args.includes('--config') ? args[args.indexOf('--config') + 1]!.split(':') : undefined;
  if (!single) {
    const rows: Record<string, string | number>[] = [];
    for (const c of configs) {
      await ensureModel(c.q);
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, __filename, ...args, '--config', `${c.backend}:${c.q}:${c.threads}:${c.sessions}`],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      for (const line of child.stdout.split('\n')) {
        if (line.startsWith('{')) {
          rows.push(JSON.parse(line));
          console.log(line);
        } else if (line) {
          console.log(line);
        }
      }
    }
    console.table(rows);
    return;
  }
  configs.splice(0, configs.length, {
    backend: single[0] as BackendKind,
    q: single[1] as 'int8' | 'fp32',
    threads: Number(single[2]),
    sessions: Number(single[3]),
  });
  const rows: Record<string, string | number>[] = [];
  let text = '';
  for (const c of configs) {
    const file = await ensureModel(c.q);
    const t0 = performance.now();
    let engine: LLMLingua2Engine;
    try {
      engine = await LLMLingua2Engine.create(
        { model: fs.readFileSync(file), tokenizerJson },
        {
          backend: c.backend,
          numThreads: c.threads,
          wasmSessions: c.sessions,
          loadNativeOrt: loadOrtNode,
          // The sessions run the worker source through the tests' tsx bootstrap (the extension uses its bundle).
          spawnWasmSession: nodeSessionSpawner(path.join(ROOT, 'test/unit/llmlingua2/worker-bootstrap.cjs')),
        },
      );
    } catch (e) {
      console.log(`${c.backend} ${c.q}: unavailable (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    const loadMs = performance.now() - t0;
    text ||= benchText(engine.tokenizer);
    const modelTokens = engine.tokenizer.tokenize(text).ids.length;
    // Best of two cold runs: other work on the machine only ever adds time.
    let coldMs = Infinity;
    let modelMs = 0;
    let cold!: Awaited<ReturnType<LLMLingua2Engine['compressToBudget']>>;
    for (let round = 0; round < 2; round++) {
      engine.clearCache();
      const modelBefore = engine.modelMs;
      const t1 = performance.now();
      cold = await engine.compressToBudget({ contexts: [text], rate: 0.5, tokenizer: cl100k });
      const ms = performance.now() - t1;
      if (ms < coldMs) [coldMs, modelMs] = [ms, engine.modelMs - modelBefore];
    }
    const lines = text.split('\n');
    const mid = Math.floor(lines.length / 2);
    lines[mid] = lines[mid] + ' plus one edited clause';
    const t2 = performance.now();
    const warm = await engine.compressToBudget({ contexts: [lines.join('\n')], rate: 0.5, tokenizer: cl100k });
    const editMs = performance.now() - t2;
    const row = {
      backend: c.backend,
      weights: c.q,
      threads: c.threads,
      sessions: c.sessions,
      model_tokens: modelTokens,
      chunks: cold.chunks.total,
      load_s: +(loadMs / 1000).toFixed(2),
      cold_s: +(coldMs / 1000).toFixed(2),
      ms_per_chunk: Math.round(modelMs / cold.chunks.total),
      ms_per_512_tokens: Math.round((modelMs / modelTokens) * 512),
      post_share: `${((100 * (coldMs - modelMs)) / coldMs).toFixed(1)}%`,
      edit_s: +(editMs / 1000).toFixed(2),
      edit_vs_cold: `${((100 * editMs) / coldMs).toFixed(1)}%`,
      edit_rerun_chunks: warm.chunks.total - warm.chunks.cached,
      tokens: `${cold.origin_tokens}->${cold.compressed_tokens} (budget ${cold.budget})`,
      // Other work on the machine skews every figure; the 1-minute load average says how much.
      load_avg: +os.loadavg()[0]!.toFixed(1),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    await engine.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

// Baseline: the same text and model through @atjsh/llmlingua-2 (transformers.js) and through this engine, on the same
// native backend (onnxruntime-node). The baseline's packages stay out of this project (they pull ~500 MB): install
// them elsewhere and pass the folder, e.g.
//   mkdir /tmp/atjsh && cd /tmp/atjsh && npm init -y && ONNXRUNTIME_NODE_INSTALL=skip npm i -E @atjsh/llmlingua-2@3.0.0
//   npm run bench:compress -- --baseline /tmp/atjsh [--weights int8|fp32]
// Each side runs in a process of its own (two ONNX Runtime thread pools in one process slow each other down), the
// sides alternate so that other load on the machine hits both alike, and each side's best round counts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LLMLingua2Engine } from '../../src/core/llmlingua2/engine';
import { loadTokenizer } from '../../src/core/tokens/tokenizers';
import { loadOrtNode } from '../../src/node/ortNode';

type Side = 'atjsh' | 'ours';
type Weights = 'int8' | 'fp32';

/** Parent: alternates one process per side and round, then prints the ratio of the best rounds. */
export function runBaseline(script: string, args: string[], weights: Weights[], rounds = 3): void {
  const rows: Record<string, string | number>[] = [];
  for (const q of weights) {
    const ms: Record<Side, number[]> = { atjsh: [], ours: [] };
    const tokens: Record<Side, string> = { atjsh: '', ours: '' };
    for (let r = 0; r < rounds; r++) {
      for (const side of ['atjsh', 'ours'] as const) {
        const child = spawnSync(process.execPath, [...process.execArgv, script, ...args, '--side', `${side}:${q}`], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
        if (!line) throw new Error(`${side} ${q} printed no result (exit ${child.status})`);
        const res = JSON.parse(line) as { ms: number; tokens: string };
        ms[side].push(res.ms);
        tokens[side] = res.tokens;
      }
    }
    const best = (xs: number[]) => Math.min(...xs);
    rows.push({
      weights: q,
      atjsh_s: +(best(ms.atjsh) / 1000).toFixed(2),
      ours_s: +(best(ms.ours) / 1000).toFixed(2),
      speedup: `${(best(ms.atjsh) / best(ms.ours)).toFixed(2)}x`,
      rounds_atjsh_s: ms.atjsh.map((x) => (x / 1000).toFixed(2)).join(' '),
      rounds_ours_s: ms.ours.map((x) => (x / 1000).toFixed(2)).join(' '),
      atjsh_tokens: tokens.atjsh,
      ours_tokens: tokens.ours,
      load_avg: +os.loadavg()[0]!.toFixed(1),
    });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
  console.table(rows);
}

/** Child: loads one side, warms it up on a short text, times one compression of `text` at rate 0.5. */
export async function runBaselineSide(
  side: Side,
  q: Weights,
  baselineDir: string,
  modelsDir: string,
  fixtures: string,
  text: string,
): Promise<void> {
  const cl100k = await loadTokenizer('cl100k_base');
  const fixtureTok = path.join(fixtures, 'tiny-bert-base-multilingual-cased-ref');
  const compress =
    side === 'ours'
      ? await oursCompressor(modelsDir, fixtureTok, q, cl100k)
      : await atjshCompressor(baselineDir, modelsDir, fixtureTok, q, cl100k);
  await compress('A short warm-up sentence. Another one.');
  const t = performance.now();
  const tokens = await compress(text);
  console.log(JSON.stringify({ ms: performance.now() - t, tokens }));
}

type Compress = (text: string) => Promise<string>;

async function oursCompressor(
  modelsDir: string,
  fixtureTok: string,
  q: Weights,
  cl100k: Awaited<ReturnType<typeof loadTokenizer>>,
): Promise<Compress> {
  const engine = await LLMLingua2Engine.create(
    {
      model: fs.readFileSync(path.join(modelsDir, q, 'model.onnx')),
      tokenizerJson: JSON.parse(fs.readFileSync(path.join(fixtureTok, 'tokenizer.json'), 'utf8')),
    },
    { backend: 'node', numThreads: Math.min(2, os.cpus().length), loadNativeOrt: loadOrtNode },
  );
  return async (text) => {
    const r = await engine.compressToBudget({ contexts: [text], rate: 0.5, tokenizer: cl100k });
    return `${r.compressed_tokens} (budget ${r.budget})`;
  };
}

async function atjshCompressor(
  baselineDir: string,
  modelsDir: string,
  fixtureTok: string,
  q: Weights,
  cl100k: Awaited<ReturnType<typeof loadTokenizer>>,
): Promise<Compress> {
  const req = createRequire(path.join(baselineDir, 'package.json'));
  const load = async (name: string) => import(pathToFileURL(req.resolve(name)).href);
  // The ESM build, the instance @atjsh/llmlingua-2 itself imports (require.resolve would give the CJS one).
  const transformers = await import(
    pathToFileURL(req.resolve('@huggingface/transformers').replace(/\.cjs$/, '.mjs')).href
  );
  const { LLMLingua2 } = await load('@atjsh/llmlingua-2');
  const { Tiktoken } = await load('js-tiktoken/lite');
  const cl100kRanks = (await load('js-tiktoken/ranks/cl100k_base')).default;

  // transformers.js layout: config.json, tokenizer files, onnx/model.onnx (fp32) and onnx/model_quantized.onnx (q8).
  const tjsRoot = path.join(modelsDir, 'tjs');
  const modelName = 'bench-bert';
  const dir = path.join(tjsRoot, modelName);
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(fixtureTok, 'config.json'), 'utf8'));
  Object.assign(config, {
    hidden_size: 768,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    intermediate_size: 3072,
    vocab_size: 119547,
  });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  fs.copyFileSync(path.join(fixtureTok, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  // The reference's saved config has no pad token (pad id 0 is falsy there); transformers.js pads batches, so name it.
  const tokConfig = JSON.parse(fs.readFileSync(path.join(fixtureTok, 'tokenizer_config.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ ...tokConfig, pad_token: '[PAD]' }));
  const link = path.join(dir, 'onnx', q === 'int8' ? 'model_quantized.onnx' : 'model.onnx');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.join(modelsDir, q, 'model.onnx'), link);
  transformers.env.localModelPath = tjsRoot + path.sep;
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;

  const { promptCompressor } = await LLMLingua2.WithBERTMultilingual(modelName, {
    transformerJSConfig: { device: 'cpu', dtype: q === 'int8' ? 'q8' : 'fp32' },
    oaiTokenizer: new Tiktoken(cl100kRanks),
    modelSpecificOptions: { subfolder: 'onnx' },
  });
  return async (text) => String(cl100k.count(await promptCompressor.compress_prompt(text, { rate: 0.5 })));
}

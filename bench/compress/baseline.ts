// Baseline: the same text and model through @atjsh/llmlingua-2 (transformers.js) and through this engine, on the same
// native backend (onnxruntime-node). The baseline's packages stay out of this project (they pull ~500 MB): install
// them elsewhere and pass the folder, e.g.
//   mkdir /tmp/atjsh && cd /tmp/atjsh && npm init -y && ONNXRUNTIME_NODE_INSTALL=skip npm i -E @atjsh/llmlingua-2@3.0.0
//   npm run bench:compress -- --baseline /tmp/atjsh [--quick]
// Run after the main bench has generated bench/models/… (the same random-weight models are reused).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LLMLingua2Engine } from '../../src/core/llmlingua2/engine';
import { loadTokenizer } from '../../src/core/tokens/tokenizers';

export async function runBaseline(
  baselineDir: string,
  modelsDir: string,
  fixtures: string,
  text: string,
  rounds = 2,
  weights: ('int8' | 'fp32')[] = ['int8', 'fp32'],
): Promise<void> {
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
  const fixtureTok = path.join(fixtures, 'tiny-bert-base-multilingual-cased-ref');
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
  for (const [q, name] of [
    ['fp32', 'model.onnx'],
    ['int8', 'model_quantized.onnx'],
  ] as const) {
    const link = path.join(dir, 'onnx', name);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.join(modelsDir, q, 'model.onnx'), link);
  }
  transformers.env.localModelPath = tjsRoot + path.sep;
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;

  const cl100k = await loadTokenizer('cl100k_base');
  const tokenizerJson = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  const rows: Record<string, string | number>[] = [];
  for (const q of weights) {
    const dtype = q === 'int8' ? 'q8' : 'fp32';
    const { promptCompressor } = await LLMLingua2.WithBERTMultilingual(modelName, {
      transformerJSConfig: { device: 'cpu', dtype },
      oaiTokenizer: new Tiktoken(cl100kRanks),
      modelSpecificOptions: { subfolder: 'onnx' },
    });
    const ours = await LLMLingua2Engine.create(
      { model: fs.readFileSync(path.join(modelsDir, q, 'model.onnx')), tokenizerJson },
      { backend: 'node', numThreads: Math.min(2, os.cpus().length) },
    );
    await promptCompressor.compress_prompt('A short warm-up sentence. Another one.', { rate: 0.5 });
    const theirs: number[] = [];
    const mine: number[] = [];
    let theirTokens = 0;
    let ourTokens = 0;
    // Interleaved so that other load on the machine hits both alike.
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      const out: string = await promptCompressor.compress_prompt(text, { rate: 0.5 });
      theirs.push(performance.now() - t);
      theirTokens = cl100k.count(out);
      ours.clearCache();
      t = performance.now();
      const res = await ours.compressToBudget({ contexts: [text], rate: 0.5, tokenizer: cl100k });
      mine.push(performance.now() - t);
      ourTokens = res.compressed_tokens;
    }
    const best = (xs: number[]) => Math.min(...xs);
    rows.push({
      weights: q,
      atjsh_s: +(best(theirs) / 1000).toFixed(2),
      ours_s: +(best(mine) / 1000).toFixed(2),
      speedup: `${(best(theirs) / best(mine)).toFixed(2)}x`,
      atjsh_tokens: theirTokens,
      ours_tokens: `${ourTokens} (budget ${Math.floor(0.5 * cl100k.count(text))})`,
      load_avg: +os.loadavg()[0]!.toFixed(1),
    });
    console.log(JSON.stringify(rows[rows.length - 1]));
    await ours.dispose();
  }
  console.table(rows);
}

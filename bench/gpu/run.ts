// npm run bench:gpu — the LLMLingua-2 engine compressing ~8,000 model tokens to half on the GPU (onnxruntime-node's
// WebGPU EP) against the CPU (onnxruntime-node, all cores) on the same machine and the same generated fp32
// BERT-base-shaped model (../compress/models.ts), plus the int8 model on the CPU (what `auto` runs with int8 weights).
// Prints each cold run (best of --rounds, cache cleared) and the ratio CPU / GPU.
// Usage: tsx bench/gpu/run.ts [--quick] [--rounds N] [--swiftshader]
//   --quick: 2 layers instead of 12.  --swiftshader: use the SwiftShader Vulkan driver that Debian's chromium ships
//   (software emulation, for a machine without a GPU; its figures say nothing about a real GPU).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LLMLingua2Engine } from '../../src/core/llmlingua2/engine';
import type { BackendKind } from '../../src/core/llmlingua2/inference';
import { loadTokenizer } from '../../src/core/tokens/tokenizers';
import { loadOrtNode } from '../../src/node/ortNode';
import { benchText, ensureBenchModel } from '../compress/models';

const ROOT = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 2;
const OUT = path.join(ROOT, 'bench/models', quick ? 'bert-2layer-random' : 'bert-base-random');

async function main() {
  if (args.includes('--swiftshader')) {
    // Read by the Vulkan loader when Dawn starts (the first WebGPU session), so set before any.
    process.env.VK_ICD_FILENAMES = '/usr/lib/chromium/vk_swiftshader_icd.json';
    process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
  }
  const cl100k = await loadTokenizer('cl100k_base');
  const tokenizerJson = JSON.parse(
    fs.readFileSync(
      path.join(ROOT, 'test/fixtures/llmlingua2/tiny-bert-base-multilingual-cased-ref/tokenizer.json'),
      'utf8',
    ),
  );
  const threads = os.availableParallelism();
  const configs: { label: string; backend: BackendKind; q: 'fp32' | 'int8' }[] = [
    { label: 'GPU (WebGPU), fp32', backend: 'node-webgpu', q: 'fp32' },
    { label: `CPU (${threads} threads), fp32`, backend: 'node', q: 'fp32' },
    { label: `CPU (${threads} threads), int8`, backend: 'node', q: 'int8' },
  ];
  const ms: Record<string, number> = {};
  let text = '';
  for (const c of configs) {
    const model = new Uint8Array(fs.readFileSync(await ensureBenchModel(OUT, c.q, quick)));
    const t0 = performance.now();
    const engine = await LLMLingua2Engine.create(
      { model, tokenizerJson },
      { backend: c.backend, numThreads: threads, loadNativeOrt: loadOrtNode },
    );
    const load = performance.now() - t0;
    text ||= benchText(engine.tokenizer);
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      engine.clearCache();
      const t1 = performance.now();
      await engine.compressToBudget({ contexts: [text], rate: 0.5, tokenizer: cl100k });
      best = Math.min(best, performance.now() - t1);
    }
    ms[c.label] = best;
    const tokens = engine.tokenizer.tokenize(text).ids.length;
    console.log(
      `${c.label.padEnd(28)} ${engine.runtime.padEnd(26)} load ${(load / 1000).toFixed(1)} s, ` +
        `${tokens} tokens in ${(best / 1000).toFixed(2)} s (best of ${rounds})`,
    );
    await engine.dispose();
  }
  const [gpu, cpu32, cpu8] = configs.map((c) => ms[c.label]!);
  console.log(
    `CPU fp32 / GPU: ${(cpu32! / gpu!).toPrecision(2)}x   CPU int8 / GPU: ${(cpu8! / gpu!).toPrecision(2)}x   (> 1: the GPU is faster)`,
  );
  console.log(
    `machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} x${threads}; GPU: ${
      process.env.VK_ICD_FILENAMES?.includes('swiftshader')
        ? 'SwiftShader (software emulation, not a GPU)'
        : 'the system WebGPU adapter'
    }${quick ? '; --quick: 2 layers' : ''}`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

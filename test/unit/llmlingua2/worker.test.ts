// Off-main-thread inference: the engine in a worker_threads worker, with progress and cancellation.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { WorkerEngine } from '../../../src/node/llmlingua2/workerClient';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { assertCancelsBetweenChunks, assertRemoteEncoderMatches, engine, FOLDERS, loadCases } from './helpers';

describe('llmlingua2 worker thread', () => {
  let w: WorkerEngine;
  before(async function () {
    this.timeout(60_000);
    w = new WorkerEngine({
      modelDir: FOLDERS.xlmr,
      // Tests run the TypeScript source through a tsx bootstrap; the bundle ships a built worker script instead.
      workerScript: path.resolve(__dirname, 'worker-bootstrap.cjs'),
    });
    assert.equal((await w.load()).backend, 'wasm');
  });
  after(() => w.dispose());

  it('gives the same result as the in-thread engine, with progress, while the main thread stays responsive', async () => {
    const cl100k = await loadTokenizer('cl100k_base');
    const text = [loadCases().texts.LONG!, loadCases().texts.LONG!.toUpperCase()].join('\n\n');
    const progress: number[] = [];
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const r = await w.compressToBudget({
      contexts: [text],
      budget: 500,
      tokenizer: cl100k,
      onProgress: (d) => progress.push(d),
    });
    clearInterval(timer);
    const local = await (await engine('xlmr')).compressToBudget({ contexts: [text], budget: 500, tokenizer: cl100k });
    assert.equal(r.compressed_prompt, local.compressed_prompt);
    assert.equal(r.compressed_tokens, local.compressed_tokens);
    assert.ok(progress.length >= 8 && progress[progress.length - 1] === r.chunks.total);
    console.log(`      ${r.chunks.total} chunks in the worker; longest main-thread pause ${maxGap.toFixed(0)} ms`);
    assert.ok(maxGap < 250, `main thread blocked ${maxGap} ms`);
  });

  it('cancels between chunks', async () => {
    await assertCancelsBetweenChunks(w, 8, 40);
  });

  it('runs the reference selection too', async () => {
    const cl100k = await loadTokenizer('cl100k_base');
    const c = loadCases().cases.find((x) => x.id === 'xlmr/single/chat.txt/rate0.33')!;
    const r = await w.reference(loadCases().texts['chat.txt']!, c.kwargs, cl100k);
    assert.equal(r.compressed_prompt, c.result.compressed_prompt);
    assert.deepEqual(r.labels, c.labels);
  });

  it('serves the chat prompt encoder from the same worker, equal to the in-thread encoder', () =>
    assertRemoteEncoderMatches('xlmr', w));
});

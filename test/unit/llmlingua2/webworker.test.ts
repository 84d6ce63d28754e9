// The browser-host path: webWorker.ts + WebWorkerEngine, with cancellation by message (no shared memory).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WebWorkerEngine, type WebWorkerLike } from '../../../src/web/llmlingua2/webWorkerClient';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import type { InferenceOptions } from '../../../src/core/llmlingua2/inference';
import { assertCancelsBetweenChunks, assertRemoteEncoderMatches, FOLDERS, loadCases, tokenizerJson } from './helpers';

/** webWorker.ts in a worker_threads Worker behind the DOM Worker interface WebWorkerEngine uses. */
function startWebWorkerEngine(model: ArrayBuffer, options?: InferenceOptions): WebWorkerEngine {
  const worker = new Worker(path.resolve(__dirname, 'webworker-bootstrap.cjs'));
  const like: WebWorkerLike = {
    postMessage: (m, transfer) => worker.postMessage(m, transfer),
    addEventListener: ((type: 'message' | 'error', listener: (ev: unknown) => void) =>
      type === 'message'
        ? worker.on('message', (data) => listener({ data }))
        : worker.on('error', (e) => listener({ message: e.message }))) as WebWorkerLike['addEventListener'],
    terminate: () => void worker.terminate(),
  };
  return new WebWorkerEngine(
    like,
    { model, tokenizerJson: tokenizerJson('bert'), options },
    { useSharedMemory: false, encoderModel: async () => modelBuffer() },
  );
}

function modelBuffer(): ArrayBuffer {
  const bytes = fs.readFileSync(path.join(FOLDERS.bert, 'model.onnx'));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('llmlingua2 web worker (browser host path, emulated)', () => {
  let w: WebWorkerEngine;
  before(async function () {
    this.timeout(60_000);
    const model = modelBuffer();
    w = startWebWorkerEngine(model);
    assert.equal(model.byteLength, 0, 'model bytes were transferred, not copied');
    assert.equal((await w.load()).backend, 'wasm');
  });
  after(() => w.dispose());

  it('runs the reference selection with the recorded result', async () => {
    const c = loadCases().cases.find((x) => x.id === 'bert/single/code.py/rate0.5-first')!;
    const r = await w.reference(loadCases().texts['code.py']!, c.kwargs, await loadTokenizer('cl100k_base'));
    assert.equal(r.compressed_prompt, c.result.compressed_prompt);
    assert.deepEqual(r.labels, c.labels);
  });

  it('cancels by message between chunks and reports progress', async () => {
    const totals = await assertCancelsBetweenChunks(w, 6, 20);
    assert.ok(totals.every((t) => t > 20));
    const cl100k = await loadTokenizer('cl100k_base');
    const ok = await w.compressToBudget({ contexts: [loadCases().texts['chat.txt']!], budget: 50, tokenizer: cl100k });
    assert.ok(ok.compressed_tokens <= 50 && ok.compressed_tokens >= 49);
  });

  it('serves the chat prompt encoder from the same worker, equal to the in-thread encoder', () =>
    assertRemoteEncoderMatches('bert', w));

  it('settles pending calls when disposed (a terminated Web Worker sends nothing more)', async () => {
    const e = startWebWorkerEngine(modelBuffer());
    const pending = e.compressToBudget({
      contexts: [loadCases().texts.LONG!.repeat(4)],
      rate: 0.3,
      tokenizer: await loadTokenizer('cl100k_base'),
    });
    e.dispose();
    await assert.rejects(pending, /stopped/);
    await assert.rejects(e.load(), /stopped/, 'later calls reject at once');
  });
});

describe('llmlingua2 web worker with the WebGPU build, where there is no adapter (emulated)', () => {
  it('runs WASM on the WebGPU build and says why the GPU is not used, with the recorded result', async function () {
    this.timeout(60_000);
    const wasm = fs.readFileSync(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm'));
    // What the browser host sends when it wants the GPU: the WebGPU build's .wasm. Node has no navigator.gpu.
    const w = startWebWorkerEngine(modelBuffer(), {
      backend: 'auto',
      webGpu: true,
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
    });
    try {
      const loaded = await w.load();
      assert.equal(loaded.runtime, 'onnxruntime-web wasm (GPU not used: navigator.gpu is not available in this host)');
      const c = loadCases().cases.find((x) => x.id === 'bert/single/code.py/rate0.5-first')!;
      const r = await w.reference(loadCases().texts['code.py']!, c.kwargs, await loadTokenizer('cl100k_base'));
      assert.deepEqual(r.labels, c.labels);
      assert.equal(r.compressed_prompt, c.result.compressed_prompt);
    } finally {
      w.dispose();
    }
  });
});

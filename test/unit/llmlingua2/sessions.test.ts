// The WASM session pool: independent sessions in worker threads run chunks side by side, with the same p(keep) as
// one session, and fall back to one session in-thread when a second cannot start.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LLMLingua2Engine } from '../../../src/core/llmlingua2/engine';
import { findModelFile } from '../../../src/node/llmlingua2/folder';
import { createKeepModel, wasmSessionsAllowed, type KeepModel } from '../../../src/core/llmlingua2/inference';
import { nodeSessionSpawner } from '../../../src/node/llmlingua2/nodeSessions';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { FOLDERS, loadCases, modelTokenizer, tokenizerJson } from './helpers';

const BOOTSTRAP = path.resolve(__dirname, 'worker-bootstrap.cjs');

describe('llmlingua2 WASM session pool', function () {
  this.timeout(60_000);
  let bytes: Uint8Array;
  let single: KeepModel;
  before(async () => {
    bytes = fs.readFileSync(await findModelFile(FOLDERS.bert));
    single = await createKeepModel(bytes, { backend: 'wasm', skipWarmup: true });
  });
  after(() => single.release());

  it('runs sequences side by side in separate sessions with the same p(keep) as one session', async () => {
    const spawn = nodeSessionSpawner(BOOTSTRAP);
    const used: number[] = [0, 0];
    let n = 0;
    const pool = await createKeepModel(bytes, {
      backend: 'wasm',
      numThreads: 2,
      wasmSessions: 2,
      // Count the runs each session gets.
      spawnWasmSession: async (model, threads) => {
        assert.equal(threads, 1, 'two threads split over two sessions');
        const s = await spawn(model, threads);
        const k = n++;
        return { ...s, run: (ids) => (used[k]!++, s.run(ids)) };
      },
    });
    try {
      assert.equal(pool.parallelism, 2);
      const tok = modelTokenizer('bert');
      const seqs = loadCases()
        .texts.LONG!.split('\n')
        .filter((l) => l.trim())
        .slice(0, 8)
        .map((l) => [101, ...tok.tokenize(l).ids.slice(0, 200), 102]);
      const got = await pool.runBatch(seqs);
      for (let i = 0; i < seqs.length; i++) {
        const want = await single.run(seqs[i]!);
        assert.equal(got[i]!.length, want.length);
        got[i]!.forEach((p, j) => assert.ok(Math.abs(p - want[j]!) < 1e-5, `seq ${i} pos ${j}: ${p} vs ${want[j]}`));
      }
      assert.ok(used[0]! > 0 && used[1]! > 0, `both sessions ran (${used.join(', ')})`);
    } finally {
      await pool.release();
    }
  });

  it('compresses to the same result through the pool as with one session', async () => {
    const cl100k = await loadTokenizer('cl100k_base');
    const text = loadCases().texts.LONG!;
    const files = { model: bytes, tokenizerJson: tokenizerJson('bert') };
    const one = await LLMLingua2Engine.create(files, { backend: 'wasm', skipWarmup: true });
    const two = await LLMLingua2Engine.create(files, {
      backend: 'wasm',
      numThreads: 2,
      wasmSessions: 2,
      spawnWasmSession: nodeSessionSpawner(BOOTSTRAP),
    });
    try {
      const a = await one.compressToBudget({ contexts: [text], budget: 300, tokenizer: cl100k });
      const progress: number[] = [];
      const b = await two.compressToBudget({
        contexts: [text],
        budget: 300,
        tokenizer: cl100k,
        onProgress: (d) => progress.push(d),
      });
      assert.equal(b.compressed_prompt, a.compressed_prompt);
      assert.deepEqual(b.labels, a.labels);
      assert.deepEqual(
        progress,
        Array.from({ length: b.chunks.total }, (_, i) => i + 1),
      );
    } finally {
      await one.dispose();
      await two.dispose();
    }
  });

  it('falls back to one session in this thread when another cannot start', async () => {
    const spawn = nodeSessionSpawner(BOOTSTRAP);
    let calls = 0;
    const model = await createKeepModel(bytes, {
      backend: 'wasm',
      wasmSessions: 2,
      spawnWasmSession: (m, t) => (++calls === 2 ? Promise.reject(new Error('out of memory')) : spawn(m, t)),
      skipWarmup: true,
    });
    try {
      assert.equal(calls, 2);
      assert.equal(model.parallelism, 1);
      const p = await model.run([101, 102]);
      assert.equal(p.length, 2);
    } finally {
      await model.release();
    }
  });

  it('reports a session worker that cannot load its model', async () => {
    await assert.rejects(nodeSessionSpawner(BOOTSTRAP)(new Uint8Array([1, 2, 3]), 1), /protobuf parsing failed/);
  });
});

describe('llmlingua2 WASM session count (core, pure)', () => {
  it('allows a requested session only with a core and memory for another model copy', () => {
    const mb = 1e6;
    assert.equal(wasmSessionsAllowed(2, 179 * mb, 1, 16_000 * mb), 1);
    assert.equal(wasmSessionsAllowed(2, 179 * mb, 2, 16_000 * mb), 2);
    assert.equal(wasmSessionsAllowed(1, 179 * mb, 16, 16_000 * mb), 1);
    assert.equal(wasmSessionsAllowed(4, 179 * mb, 16, 16_000 * mb), 4);
    assert.equal(wasmSessionsAllowed(2, 179 * mb, 2, 2_000 * mb), 1);
    assert.equal(wasmSessionsAllowed(2, 563 * mb, 2, 8_000 * mb), 1);
  });
});

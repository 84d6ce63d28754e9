// Parity with Microsoft's reference LLMLingua-2 on the recorded fixture cases (both model modes).
import * as assert from 'node:assert/strict';
import type { ReferenceSettings } from '../../../src/core/llmlingua2/reference';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LLMLingua2Engine } from '../../../src/core/llmlingua2/engine';
import { createKeepModel } from '../../../src/core/llmlingua2/inference';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { loadOrtNode } from '../../../src/node/ortNode';
import { engine, FOLDERS, loadCases, loadChunks, PARITY_TOLERANCE, tokenizerJson, type ModelKey } from './helpers';
import { skipBecause } from '../../support/summaryReporter';

describe('llmlingua2 inference (onnxruntime-web WASM)', () => {
  for (const m of ['bert', 'xlmr'] as ModelKey[]) {
    it(`${m}: p(keep) within ${PARITY_TOLERANCE.toExponential()} of the recorded values, unpadded`, async () => {
      // A session of its own (no engine cache), warmed up once as in the product.
      const e = {
        keepProbs: (await createKeepModel(fs.readFileSync(path.join(FOLDERS[m], 'model.onnx')), { numThreads: 1 })).run,
      };
      let maxDiff = 0;
      let positions = 0;
      const t0 = performance.now();
      let chunks = 0;
      for (const rec of Object.values(loadChunks().models[m].texts)) {
        for (const ch of rec.chunks) {
          const p = await e.keepProbs(ch.ids);
          assert.equal(p.length, ch.ids.length);
          for (let i = 0; i < p.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i]! - ch.probs[i]!));
          positions += p.length;
          chunks++;
        }
      }
      const ms = (performance.now() - t0) / chunks;
      console.log(
        `      ${m}: max |Δp| = ${maxDiff.toExponential(2)} over ${positions} positions; ${ms.toFixed(1)} ms/chunk`,
      );
      assert.ok(maxDiff < PARITY_TOLERANCE, `max |Δp| ${maxDiff}`);
    });
  }
});

describe('llmlingua2 batched inference (padded, masked)', () => {
  it('gives the recorded p(keep) for chunks of different lengths run as one batch', async () => {
    const e = await LLMLingua2Engine.create(
      { model: fs.readFileSync(path.join(FOLDERS.xlmr, 'model.onnx')), tokenizerJson: tokenizerJson('xlmr') },
      { batchSize: 4, skipWarmup: true },
    );
    const chunks = Object.values(loadChunks().models.xlmr.texts).flatMap((t) => t.chunks);
    const probs = await e.keepProbsMany(chunks.map((c) => c.ids));
    assert.equal(e.modelRuns, 1, 'one padded run');
    let maxDiff = 0;
    chunks.forEach((c, k) => {
      assert.equal(probs[k]!.length, c.ids.length);
      for (let i = 0; i < c.ids.length; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[k]![i]! - c.probs[i]!));
    });
    console.log(`      xlmr padded batch: max |Δp| = ${maxDiff.toExponential(2)}`);
    assert.ok(maxDiff < PARITY_TOLERANCE, String(maxDiff));
    await e.dispose();
  });
});

describe('llmlingua2 inference (onnxruntime-node, optional backend)', () => {
  it(`p(keep) within ${PARITY_TOLERANCE.toExponential()} of the recorded values when onnxruntime-node is installed`, async function () {
    let model;
    try {
      model = await createKeepModel(fs.readFileSync(path.join(FOLDERS.bert, 'model.onnx')), {
        backend: 'node',
        loadNativeOrt: loadOrtNode,
      });
    } catch (e) {
      skipBecause(this, `onnxruntime-node not loadable here (${(e as Error).message.split('\n')[0]})`);
    }
    assert.equal(model.backend, 'node');
    let maxDiff = 0;
    for (const rec of Object.values(loadChunks().models.bert.texts)) {
      for (const ch of rec.chunks) {
        const p = await model.run(ch.ids);
        for (let i = 0; i < p.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i]! - ch.probs[i]!));
      }
    }
    console.log(`      bert onnxruntime-node: max |Δp| = ${maxDiff.toExponential(2)}`);
    assert.ok(maxDiff < PARITY_TOLERANCE, String(maxDiff));
    await model.release();
  });
});

describe('llmlingua2 reference selection: parity on all fixture cases', () => {
  it('labels ≥ 99.9% equal, origin/compressed tokens equal in every case', async function () {
    this.timeout(120_000);
    const { texts, cases } = loadCases();
    const cl100k = await loadTokenizer('cl100k_base');
    assert.equal(cases.length, 136);
    let words = 0;
    let same = 0;
    const countMismatch: string[] = [];
    const promptMismatch: string[] = [];
    const lengthMismatch: string[] = [];
    for (const c of cases) {
      const e = await engine(c.model);
      const contexts = c.context_names.map((n) => texts[n]!);
      const r = await e.reference(
        contexts.length === 1 ? contexts[0]! : contexts,
        c.kwargs as ReferenceSettings,
        cl100k,
      );
      if (r.words.length !== c.words.length) lengthMismatch.push(c.id);
      for (let i = 0; i < c.labels.length; i++) {
        if (r.words[i] === c.words[i] && r.labels[i] === c.labels[i]) same++;
      }
      words += c.labels.length;
      if (r.origin_tokens !== c.result.origin_tokens || r.compressed_tokens !== c.result.compressed_tokens) {
        countMismatch.push(
          `${c.id}: ${r.origin_tokens}/${r.compressed_tokens} vs ${c.result.origin_tokens}/${c.result.compressed_tokens}`,
        );
      }
      if (
        r.compressed_prompt !== c.result.compressed_prompt ||
        JSON.stringify(r.compressed_prompt_list) !== JSON.stringify(c.result.compressed_prompt_list) ||
        r.ratio !== c.result.ratio ||
        r.rate !== c.result.rate ||
        r.saving !== c.result.saving
      ) {
        promptMismatch.push(c.id);
      }
    }
    const rate = same / words;
    console.log(
      `      label parity ${same}/${words} = ${(100 * rate).toFixed(3)}%; count mismatches ${countMismatch.length}; ` +
        `prompt/ratio mismatches ${promptMismatch.length}; word-list length mismatches ${lengthMismatch.length}`,
    );
    assert.deepEqual(countMismatch, []);
    assert.deepEqual(lengthMismatch, []);
    assert.ok(rate >= 0.999, `label parity ${rate}`);
    // Stronger than the issue asks; currently exact, so any drift shows up here first.
    assert.deepEqual(promptMismatch, []);
  });
});

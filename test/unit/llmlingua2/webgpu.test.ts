// The compressor on the GPU: onnxruntime-node's WebGPU execution provider on a real WebGPU stack (Dawn on
// SwiftShader's Vulkan driver, which Debian's chromium package ships; CI installs it with libvulkan1), against the
// recorded reference values, and the fallback to the CPU when there is no adapter.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCompressRequest } from '../../../src/cli/llmlingua2Contract';
import { inspectWeights, openFirst, planBackends, runtimeNote } from '../../../src/core/llmlingua2/device';
import type { BackendKind } from '../../../src/core/llmlingua2/ortSession';
import { createKeepModel, type KeepModel } from '../../../src/core/llmlingua2/inference';
import { createOnnxPromptEncoder } from '../../../src/core/idp/onnxEncoder';
import type { LLMLingua2Engine } from '../../../src/core/llmlingua2/engine';
import type { ReferenceSettings } from '../../../src/core/llmlingua2/reference';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { loadEngineFromFolder } from '../../../src/node/llmlingua2/folder';
import { loadOrtNode } from '../../../src/node/ortNode';
import { addModel, FLOAT16, probeNodeWebGpu } from '../../../src/node/gpuProbe';
import { planModelFiles, variantsFor } from '../../../src/core/models/store';
import { makeBertModel } from '../../../bench/compress/makeModel';
import { skipBecause } from '../../support/summaryReporter';
import { runCli } from '../../support/cli';
import { capture, FOLDERS, loadCases, loadChunks, tokenizerJson, type ModelKey } from './helpers';

/** GPU results differ from the recorded CPU values by float rounding only (other summation orders). */
const GPU_TOLERANCE = 1e-3;

/** Why WebGPU cannot run in this process, or undefined when SwiftShader's Vulkan driver is there to use. */
function noSwiftShader(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `no SwiftShader set-up for ${process.platform}`;
  if (!fs.existsSync(SWIFTSHADER_ICD)) return `${SWIFTSHADER_ICD} is missing (Debian's chromium package ships it)`;
  if (!['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/lib/x86_64-linux-gnu/libvulkan.so.1'].some(fs.existsSync)) {
    return 'libvulkan1 (the Vulkan loader) is not installed';
  }
  return undefined;
}
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const modelBytes = (m: ModelKey) => new Uint8Array(fs.readFileSync(path.join(FOLDERS[m], 'model.onnx')));

describe('llmlingua2 on WebGPU (onnxruntime-node, SwiftShader)', function () {
  this.timeout(300_000);
  const saved = { icd: process.env.VK_ICD_FILENAMES, xdg: process.env.XDG_RUNTIME_DIR };
  before(async function () {
    const reason = noSwiftShader();
    if (reason) skipBecause(this, reason);
    try {
      await loadOrtNode();
    } catch (e) {
      skipBecause(this, `onnxruntime-node not loadable here (${(e as Error).message.split('\n')[0]})`);
    }
    // The Vulkan loader reads these when Dawn makes its instance (the first WebGPU session of this process).
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    process.env.XDG_RUNTIME_DIR ??= os.tmpdir();
  });
  after(() => {
    for (const [k, v] of [
      ['VK_ICD_FILENAMES', saved.icd],
      ['XDG_RUNTIME_DIR', saved.xdg],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  for (const m of ['bert', 'xlmr'] as ModelKey[]) {
    it(`${m}: p(keep) within ${GPU_TOLERANCE} of the recorded values`, async () => {
      let model: KeepModel | undefined;
      try {
        model = await createKeepModel(modelBytes(m), { backend: 'node-webgpu', loadNativeOrt: loadOrtNode });
        assert.equal(model.runtime, 'onnxruntime-node webgpu');
        let maxDiff = 0;
        let positions = 0;
        for (const rec of Object.values(loadChunks().models[m].texts)) {
          for (const ch of rec.chunks) {
            const p = await model.run(ch.ids);
            assert.equal(p.length, ch.ids.length);
            for (let i = 0; i < p.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i]! - ch.probs[i]!));
            positions += p.length;
          }
        }
        console.log(`      ${m} webgpu: max |Δp| = ${maxDiff.toExponential(2)} over ${positions} positions`);
        assert.ok(maxDiff < GPU_TOLERANCE, `max |Δp| ${maxDiff}`);
      } finally {
        await model?.release();
      }
    });
  }

  it('every recorded reference case on WebGPU: same words, labels and compressed prompts', async () => {
    const { texts, cases } = loadCases();
    const cl100k = await loadTokenizer('cl100k_base');
    // One engine per model, loaded as the CLI loads it (a WebGPU session costs seconds of shader compiles here).
    const engines = new Map<ModelKey, LLMLingua2Engine>();
    const mismatches: string[] = [];
    let words = 0;
    try {
      for (const c of cases) {
        let e = engines.get(c.model);
        if (!e) {
          e = await loadEngineFromFolder(FOLDERS[c.model], { backend: 'node-webgpu', skipWarmup: true });
          engines.set(c.model, e);
        }
        assert.equal(e.runtime, 'onnxruntime-node webgpu');
        const contexts = c.context_names.map((n) => texts[n]!);
        const r = await e.reference(
          contexts.length === 1 ? contexts[0]! : contexts,
          c.kwargs as ReferenceSettings,
          cl100k,
        );
        words += c.labels.length;
        if (
          JSON.stringify(r.labels) !== JSON.stringify(c.labels) ||
          JSON.stringify(r.words) !== JSON.stringify(c.words) ||
          r.compressed_prompt !== c.result.compressed_prompt ||
          r.compressed_tokens !== c.result.compressed_tokens
        ) {
          mismatches.push(c.id);
        }
      }
    } finally {
      await Promise.all([...engines.values()].map((e) => e.dispose()));
    }
    console.log(`      ${cases.length} cases, ${words} words on WebGPU: ${mismatches.length} cases differ`);
    assert.equal(cases.length, 136);
    assert.deepEqual(mismatches, []);
  });

  it('`compress --request --backend webgpu` reproduces recorded cases of both models and names the runtime', async () => {
    const { texts, cases } = loadCases();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-gpu-'));
    try {
      for (const id of ['xlmr/multi/ctx-rate0.5-force1', 'bert/single/docs.md/rate0.5-force-drop']) {
        const c = cases.find((x) => x.id === id)!;
        const file = path.join(dir, 'req.json');
        const contexts = c.context_names.map((n) => texts[n]!);
        fs.writeFileSync(file, JSON.stringify({ contexts, settings: c.kwargs, selection: 'reference' }));
        const r = await capture(() =>
          runCompressRequest(['--compressor', FOLDERS[c.model], '--request', file, '--backend', 'webgpu']),
        );
        assert.equal(r.code, 0, r.err);
        const out = JSON.parse(r.out);
        assert.equal(out.runtime, 'onnxruntime-node webgpu');
        assert.deepEqual(out.labels, c.labels);
        assert.equal(out.compressed_prompt, c.result.compressed_prompt);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the prompt encoder runs on WebGPU too, with the hidden states of the CPU', async () => {
    const text = 'Summarise the meeting notes and list the decisions.';
    const opts = { id: 'bert', model: modelBytes('bert'), tokenizerJson: tokenizerJson('bert') };
    const gpu = await createOnnxPromptEncoder({ ...opts, backend: 'auto', loadNativeOrt: loadOrtNode });
    const cpu = await createOnnxPromptEncoder(opts);
    try {
      const [a, b] = [await gpu.encode(text), await cpu.encode(text)];
      assert.equal(a.tokens, b.tokens);
      let maxDiff = 0;
      a.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - b.data[i]!))));
      assert.ok(maxDiff < GPU_TOLERANCE, `max |Δhidden| ${maxDiff}`);
    } finally {
      await Promise.all([gpu.release(), cpu.release()]);
    }
  });

  it('the download probe finds the adapter and, on SwiftShader, no shader-f16: fp32 weights are planned', async () => {
    const gpu = await probeNodeWebGpu();
    assert.deepEqual(gpu, { ok: true, f16: false });
    const repo = ['tokenizer.json', 'onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_quantized.onnx'];
    const plan = planModelFiles(
      repo.map((path) => ({ path })),
      variantsFor({ gpu: gpu.ok, f16: gpu.ok && gpu.f16 }),
    );
    assert.equal(plan.at(-1)!.path, 'onnx/model.onnx');
  });

  it('an op that fails on the GPU at its first run falls back to the CPU, with the failure as the reason', async () => {
    // fp16 on an adapter without shader-f16 (SwiftShader): the session is made, and the first run fails.
    // onnxruntime-web's types are onnxruntime-node's (both onnxruntime-common), and it is always installed.
    const ort = (await loadOrtNode()) as typeof import('onnxruntime-web');
    const open = async (kind: BackendKind) => {
      const session = await ort.InferenceSession.create(addModel(FLOAT16), {
        executionProviders: kind === 'node-webgpu' ? ['webgpu', 'cpu'] : ['cpu'],
        logSeverityLevel: 4,
      });
      const y = await session.run({ x: new ort.Tensor('float16', Uint16Array.of(0x3e00), [1]) });
      await session.release();
      return y.y!.data[0];
    };
    const opened = await openFirst({ order: ['node-webgpu', 'node'] }, open);
    assert.equal(opened.kind, 'node');
    assert.equal(opened.value, 0x4200, '1.5 + 1.5 = 3 in fp16');
    assert.match(opened.gpuNote!, /^onnxruntime-node webgpu failed: .*requires f16 but the device does not support it/);
    assert.match(
      runtimeNote(opened.kind, opened.gpuNote),
      /^onnxruntime-node cpu \(GPU not used: onnxruntime-node webgpu failed: /,
    );
  });

  it('device gpu runs int8 weights on WebGPU (their quantized ops on the CPU EP); auto keeps them on the CPU', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-int8-')), 'model.onnx');
    try {
      await makeBertModel(file, TINY_BERT, 'int8');
      const bytes = new Uint8Array(fs.readFileSync(file));
      const auto = await createKeepModel(bytes, { backend: 'auto', loadNativeOrt: loadOrtNode, skipWarmup: true });
      const forced = await createKeepModel(bytes, {
        backend: 'auto',
        device: 'gpu',
        loadNativeOrt: loadOrtNode,
        skipWarmup: true,
      });
      try {
        assert.equal(auto.backend, 'node');
        assert.match(auto.runtime, /^onnxruntime-node cpu \(GPU not used: int8 weights \(MatMulInteger/);
        assert.equal(
          forced.runtime,
          'onnxruntime-node webgpu (int8 weights (MatMulInteger, DynamicQuantizeLinear have no WebGPU kernels): they run on the CPU)',
        );
        const ids = [1, 5, 9, 13, 2];
        const [p, q] = [await auto.run(ids), await forced.run(ids)];
        p.forEach((v, i) => assert.ok(Math.abs(v - q[i]!) < GPU_TOLERANCE, `p[${i}] ${v} vs ${q[i]}`));
      } finally {
        await Promise.all([auto.release(), forced.release()]);
      }
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

/** A small BERT in the bench's generated graph pattern (fp32 or onnxruntime's int8 dynamic quantization). */
const TINY_BERT = { vocab: 64, hidden: 32, layers: 2, heads: 2, intermediate: 64, positions: 64, labels: 2 };

/** The CLI in a process of its own with a Vulkan driver list that names no file: Dawn finds no adapter there. */
const cliWithoutAdapter = (backend: string, request: string) =>
  runCli(['compress', '--compressor', FOLDERS.bert, '--request', '-', '--backend', backend], {
    input: request,
    env: { VK_ICD_FILENAMES: '/nonexistent/icd.json' },
  });

describe('llmlingua2 WebGPU fallback (no adapter)', function () {
  this.timeout(120_000);
  it('the fixture models have weights the GPU runs; int8 dynamic quantization is named as CPU-only', async () => {
    assert.deepEqual(inspectWeights(modelBytes('bert')), { kind: 'float' });
    assert.deepEqual(inspectWeights(modelBytes('xlmr')), { kind: 'float' });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-int8-')), 'model.onnx');
    try {
      await makeBertModel(file, TINY_BERT, 'int8');
      const r = inspectWeights(new Uint8Array(fs.readFileSync(file)));
      assert.equal(r.kind, 'int8-dynamic');
      assert.match(r.cpuOnly!, /MatMulInteger, DynamicQuantizeLinear have no WebGPU kernels/);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('auto leaves a fallback (software) adapter for the CPU, with the reason; cpu and a forced gpu do not ask', () => {
    const slow = 'the WebGPU adapter is a fallback (software) one (google swiftshader), slower than the CPU';
    const host = { gpu: 'webgpu' as const, gpuSlow: slow, cpu: ['wasm' as const] };
    const float = { kind: 'float' as const };
    assert.deepEqual(planBackends('auto', host, float), { order: ['wasm'], skippedGpu: slow });
    assert.deepEqual(planBackends('gpu', host, float), { order: ['webgpu'] });
    assert.deepEqual(planBackends('cpu', host, float), { order: ['wasm'] });
    assert.deepEqual(planBackends('auto', { ...host, gpuSlow: undefined }, float), { order: ['webgpu', 'wasm'] });
  });

  it('auto falls back to the CPU with the reason in the runtime; a forced webgpu is an error with the reason', async function () {
    try {
      await loadOrtNode();
    } catch (e) {
      skipBecause(this, `onnxruntime-node not loadable here (${(e as Error).message.split('\n')[0]})`);
    }
    const request = JSON.stringify({ contexts: [loadCases().texts['meeting.txt']], settings: { rate: 0.5 } });
    const auto = await cliWithoutAdapter('auto', request);
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(
      JSON.parse(auto.stdout).runtime,
      /^onnxruntime-node cpu \(GPU not used: onnxruntime-node webgpu failed: .*adapter/i,
    );
    const forced = await cliWithoutAdapter('webgpu', request);
    assert.equal(forced.code, 1, forced.stdout);
    assert.equal(forced.stdout, '');
    assert.match(forced.stderr, /onnxruntime-node webgpu cannot run this model: .*adapter/i);
  });
  it('`compress FILE --compressor DIR --json` names the runtime; a forced --backend webgpu without an adapter is an error', async function () {
    try {
      await loadOrtNode();
    } catch (e) {
      skipBecause(this, `onnxruntime-node not loadable here (${(e as Error).message.split('\n')[0]})`);
    }
    const file = path.resolve(__dirname, '../../fixtures/structural/sample.md');
    const args = (backend: string) => [
      'compress',
      file,
      '--budget',
      '150',
      '--compressor',
      FOLDERS.bert,
      '--json',
      '--backend',
      backend,
    ];
    const env = { VK_ICD_FILENAMES: '/nonexistent/icd.json' };
    const auto = await runCli(args('auto'), { env });
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(JSON.parse(auto.stdout).runtime, /^onnxruntime-node cpu \(GPU not used: .*adapter/i);
    const forced = await runCli(args('webgpu'), { env });
    assert.equal(forced.code, 1, forced.stdout);
    assert.match(forced.stderr, /--backend webgpu: onnxruntime-node webgpu cannot run this model: .*adapter/i);
  });
});

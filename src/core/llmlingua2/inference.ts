// Token-classification inference: p(keep) = softmax(logits)[..., 1] per position, one unpadded sequence per run.
// onnxruntime-web (WASM) is the universal backend; onnxruntime-node (CPU or WebGPU EP) is used when requested,
// installed and handed in by the host (OrtSessionSetup.loadNativeOrt), onnxruntime-web's WebGPU where the browser
// host's worker runs that build. Under 'auto' the device setting, the host and the weights choose (./device.ts).
import { inspectWeights, openFirst, planBackends, probeWebGpu, runtimeNote } from './device';
import type { BackendPlan, DevicePreference, WeightsReport } from './device';
import { createOrtSession, isGpuBackend, runtimeName, type BackendKind, type OrtSessionSetup } from './ortSession';

export type { BackendKind, DevicePreference };

export interface InferenceOptions extends OrtSessionSetup {
  backend?: BackendKind | 'auto';
  /** Under backend 'auto': GPU or CPU (./device.ts); default 'auto'. */
  device?: DevicePreference;
  /** This runtime is onnxruntime-web's WebGPU build (the browser's GPU worker), so 'webgpu' may run. */
  webGpu?: boolean;
  /** Why this host offers no GPU (e.g. the browser host found no adapter), for the runtime note. */
  noGpu?: string;
  /** Chunks per model run (default 1: padded batches did not pay on 2 cores, native or WASM). */
  batchSize?: number;
  /** Skip the warm-up run after session creation (tests on tiny models). */
  skipWarmup?: boolean;
  /**
   * WASM sessions that run chunks side by side, each in a worker of its own with numThreads split among them.
   * Chunks are independent, so this scales better than onnxruntime-web's intra-op threads (2 sessions x 1 thread:
   * 0.95 s per 512-token chunk, 1 session x 2 threads: 1.23 s, on 2 cores), at the cost of one model copy each.
   * Needs spawnWasmSession; default 1.
   */
  wasmSessions?: number;
  /** Starts one WASM session in a worker of its own (the host's worker API). */
  spawnWasmSession?: (model: Uint8Array, numThreads: number) => Promise<KeepModel>;
}

export interface KeepModel {
  readonly backend: BackendKind;
  /** What runs it in words, e.g. "onnxruntime-node webgpu", with why the GPU is not used when it fell back. */
  readonly runtime: string;
  /** Sequences runBatch runs side by side, unpadded (several sessions); 1 for one session. */
  readonly parallelism: number;
  /** p(keep) for each position of `ids` (already wrapped in CLS/SEP). */
  run(ids: readonly number[]): Promise<Float32Array>;
  /** Several sequences in one padded run; results equal `run` up to float rounding. */
  runBatch(seqs: readonly (readonly number[])[]): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export async function createKeepModel(modelBytes: Uint8Array, options: InferenceOptions = {}): Promise<KeepModel> {
  // Read from the graph once, when the plan or the runtime note needs it.
  let weights: WeightsReport | undefined;
  const weightsOf = () => (weights ??= inspectWeights(modelBytes));
  const plan = await planFor(modelBytes, options, weightsOf);
  const opened = await openFirst(plan, (kind) => createWith(kind, modelBytes, options));
  // A forced GPU runs int8 weights too, but their quantized nodes on the CPU: the runtime must not say all-GPU.
  const cpuNodes = isGpuBackend(opened.kind) ? weightsOf().cpuOnly : undefined;
  return { ...opened.value, runtime: runtimeNote(opened.kind, opened.gpuNote, cpuNodes) };
}

/** The backends to try for this model: the one asked for, or under 'auto' the device setting's choice (device.ts). */
export async function planFor(
  modelBytes: Uint8Array,
  options: InferenceOptions,
  weightsOf: () => WeightsReport = () => inspectWeights(modelBytes),
): Promise<BackendPlan> {
  const wanted = options.backend ?? 'wasm';
  if (wanted !== 'auto') return { order: [wanted] };
  return planBackends(options.device ?? 'auto', await hostBackends(options), weightsOf());
}

/** The backends this host can offer under 'auto': onnxruntime-node where the host gave it, else onnxruntime-web. */
async function hostBackends(
  options: Pick<InferenceOptions, 'loadNativeOrt' | 'webGpu' | 'noGpu'>,
): Promise<{ gpu?: BackendKind; noGpu?: string; gpuSlow?: string; cpu: BackendKind[] }> {
  if (options.loadNativeOrt) return { gpu: 'node-webgpu', cpu: ['node', 'wasm'] };
  if (!options.webGpu) return { noGpu: options.noGpu ?? 'this runtime has no WebGPU backend', cpu: ['wasm'] };
  const probe = await probeWebGpu();
  return probe.ok ? { gpu: 'webgpu', gpuSlow: probe.fallback, cpu: ['wasm'] } : { noGpu: probe.reason, cpu: ['wasm'] };
}

async function createWith(kind: BackendKind, modelBytes: Uint8Array, options: InferenceOptions): Promise<KeepModel> {
  const sessions = Math.max(1, options.wasmSessions ?? 1);
  if (kind === 'wasm' && sessions > 1 && options.spawnWasmSession) {
    const threads = Math.max(1, Math.floor((options.numThreads ?? 1) / sessions));
    const started = await Promise.allSettled(
      Array.from({ length: sessions }, () => options.spawnWasmSession!(modelBytes, threads)),
    );
    const models = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (models.length === sessions) return sessionPool(models);
    // A session that did not start (e.g. no memory for another model copy): one session in this thread instead.
    const failed = started.find((s) => s.status === 'rejected');
    console.warn(`LLMLingua-2: running one WASM session; another did not start: ${failed?.reason}`);
    await Promise.all(models.map((m) => m.release()));
  }
  const session = await createOrtSession(kind, modelBytes, options);

  // Several sequences in one run, padded to the longest with a zero attention mask.
  const runBatch = async (seqs: readonly (readonly number[])[]): Promise<Float32Array[]> => {
    const b = seqs.length;
    const n = Math.max(...seqs.map((q) => q.length));
    const idData = new BigInt64Array(b * n);
    const maskData = new BigInt64Array(b * n);
    seqs.forEach((q, r) => {
      for (let i = 0; i < q.length; i++) {
        idData[r * n + i] = BigInt(q[i]!);
        maskData[r * n + i] = 1n;
      }
    });
    const out = await session.run(idData, maskData, b, n);
    const logits = (out.logits ?? Object.values(out)[0]!).data as Float32Array;
    return seqs.map((q, r) => {
      const probs = new Float32Array(q.length);
      for (let i = 0; i < q.length; i++) {
        const a = logits[2 * (r * n + i)]!;
        const c = logits[2 * (r * n + i) + 1]!;
        // softmax over two logits, second class
        const m = a > c ? a : c;
        const ea = Math.exp(a - m);
        const ec = Math.exp(c - m);
        probs[i] = ec / (ea + ec);
      }
      return probs;
    });
  };
  const run = async (ids: readonly number[]): Promise<Float32Array> => (await runBatch([ids]))[0]!;
  // The first run is slow while the runtime (V8's WASM tiers, ORT's arena, the GPU's shader compiles) warms up; pay
  // for it at load. On a GPU it is also the check that every op runs there, so it is never skipped.
  if (!options.skipWarmup || isGpuBackend(kind)) {
    try {
      await run(Array.from({ length: options.skipWarmup ? 8 : 64 }, () => 0));
    } catch (e) {
      await session.release();
      throw e;
    }
  }
  return {
    backend: kind,
    runtime: runtimeName(kind),
    parallelism: 1,
    run,
    runBatch,
    release: () => session.release(),
  };
}

/**
 * How many of the requested WASM sessions this machine takes (the host gives its cores and free memory): one per core at most, and a session takes about 5x its
 * model file in memory (measured: ~0.8 GB for a 179 MB int8 mBERT), so only as many as half the free memory holds.
 */
export function wasmSessionsAllowed(requested: number, modelBytes: number, cores: number, freeMemory: number): number {
  const byMemory = Math.floor(freeMemory / 2 / (5 * Math.max(1, modelBytes)));
  return Math.max(1, Math.min(Math.floor(requested), cores, byMemory));
}

/** Several single-session models as one: each sequence goes to the next idle session. */
export function sessionPool(models: KeepModel[]): KeepModel {
  const idle = [...models];
  const waiting: ((m: KeepModel) => void)[] = [];
  const run = async (ids: readonly number[]): Promise<Float32Array> => {
    const m = idle.pop() ?? (await new Promise<KeepModel>((r) => waiting.push(r)));
    try {
      return await m.run(ids);
    } finally {
      const next = waiting.shift();
      if (next) next(m);
      else idle.push(m);
    }
  };
  return {
    backend: models[0]!.backend,
    runtime: models[0]!.runtime,
    parallelism: models.length,
    run,
    runBatch: (seqs) => Promise.all(seqs.map(run)),
    release: async () => {
      await Promise.all(models.map((m) => m.release()));
    },
  };
}

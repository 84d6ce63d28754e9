// Which runtime runs a model: the GPU (WebGPU, in onnxruntime-node or onnxruntime-web) when the user's device setting
// and the model's weights allow it and it works, else the CPU (onnxruntime-node, or onnxruntime-web's WASM). Every
// GPU failure (no adapter, no Vulkan, an op that fails on its first run) falls back to the CPU with the reason kept,
// so results can say what ran and why; a GPU the user forced is an error with the reason instead.
import { readGraph } from '../onnx/graph';
import { isGpuBackend, runtimeName, type BackendKind } from './ortSession';

/** contextBudget.compression.device: 'auto' (GPU when it works and the weights suit it), 'cpu', 'gpu' (forced). */
export type DevicePreference = 'auto' | 'cpu' | 'gpu';

/** int8 dynamic quantization: no WebGPU kernels, so these nodes would run on the CPU with copies to and fro. */
const CPU_ONLY_OPS = ['MatMulInteger', 'DynamicQuantizeLinear'];

export interface WeightsReport {
  kind: 'int8-dynamic' | '4bit' | 'float';
  /** Why the GPU would not pay for these weights; undefined when it would. */
  cpuOnly?: string;
}

/** What the model's graph needs: int8 dynamic quantization keeps a model on the CPU under 'auto'. */
export function inspectWeights(model: Uint8Array): WeightsReport {
  const ops = new Set(readGraph(model).nodes.map((n) => n.opType));
  const cpuOps = CPU_ONLY_OPS.filter((op) => ops.has(op));
  if (cpuOps.length) {
    return { kind: 'int8-dynamic', cpuOnly: `int8 weights (${cpuOps.join(', ')} have no WebGPU kernels)` };
  }
  return { kind: ops.has('MatMulNBits') ? '4bit' : 'float' };
}

export interface BackendPlan {
  /** Tried in order until one works. */
  order: BackendKind[];
  /** Why the GPU is not tried (a CPU-only plan under 'auto'), for the runtime note. */
  skippedGpu?: string;
}

/**
 * The order to try: `gpu` is the host's GPU backend ('node-webgpu' or 'webgpu', undefined where it has none, with
 * `noGpu` saying why), `gpuSlow` why that GPU would be slower than the CPU (a fallback adapter), `cpu` its CPU
 * backends, best first.
 */
export function planBackends(
  device: DevicePreference,
  host: { gpu?: BackendKind; noGpu?: string; gpuSlow?: string; cpu: BackendKind[] },
  weights: WeightsReport,
): BackendPlan {
  if (device === 'cpu') return { order: host.cpu };
  if (device === 'gpu') {
    if (!host.gpu) throw new Error(`WebGPU was asked for but cannot run here: ${host.noGpu ?? 'no WebGPU runtime'}`);
    return { order: [host.gpu] };
  }
  if (!host.gpu) return { order: host.cpu, skippedGpu: host.noGpu };
  if (weights.cpuOnly) return { order: host.cpu, skippedGpu: weights.cpuOnly };
  if (host.gpuSlow) return { order: host.cpu, skippedGpu: host.gpuSlow };
  return { order: [host.gpu, ...host.cpu] };
}

/** A runtime that worked, and why the ones before it did not. */
export interface Opened<T> {
  kind: BackendKind;
  value: T;
  /** Why the GPU is not in use (skipped or failed); undefined when it runs or the CPU was asked for. */
  gpuNote?: string;
}

/**
 * Opens with each backend of the plan in turn (`open` creates the session and runs it once, so an op that fails on
 * the GPU fails here, at load). A GPU failure is kept as the note; with nothing left to try, the error says why.
 */
export async function openFirst<T>(plan: BackendPlan, open: (kind: BackendKind) => Promise<T>): Promise<Opened<T>> {
  let gpuNote = plan.skippedGpu;
  let lastError: unknown;
  for (const [i, kind] of plan.order.entries()) {
    try {
      return { kind, value: await open(kind), gpuNote: isGpuBackend(kind) ? undefined : gpuNote };
    } catch (e) {
      lastError = e;
      if (isGpuBackend(kind)) {
        gpuNote = `${runtimeName(kind)} failed: ${shortReason(e)}`;
        if (i < plan.order.length - 1) console.warn(`LLMLingua-2: ${gpuNote}; falling back to the CPU`);
      }
    }
  }
  const reason = shortReason(lastError);
  const only = plan.order.length === 1 ? runtimeName(plan.order[0]!) : plan.order.map(runtimeName).join(', ');
  throw new Error(`${only} cannot run this model: ${reason}`);
}

/** ONNX Runtime's messages start with a source path and a failed check; the last sentence says what happened. */
export function shortReason(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  const m = /was false\. (.+)$/.exec(text);
  return (m ? m[1]! : text).slice(0, 300);
}

/**
 * The runtime as results name it, with why the GPU is not in use when that was not asked for, or (`cpuNodes`) which
 * of the model's nodes ONNX Runtime leaves to the CPU on a GPU.
 */
export function runtimeNote(kind: BackendKind, gpuNote?: string, cpuNodes?: string): string {
  if (gpuNote) return `${runtimeName(kind)} (GPU not used: ${gpuNote})`;
  return cpuNodes ? `${runtimeName(kind)} (${cpuNodes}: they run on the CPU)` : runtimeName(kind);
}

export type WebGpuProbe = { ok: true; fallback?: string } | { ok: false; reason: string };

/**
 * Whether this JavaScript host offers WebGPU, and why not. `fallback` says the adapter is a fallback one (software,
 * e.g. SwiftShader): it runs, but far slower than the CPU backends (0.005x in the GPU bench), so 'auto' leaves it.
 * Pure: `navigator.gpu` exists in browsers and workers.
 */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis as { navigator?: { gpu?: WebGpuLike } }).navigator?.gpu;
  if (!gpu) return { ok: false, reason: 'navigator.gpu is not available in this host' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() found no adapter' };
    const info = adapter.info ?? {};
    if (!(info.isFallbackAdapter ?? adapter.isFallbackAdapter)) return { ok: true };
    const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed';
    return {
      ok: true,
      fallback: `the WebGPU adapter is a fallback (software) one (${name}), slower than the CPU`,
    };
  } catch (e) {
    return { ok: false, reason: `navigator.gpu.requestAdapter() failed: ${shortReason(e)}` };
  }
}

interface WebGpuLike {
  requestAdapter(): Promise<{
    info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
    /** Before GPUAdapterInfo carried it. */
    isFallbackAdapter?: boolean;
  } | null>;
}

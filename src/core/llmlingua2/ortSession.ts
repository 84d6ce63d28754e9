// The one place an ONNX Runtime session is made, for the compressor (inference.ts) and the chat's prompt encoder
// (../idp/onnxEncoder.ts): which runtime (onnxruntime-web's WASM or WebGPU, or onnxruntime-node on its CPU or WebGPU
// execution provider), its settings, the session options, and the int64 inputs a BERT-family token model takes.
// onnxruntime-node is Node-only, so a Node host hands in its loader (src/node/ortNode.ts); core never imports it.
// Which of them runs, and the fallback from a GPU that fails to the CPU, is chosen in ./device.ts.

/** 'node': onnxruntime-node's CPU EP; 'node-webgpu': its WebGPU EP (Dawn); 'wasm'/'webgpu': onnxruntime-web's. */
export type BackendKind = 'wasm' | 'node' | 'webgpu' | 'node-webgpu';

/** What ran, in the words results and the CLI's `runtime` field use, e.g. "onnxruntime-node webgpu". */
export function runtimeName(kind: BackendKind): string {
  const native = kind === 'node' || kind === 'node-webgpu';
  const device = kind === 'node' ? 'cpu' : kind === 'node-webgpu' ? 'webgpu' : kind;
  return `onnxruntime-${native ? 'node' : 'web'} ${device}`;
}

export function isGpuBackend(kind: BackendKind): boolean {
  return kind === 'webgpu' || kind === 'node-webgpu';
}

export interface OrtTensorLike {
  data: unknown;
  dims: readonly number[];
}
interface OrtSessionLike {
  inputNames: readonly string[];
  run(feeds: Record<string, unknown>, fetches?: readonly string[]): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}
interface OrtLike {
  env: { wasm: { numThreads?: number; wasmPaths?: string; wasmBinary?: ArrayBuffer } };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSessionLike>;
  };
}

/** Loads onnxruntime-node's module (a Node host's `import('onnxruntime-node')`); rejects where it is not installed. */
export type NativeOrtLoader = () => Promise<unknown>;

export interface OrtSessionSetup {
  /** Threads (default 1: the extension host shares its cores): onnxruntime-web's, one setting for all its sessions, or the native session's. */
  numThreads?: number;
  /** Folder or URL prefix of ort-wasm-simd-threaded.{mjs,wasm} when bundled (e.g. the extension's dist/ort/). */
  wasmPaths?: string;
  /** The runtime's .wasm itself, where it cannot be fetched (a blob: worker in the browser extension host). */
  wasmBinary?: ArrayBuffer;
  /** The native runtime, for backend 'node' (and first in 'auto'); only Node hosts have one to give. */
  loadNativeOrt?: NativeOrtLoader;
  /**
   * onnxruntime-web's build to use instead of the default import (the browser's GPU worker passes the WebGPU build,
   * which runs both its 'webgpu' and 'wasm' backends on one .wasm).
   */
  loadWebOrt?: () => Promise<unknown>;
}

export interface OrtSession {
  /** Runs `rows` sequences of `width` ids (row-major) with their attention mask; returns the outputs asked for. */
  run(
    ids: BigInt64Array,
    mask: BigInt64Array,
    rows: number,
    width: number,
    fetches?: readonly string[],
  ): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

let wasmOrt: Promise<OrtLike> | undefined;

async function loadOrt(kind: BackendKind, setup: OrtSessionSetup): Promise<OrtLike> {
  if (kind === 'node' || kind === 'node-webgpu') {
    if (!setup.loadNativeOrt) throw new Error('onnxruntime-node: this host gave no native runtime loader');
    return (await setup.loadNativeOrt()) as OrtLike;
  }
  wasmOrt ??= (setup.loadWebOrt ? setup.loadWebOrt() : import('onnxruntime-web')).then(
    (m) => ((m as { default?: unknown }).default ?? m) as OrtLike,
  );
  return wasmOrt;
}

export async function createOrtSession(
  kind: BackendKind,
  model: Uint8Array,
  setup: OrtSessionSetup = {},
): Promise<OrtSession> {
  const ort = await loadOrt(kind, setup);
  const threads = Math.max(1, setup.numThreads ?? 1);
  const options: Record<string, unknown> = { graphOptimizationLevel: 'all' };
  if (kind === 'wasm' || kind === 'webgpu') {
    ort.env.wasm.numThreads = threads;
    if (setup.wasmPaths) ort.env.wasm.wasmPaths = setup.wasmPaths;
    if (setup.wasmBinary) ort.env.wasm.wasmBinary = setup.wasmBinary;
    // WebGPU alone: with 'wasm' listed after it, onnxruntime-web would fall back silently when the GPU fails; the
    // fallback is ./device.ts's, with the reason. Nodes without a WebGPU kernel still run on its CPU EP.
    options.executionProviders = [kind];
  } else {
    // Nodes the WebGPU EP has no kernel for (shape ops, int8 dynamic quantization) run on the CPU EP.
    options.executionProviders = kind === 'node-webgpu' ? ['webgpu', 'cpu'] : ['cpu'];
    options.intraOpNumThreads = threads;
    // Errors only: its warning that shape ops run on the CPU is expected, and the runtime note says what ran.
    options.logSeverityLevel = 3;
  }
  const session = await ort.InferenceSession.create(model, options);
  const hasMask = session.inputNames.includes('attention_mask');
  const hasTypes = session.inputNames.includes('token_type_ids');
  return {
    run(ids, mask, rows, width, fetches) {
      const dims = [rows, width];
      const feeds: Record<string, unknown> = { input_ids: new ort.Tensor('int64', ids, dims) };
      if (hasMask) feeds.attention_mask = new ort.Tensor('int64', mask, dims);
      if (hasTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(rows * width), dims);
      return fetches ? session.run(feeds, fetches) : session.run(feeds);
    },
    release: () => session.release(),
  };
}

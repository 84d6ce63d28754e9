// What a model folder holds, shared by the downloader (src/core/models/store.ts) and both loaders (Node:
// src/node/llmlingua2/folder.ts, browser: src/web/modelFolder.ts): one list of ONNX file names, the manifest that
// records which weights a download chose, and the one check every relative path from outside goes through.

/** Weights an ONNX export comes in, by the file-name conventions of ONNX repos on the Hub (model_fp16.onnx, …). */
export type ModelVariant = 'int8' | 'fp32' | 'fp16' | 'q4' | 'q4f16';

/**
 * Every ONNX file name the downloader picks from a repo listing and a loader looks for, in the loader's order (full
 * precision, then int8, then the GPU variants). A folder normally holds one; the manifest names it first anyway.
 */
export const MODEL_FILES: readonly { path: string; variant: ModelVariant }[] = [
  { path: 'model.onnx', variant: 'fp32' },
  { path: 'onnx/model.onnx', variant: 'fp32' },
  { path: 'model_quantized.onnx', variant: 'int8' },
  { path: 'onnx/model_quantized.onnx', variant: 'int8' },
  { path: 'onnx/model_int8.onnx', variant: 'int8' },
  { path: 'onnx/model_uint8.onnx', variant: 'int8' },
  { path: 'onnx/model_fp16.onnx', variant: 'fp16' },
  { path: 'onnx/model_q4f16.onnx', variant: 'q4f16' },
  { path: 'onnx/model_q4.onnx', variant: 'q4' },
  { path: 'onnx/model_bnb4.onnx', variant: 'q4' },
];

/** The ONNX file names a loader tries, in order. */
export const MODEL_FILE_CANDIDATES: readonly string[] = MODEL_FILES.map((f) => f.path);

/** Written by a download into the model folder: which files it fetched and which ONNX file is the model. */
export const MODEL_MANIFEST = 'context-budget-model.json';

export interface ModelManifest {
  repo: string;
  revision: string;
  /** The ONNX file the loader uses (relative to the folder). */
  model: string;
  files: { path: string; sha256?: string; size?: number }[];
}

export function variantOf(path: string): ModelVariant {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/q4f16/.test(name)) return 'q4f16';
  if (/q4|bnb4|int4/.test(name)) return 'q4';
  if (/fp16|f16/.test(name)) return 'fp16';
  if (/quant|int8|q8/.test(name)) return 'int8';
  return 'fp32';
}

/**
 * Why a relative path from outside (a repo listing, a setting, a command argument, a manifest) may not be joined to a
 * folder, or undefined when it may: segments separated by "/", none empty, "." or "..", no backslash, not absolute,
 * no drive letter, no control characters.
 */
export function unsafePathReason(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'empty path';
  if (path.includes('\\')) return 'backslash in path';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control character in path';
  if (path.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'drive path';
  for (const segment of path.split('/')) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return `"${segment}" segment`;
  }
  return undefined;
}

/** Reads a manifest's text; undefined when it is not one, or names an unsafe model path. */
export function parseManifest(text: string): ModelManifest | undefined {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!m || typeof m !== 'object') return undefined;
  const { model } = m as Partial<ModelManifest>;
  if (typeof model !== 'string' || unsafePathReason(model) !== undefined) return undefined;
  return m as ModelManifest;
}

/** The names a loader tries in a folder: the manifest's model first, then MODEL_FILE_CANDIDATES. */
export function modelFileOrder(manifest: ModelManifest | undefined, preferred?: string): string[] {
  const first = [preferred, manifest?.model].filter((p): p is string => !!p && unsafePathReason(p) === undefined);
  return [...new Set([...first, ...MODEL_FILE_CANDIDATES])];
}

/**
 * onnxruntime-web's WebGPU build .wasm (27 MB, 6.7 MB compressed): the browser host runs LLMLingua-2 on WebGPU with it.
 * The universal VSIX leaves it out (it was over a quarter of the package, and only serves a model on a GPU); the
 * browser host reads it from the model folder, beside the model, checked against this hash (a unit test keeps it equal
 * to the onnxruntime-web in package.json). Development builds also have it in dist/web/ort/.
 */
export const WEBGPU_WASM = {
  file: 'ort-wasm-simd-threaded.asyncify.wasm',
  /** Where Download Compressor Model fetches it when asked to ({ webGpuRuntime: true }): the npm package's own file. */
  url: 'https://cdn.jsdelivr.net/npm/onnxruntime-web@1.30.0/dist/ort-wasm-simd-threaded.asyncify.wasm',
  onnxruntimeWeb: '1.30.0',
  sha256: '39f9f0894d478800487ed9f7dbe92618498db320cf55c8e3d89adff8dce658da',
  size: 26_781_914,
} as const;

// Browser host: LLMLingua-2 from a model folder read with workspace.fs, in a Web Worker. The worker starts from the
// extension's worker bundle as a blob: URL (the extension's files may live on another origin) and gets the runtime's
// .wasm as bytes, so nothing is fetched from the network.
import * as vscode from 'vscode';
import { WebWorkerEngine, type WebWorkerLike } from './llmlingua2/webWorkerClient';
import type { ModelCompressorFactory } from '../compression/providers';
import { workerModelCompressor } from '../compression/workerModelCompressor';
import { modelFolderUri, readModelFolder } from './modelFolder';
import { inspectWeights, probeWebGpu, type DevicePreference } from '../core/llmlingua2/device';
import { WEBGPU_WASM } from '../core/models/files';

export function webModelCompressor(extensionUri: vscode.Uri): ModelCompressorFactory {
  return (modelPath, options) =>
    workerModelCompressor(
      modelPath,
      async () => {
        const dist = (...p: string[]) => vscode.Uri.joinPath(extensionUri, 'dist', ...p);
        const dir = modelFolderUri(modelPath);
        const [{ model, tokenizerJson }, workerCode, tokenizers] = await Promise.all([
          readModelFolder(dir),
          vscode.workspace.fs.readFile(dist('web', 'llmlingua2Worker.js')),
          // The worker counts budgets with the target's tokenizer: the one shared bundle of them (tokenizersSource.ts).
          vscode.workspace.fs.readFile(dist('tokenizers.js')),
        ]);
        const runtime = await chooseWebRuntime(options.device(), model, dist, dir);
        const url = URL.createObjectURL(new Blob([workerCode as BlobPart], { type: 'text/javascript' }));
        const worker = new Worker(url, { name: 'Context Budget LLMLingua-2' });
        // The URL must live until the script has loaded (VS Code's extension host loads nested workers through
        // importScripts); it goes with the worker.
        const terminate = worker.terminate.bind(worker);
        worker.terminate = () => {
          terminate();
          URL.revokeObjectURL(url);
        };
        return new WebWorkerEngine(
          worker as unknown as WebWorkerLike,
          {
            model: ownBuffer(model),
            tokenizerJson,
            tokenizers: ownBuffer(tokenizers),
            options: {
              // WebGPU first when chooseWebRuntime found it usable (the worker falls back to WASM, saying why).
              backend: 'auto',
              device: options.device(),
              webGpu: runtime.webGpu,
              noGpu: runtime.noGpu,
              // One thread: threads need shared memory (cross-origin isolation, which VS Code's web hosts lack), and
              // onnxruntime-web starts its thread workers from the bundle's own URL, which a blob: worker lacks.
              numThreads: 1,
              wasmBinary: ownBuffer(runtime.wasm),
            },
          },
          // Read again only if the chat asks for the prompt encoder, rather than kept in the worker meanwhile.
          { encoderModel: async () => ownBuffer((await readModelFolder(dir)).model) },
        );
      },
      options,
      ' in a web worker',
    );
}

/**
 * Which onnxruntime-web build the worker runs, and its .wasm: the WebGPU build (27 MB) only when the device setting and
 * the model's weights want the GPU, this browser offers an adapter (under 'auto', not a fallback one) and its .wasm is
 * found (the model folder, checked against WEBGPU_WASM's hash, or a development build's dist/web/ort/); the WASM-only
 * build (14 MB) otherwise, with why.
 */
async function chooseWebRuntime(
  device: DevicePreference,
  model: Uint8Array,
  dist: (...p: string[]) => vscode.Uri,
  modelDir: vscode.Uri,
): Promise<{ webGpu: boolean; noGpu?: string; wasm: Uint8Array; wasmFrom?: string }> {
  const cpu = async (noGpu?: string) => ({
    webGpu: false,
    noGpu,
    wasm: await vscode.workspace.fs.readFile(dist('ort', 'ort-wasm-simd-threaded.wasm')),
  });
  if (device === 'cpu') return cpu();
  const cpuOnly = device === 'auto' ? inspectWeights(model).cpuOnly : undefined;
  if (cpuOnly) return cpu(cpuOnly);
  const probe = await probeWebGpu();
  if (!probe.ok) return cpu(probe.reason);
  if (device === 'auto' && probe.fallback) return cpu(probe.fallback);
  const found = await webGpuWasm(modelDir, dist);
  return typeof found === 'string' ? cpu(found) : { webGpu: true, ...found };
}

/** The WebGPU build's .wasm and where it came from, or why there is none. */
export async function webGpuWasm(
  modelDir: vscode.Uri,
  dist: (...p: string[]) => vscode.Uri,
): Promise<{ wasm: Uint8Array; wasmFrom: string } | string> {
  const beside = vscode.Uri.joinPath(modelDir, WEBGPU_WASM.file);
  const bytes = await vscode.workspace.fs.readFile(beside).then(
    (b) => b,
    () => undefined,
  );
  if (bytes) {
    const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return hex === WEBGPU_WASM.sha256
      ? { wasm: bytes, wasmFrom: 'the model folder' }
      : `${WEBGPU_WASM.file} in the model folder is not onnxruntime-web ${WEBGPU_WASM.onnxruntimeWeb}'s (SHA-256 ${hex})`;
  }
  try {
    return {
      wasm: await vscode.workspace.fs.readFile(dist('web', 'ort', WEBGPU_WASM.file)),
      wasmFrom: 'the extension',
    };
  } catch {
    return `no WebGPU runtime: put onnxruntime-web ${WEBGPU_WASM.onnxruntimeWeb}'s ${WEBGPU_WASM.file} in the model folder (the universal VSIX leaves it out)`;
  }
}

/** An ArrayBuffer holding exactly these bytes, to transfer to the worker. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

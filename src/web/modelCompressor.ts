// Browser host: LLMLingua-2 from a model folder read with workspace.fs, in a Web Worker. The worker starts from the
// extension's worker bundle as a blob: URL (the extension's files may live on another origin) and gets the runtime's
// .wasm as bytes, so nothing is fetched from the network.
import * as vscode from 'vscode';
import { MODEL_FILE_CANDIDATES } from '../core/llmlingua2/modelFiles';
import { WebWorkerEngine, type WebWorkerLike } from '../core/llmlingua2/webWorkerClient';
import { workerModelCompressor, type ModelCompressorFactory } from '../compressors';

export function webModelCompressor(extensionUri: vscode.Uri): ModelCompressorFactory {
  return (modelPath, options) =>
    workerModelCompressor(
      async () => {
        const dir = modelFolderUri(modelPath);
        const dist = (...p: string[]) => vscode.Uri.joinPath(extensionUri, 'dist', ...p);
        const [model, tokenizer, workerCode, wasm] = await Promise.all([
          readModel(dir),
          readFile(vscode.Uri.joinPath(dir, 'tokenizer.json')),
          vscode.workspace.fs.readFile(dist('web', 'llmlingua2Worker.js')),
          vscode.workspace.fs.readFile(dist('ort', 'ort-wasm-simd-threaded.wasm')),
        ]);
        let tokenizerJson: unknown;
        try {
          tokenizerJson = JSON.parse(new TextDecoder().decode(tokenizer));
        } catch (e) {
          throw new Error(`${vscode.Uri.joinPath(dir, 'tokenizer.json').toString(true)}: ${(e as Error).message}`);
        }
        const url = URL.createObjectURL(new Blob([workerCode as BlobPart], { type: 'text/javascript' }));
        const worker = new Worker(url, { name: 'Context Budget LLMLingua-2' });
        // The URL must live until the script has loaded (VS Code's extension host loads nested workers through
        // importScripts); it goes with the worker.
        const terminate = worker.terminate.bind(worker);
        worker.terminate = () => {
          terminate();
          URL.revokeObjectURL(url);
        };
        // Threads need shared memory, which a browser gives only to cross-origin-isolated pages.
        const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
        return new WebWorkerEngine(worker as unknown as WebWorkerLike, {
          model: ownBuffer(model),
          tokenizerJson,
          options: {
            backend: 'wasm',
            numThreads: isolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1,
            wasmBinary: ownBuffer(wasm),
          },
        });
      },
      options,
      ' in a web worker',
    );
}

/** The setting as a folder: a URI, an absolute path on the workspace's file system, or a workspace-relative path. */
export function modelFolderUri(setting: string): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(setting)) return vscode.Uri.parse(setting);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    throw new Error(`"${setting}" is a path, but no folder is open: set contextBudget.compression.modelPath to a URI`);
  }
  return setting.startsWith('/') ? folder.with({ path: setting }) : vscode.Uri.joinPath(folder, setting);
}

async function readModel(dir: vscode.Uri): Promise<Uint8Array> {
  for (const name of MODEL_FILE_CANDIDATES) {
    try {
      return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name));
    } catch {
      // try the next name
    }
  }
  throw new Error(`No ONNX model in ${dir.toString(true)} (looked for ${MODEL_FILE_CANDIDATES.join(', ')})`);
}

async function readFile(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    throw new Error(`Cannot read ${uri.toString(true)}: ${(e as Error).message}`);
  }
}

/** An ArrayBuffer holding exactly these bytes, to transfer to the worker. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

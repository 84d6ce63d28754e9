// Node host: LLMLingua-2 from a model folder, in a worker thread (inference blocks the thread it runs on).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkerEngine } from './llmlingua2/workerClient';
import type { ModelCompressorFactory } from '../compression/providers';
import { workerModelCompressor } from '../compression/workerModelCompressor';

export const nodeModelCompressor: ModelCompressorFactory = (modelPath, options) =>
  workerModelCompressor(
    modelPath,
    async () =>
      new WorkerEngine({
        workerScript: join(__dirname, 'llmlingua2Worker.js'),
        modelDir: modelPath,
        // onnxruntime-node when it is installed (about 9x faster here), else WASM on all cores: 2 threads ran
        // 2x faster than 1 on this 2-core machine (npm run bench:compress).
        // The GPU (onnxruntime-node's WebGPU EP) first when the device setting and the weights allow it.
        backend: 'auto',
        device: options.device(),
        numThreads: Math.max(1, Math.min(4, availableParallelism())),
        wasmSessions: options.wasmSessions(),
        // onnxruntime-web's WASM and glue are copied beside the bundle (esbuild.mjs).
        wasmPaths: `${pathToFileURL(join(__dirname, 'ort')).href}/`,
      }),
    options,
  );

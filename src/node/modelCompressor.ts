// Node host: LLMLingua-2 from a model folder, in a worker thread (inference blocks the thread it runs on).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLLMLingua2Compressor } from '../core/llmlingua2/compressor';
import { WorkerEngine } from '../core/llmlingua2/workerClient';
import type { ModelCompressorFactory } from '../compressors';

export const nodeModelCompressor: ModelCompressorFactory = (modelPath) =>
  createLLMLingua2Compressor(async () => {
    const engine = new WorkerEngine({
      workerScript: join(__dirname, 'llmlingua2Worker.js'),
      modelDir: modelPath,
      // onnxruntime-web's WASM and glue are copied beside the bundle (esbuild.mjs).
      wasmPaths: `${pathToFileURL(join(__dirname, 'ort')).href}/`,
    });
    await engine.load();
    return engine;
  });

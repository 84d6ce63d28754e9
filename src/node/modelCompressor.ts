// Node host: LLMLingua-2 from a model folder, in a worker thread (inference blocks the thread it runs on).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLLMLingua2Compressor } from '../core/llmlingua2/compressor';
import { WorkerEngine } from '../core/llmlingua2/workerClient';
import type { ModelCompressorFactory } from '../compressors';

export const nodeModelCompressor: ModelCompressorFactory = (modelPath, options) => {
  let runtime = 'not loaded';
  const inner = createLLMLingua2Compressor(
    async () => {
      const engine = new WorkerEngine({
        workerScript: join(__dirname, 'llmlingua2Worker.js'),
        modelDir: modelPath,
        // onnxruntime-node when it is installed (about 9x faster here), else WASM on all cores: 2 threads ran
        // 1.6x faster than 1 on this 2-core machine (npm run bench:compress).
        backend: 'auto',
        numThreads: Math.max(1, Math.min(4, availableParallelism())),
        wasmSessions: options.wasmSessions(),
        // onnxruntime-web's WASM and glue are copied beside the bundle (esbuild.mjs).
        wasmPaths: `${pathToFileURL(join(__dirname, 'ort')).href}/`,
      });
      const { backend, sessions } = await engine.load();
      runtime =
        backend === 'node'
          ? 'onnxruntime-node (native)'
          : `onnxruntime-web (${backend}${sessions > 1 ? `, ${sessions} sessions side by side` : ''})`;
      return engine;
    },
    { unloadAfterMs: options.unloadAfterMs },
  );
  // Say which runtime ran the model: native is several times faster, so users should see which one they got.
  return {
    id: inner.id,
    dispose: () => inner.dispose(),
    async compress(request) {
      const result = await inner.compress(request);
      return {
        ...result,
        notes: [...result.notes, `LLMLingua-2 ran on ${runtime}`],
      };
    },
  };
};

// The LLMLingua-2 model compressor both hosts share: an engine in a worker (worker_threads in Node, a Web Worker in
// the browser), loaded on first use, unloaded when idle; each host supplies only how to start its worker.
import { remotePromptEncoder, type EncoderCalls } from '../core/idp/remoteEncoder';
import { createLLMLingua2Compressor, type EngineLike } from '../core/llmlingua2/asCompressor';
import type { LoadedRuntime } from '../core/llmlingua2/engineClient';
import type { ModelCompressor, ModelCompressorOptions } from './providers';

/**
 * A model compressor over an engine in a worker (either host): loads on first use, unloads when idle, and says which
 * runtime ran the model (native is several times faster, so users should see which one they got).
 */
export function workerModelCompressor(
  modelPath: string,
  start: () => Promise<LoadableEngine>,
  options: ModelCompressorOptions,
  where = '',
): ModelCompressor {
  let runtime = 'not loaded';
  let loads = 0;
  const inner = createLLMLingua2Compressor(
    async () => {
      const engine = await start();
      try {
        runtime = runtimeLabel(await engine.load()) + where;
        loads++;
      } catch (e) {
        // A model that does not load leaves no worker behind.
        await engine.dispose();
        throw e;
      }
      return engine;
    },
    { unloadAfterMs: options.unloadAfterMs },
  );
  // Encoder calls go through the same lease as compressions: they load the model when needed and keep it loaded.
  const calls: EncoderCalls = {
    encoderOutputs: () => inner.use((e) => e.encoderOutputs()),
    encode: (text) => inner.use((e) => e.encode(text)),
    attend: (prompts, input) => inner.use((e) => e.attend(prompts, input)),
  };
  return {
    id: inner.id,
    dispose: () => inner.dispose(),
    async compress(request) {
      const result = await inner.compress(request);
      return { ...result, notes: [...result.notes, `LLMLingua-2 ran on ${runtime}`] };
    },
    promptEncoder: async () => {
      const outputs = await calls.encoderOutputs();
      // Cached prompt vectors belong to one load of the model (a re-download into the same folder is another model).
      return remotePromptEncoder(`${modelPath}#${loads}`, outputs, calls);
    },
  };
}

/** An engine in a worker: load() starts the model and says which runtime runs it. */
export interface LoadableEngine extends EngineLike, EncoderCalls {
  load(): Promise<LoadedRuntime>;
  dispose(): void | Promise<void>;
}

/** What an engine's load() reported, in words: "onnxruntime-node webgpu", or the CPU with why the GPU is not used. */
function runtimeLabel(loaded: LoadedRuntime): string {
  return `${loaded.runtime}${loaded.sessions > 1 ? `, ${loaded.sessions} sessions side by side` : ''}`;
}

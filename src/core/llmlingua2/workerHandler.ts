// The request handling shared by the Node worker (src/node/llmlingua2/worker.ts) and the browser web worker
// (src/web/llmlingua2/webWorker.ts).
import { CancelledError } from '../tokens/count';
import { loadTokenizer, type TokenizerId } from '../tokens/tokenizers';
import type { EncoderService } from '../onnx/encoding';
import type { LLMLingua2Engine } from './engine';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

export interface WorkerHandler {
  onMessage(msg: WorkerRequest | { type: 'cancel'; id: number }): Promise<void>;
}

/**
 * Cancellation arrives as a shared flag (SharedArrayBuffer, read even while the thread is busy) or, where shared
 * memory is unavailable (browsers without cross-origin isolation), as a 'cancel' message that the engine sees
 * between chunks (it yields to the event loop there).
 */
export function createWorkerHandler(
  getEngine: () => Promise<LLMLingua2Engine>,
  post: (m: WorkerResponse) => void,
  getEncoder?: () => Promise<EncoderService>,
): WorkerHandler {
  const cancelled = new Set<number>();
  return {
    async onMessage(msg) {
      if (msg.type === 'cancel') {
        cancelled.add(msg.id);
        return;
      }
      const flag = msg.cancelFlag ? new Int32Array(msg.cancelFlag) : undefined;
      const cancellation = {
        get isCancellationRequested() {
          return cancelled.has(msg.id) || (flag ? Atomics.load(flag, 0) !== 0 : false);
        },
      };
      try {
        if (msg.type === 'encoderOutputs' || msg.type === 'encode' || msg.type === 'attend') {
          if (!getEncoder) throw new Error('this worker has no prompt encoder');
          const encoder = await getEncoder();
          let result: unknown = encoder.outputs;
          if (msg.type === 'encode') result = await encoder.encode(msg.text);
          if (msg.type === 'attend') {
            if (!encoder.attend) throw new Error('the model exposes no attention probabilities');
            result = await encoder.attend(msg.prompts, msg.input);
          }
          post({ type: 'result', id: msg.id, result });
          return;
        }
        const engine = await getEngine();
        if (msg.type === 'load') {
          post({
            type: 'result',
            id: msg.id,
            result: { backend: engine.backend, sessions: engine.sessions, runtime: engine.runtime },
          });
          return;
        }
        const tokenizer = await loadTokenizer(msg.tokenizer as TokenizerId);
        if (msg.type === 'budget') {
          const result = await engine.compressToBudget({
            ...msg.request,
            tokenizer,
            cancellation,
            onProgress: (done, total) => post({ type: 'progress', id: msg.id, done, total }),
          });
          post({ type: 'result', id: msg.id, result });
        } else {
          const result = await engine.reference(msg.contexts, msg.settings, tokenizer);
          post({ type: 'result', id: msg.id, result });
        }
      } catch (e) {
        post({
          type: 'error',
          id: msg.id,
          message: e instanceof Error ? e.message : String(e),
          cancelled: e instanceof CancelledError,
        });
      } finally {
        cancelled.delete(msg.id);
      }
    },
  };
}

// worker_threads entry: runs an LLMLingua2Engine off the extension host's main thread.
// Inference blocks the thread it runs on (WASM), so cancellation comes through a shared flag, not a message.
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError } from '../tokens/count';
import { loadTokenizer, type TokenizerId } from '../tokens/tokenizers';
import type { LLMLingua2Engine } from './engine';
import { loadEngineFromFolder } from './folder';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './workerProtocol';

const init = workerData as WorkerInit;
let enginePromise: Promise<LLMLingua2Engine> | undefined;
const getEngine = () =>
  (enginePromise ??= loadEngineFromFolder(init.modelDir, {
    numThreads: init.numThreads,
    backend: init.backend,
    modelFile: init.modelFile,
    wasmPaths: init.wasmPaths,
  }));

const post = (m: WorkerResponse) => parentPort!.postMessage(m);

parentPort!.on('message', async (msg: WorkerRequest) => {
  const flag = msg.cancelFlag ? new Int32Array(msg.cancelFlag) : undefined;
  const cancellation = {
    get isCancellationRequested() {
      return flag ? Atomics.load(flag, 0) !== 0 : false;
    },
  };
  try {
    const engine = await getEngine();
    if (msg.type === 'load') {
      post({ type: 'result', id: msg.id, result: { backend: engine.backend } });
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
  }
});

// worker_threads entry: runs an LLMLingua2Engine off the extension host's main thread.
// Inference blocks the thread it runs on (WASM), so cancellation comes through a shared flag, not a message.
import { parentPort, workerData } from 'node:worker_threads';
import type { LLMLingua2Engine } from './engine';
import { loadEngineFromFolder } from './folder';
import { createWorkerHandler } from './workerHandler';
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

const handler = createWorkerHandler(getEngine, (m: WorkerResponse) => parentPort!.postMessage(m));
parentPort!.on('message', (msg: WorkerRequest) => void handler.onMessage(msg));

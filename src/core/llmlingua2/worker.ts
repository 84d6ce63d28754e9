// worker_threads entry: runs an LLMLingua2Engine off the extension host's main thread, or (started by that engine
// in the 'session' role) one WASM session of its session pool.
// Inference blocks the thread it runs on (WASM), so cancellation comes through a shared flag, not a message.
import { stat } from 'node:fs/promises';
import { availableParallelism, freemem } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { LLMLingua2Engine } from './engine';
import { createOnnxPromptEncoder, type OnnxPromptEncoder } from '../idp/onnxEncoder';
import { bundledWasmPaths, findModelFile, loadEngineFromFolder, readModelFolder } from './folder';
import { nodeSessionSpawner, serveSession, wasmSessionsAllowed, type SessionWorkerInit } from './nodeSessions';
import { createWorkerHandler } from './workerHandler';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './workerProtocol';

if ((workerData as SessionWorkerInit).role === 'session') {
  serveSession(workerData as SessionWorkerInit, parentPort!);
} else {
  const init = workerData as WorkerInit;
  let enginePromise: Promise<LLMLingua2Engine> | undefined;
  const load = async () => {
    const modelBytes = (await stat(await findModelFile(init.modelDir, init.modelFile))).size;
    const wasmPaths = init.wasmPaths ?? bundledWasmPaths();
    return loadEngineFromFolder(init.modelDir, {
      numThreads: init.numThreads,
      backend: init.backend,
      modelFile: init.modelFile,
      wasmPaths,
      wasmSessions: wasmSessionsAllowed(init.wasmSessions ?? 1, modelBytes, availableParallelism(), freemem()),
      spawnWasmSession: init.workerScript ? nodeSessionSpawner(init.workerScript, wasmPaths) : undefined,
    });
  };
  const getEngine = () => (enginePromise ??= load());
  // The prompt encoder's session is made on its first use only (the chat's encoder selector).
  let encoderPromise: Promise<OnnxPromptEncoder> | undefined;
  const getEncoder = () =>
    (encoderPromise ??= readModelFolder(init.modelDir, init.modelFile).then(({ model, tokenizerJson }) =>
      createOnnxPromptEncoder({
        id: init.modelDir,
        model,
        tokenizerJson,
        numThreads: init.numThreads,
        wasmPaths: init.wasmPaths ?? bundledWasmPaths(),
      }),
    ));
  const handler = createWorkerHandler(getEngine, (m: WorkerResponse) => parentPort!.postMessage(m), getEncoder);
  parentPort!.on('message', (msg: WorkerRequest) => void handler.onMessage(msg));
}

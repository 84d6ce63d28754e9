// worker_threads entry: runs an LLMLingua2Engine off the extension host's main thread, or (started by that engine
// in the 'session' role) one WASM session of its session pool.
// Inference blocks the thread it runs on (WASM), so cancellation comes through a shared flag, not a message.
import { availableParallelism, freemem } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { LLMLingua2Engine } from '../../core/llmlingua2/engine';
import { wasmSessionsAllowed } from '../../core/llmlingua2/inference';
import { createOnnxPromptEncoder, type OnnxPromptEncoder } from '../../core/idp/onnxEncoder';
import { bundledWasmPaths, readModelFolder } from './folder';
import { loadOrtNode } from '../ortNode';
import { nodeSessionSpawner, serveSession, type SessionWorkerInit } from './nodeSessions';
import { createWorkerHandler } from '../../core/llmlingua2/workerHandler';
import type { WorkerInit, WorkerRequest, WorkerResponse } from '../../core/llmlingua2/workerProtocol';

if ((workerData as SessionWorkerInit).role === 'session') {
  serveSession(workerData as SessionWorkerInit, parentPort!);
} else {
  const init = workerData as WorkerInit;
  const wasmPaths = init.wasmPaths ?? bundledWasmPaths();
  let enginePromise: Promise<LLMLingua2Engine> | undefined;
  const load = async () => {
    const files = await readModelFolder(init.modelDir, init.modelFile);
    const sessions = wasmSessionsAllowed(
      init.wasmSessions ?? 1,
      files.model.byteLength,
      availableParallelism(),
      freemem(),
    );
    return LLMLingua2Engine.create(files, {
      numThreads: init.numThreads,
      backend: init.backend,
      device: init.device,
      wasmPaths,
      wasmSessions: sessions,
      loadNativeOrt: loadOrtNode,
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
        wasmPaths,
        backend: init.backend,
        device: init.device,
        loadNativeOrt: loadOrtNode,
      }),
    ));
  const handler = createWorkerHandler(getEngine, (m: WorkerResponse) => parentPort!.postMessage(m), getEncoder);
  parentPort!.on('message', (msg: WorkerRequest) => void handler.onMessage(msg));
}

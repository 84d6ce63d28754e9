// Node: WASM sessions in worker threads of their own, for the engine's session pool (InferenceOptions.wasmSessions).
// One onnxruntime-web instance per worker: its WASM module, and so its session, is per thread.
import { Worker, type MessagePort, type WorkerOptions } from 'node:worker_threads';
import { createKeepModel, type KeepModel } from '../../core/llmlingua2/inference';
import { Rpc } from '../../core/rpc';
import { runtimeName } from '../../core/llmlingua2/ortSession';

/** workerData of a session worker (the engine worker's script, started in this role). */
export interface SessionWorkerInit {
  role: 'session';
  model: Uint8Array;
  numThreads: number;
  wasmPaths?: string;
}

/** id 0 answers the start; the others answer runs. */
type SessionResponse = { id: number; probs?: Float32Array; error?: string };

export function nodeSessionSpawner(
  workerScript: string,
  wasmPaths?: string,
  workerOptions?: WorkerOptions,
): (model: Uint8Array, numThreads: number) => Promise<KeepModel> {
  return (model, numThreads) =>
    new Promise((resolve, reject) => {
      const init: SessionWorkerInit = { role: 'session', model, numThreads, wasmPaths };
      const worker = new Worker(workerScript, { ...workerOptions, workerData: init });
      const rpc = new Rpc<{ id: number; ids: Int32Array }, SessionResponse>({
        name: 'WASM session worker',
        post: (m) => worker.postMessage(m),
        settle: (m) => (m.probs ? { value: m.probs } : { error: new Error(m.error ?? 'WASM session failed') }),
      });
      // A session that fails or exits fails its runs, and its start if it has not started yet.
      worker.on('error', (e) => {
        rpc.onError(e);
        reject(e);
      });
      worker.on('exit', (code) => {
        rpc.onExit(code);
        reject(rpc.closed);
      });
      const run = (ids: readonly number[]) =>
        rpc.call<Float32Array>((id) => ({ id, ids: Int32Array.from(ids) }), undefined);
      const session: KeepModel = {
        backend: 'wasm',
        runtime: runtimeName('wasm'),
        parallelism: 1,
        run,
        runBatch: (seqs) => Promise.all(seqs.map(run)),
        release: async () => {
          rpc.close(new Error('the WASM session was released'));
          worker.removeAllListeners('exit');
          await worker.terminate();
        },
      };
      worker.on('message', (m: SessionResponse) => {
        if (m.id === 0) {
          if (m.error === undefined) return resolve(session);
          const e = new Error(m.error);
          rpc.close(e);
          reject(e);
          void session.release();
          return;
        }
        rpc.onMessage(m);
      });
    });
}

/** The session worker's side: one WASM session, one run at a time, results transferred back. */
export function serveSession(init: SessionWorkerInit, port: MessagePort): void {
  const ready = createKeepModel(init.model, {
    backend: 'wasm',
    numThreads: init.numThreads,
    wasmPaths: init.wasmPaths,
  });
  ready.then(
    () => {
      // ONNX Runtime holds its own copy now; let this one go.
      (init as { model?: Uint8Array }).model = undefined;
      port.postMessage({ id: 0 } satisfies SessionResponse);
    },
    (e: unknown) => port.postMessage({ id: 0, error: e instanceof Error ? e.message : String(e) }),
  );
  port.on('message', async (m: { id: number; ids: Int32Array }) => {
    try {
      const probs = await (await ready).run(Array.from(m.ids));
      port.postMessage({ id: m.id, probs } satisfies SessionResponse, [probs.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies SessionResponse);
    }
  });
}

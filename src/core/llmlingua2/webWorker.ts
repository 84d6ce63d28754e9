// Web Worker entry for the browser extension host: the engine from model bytes handed over by the host (read with
// vscode.workspace.fs there and transferred), no Node APIs. Same protocol as the Node worker, plus 'init' and
// 'cancel' messages (see webWorkerClient.ts).
import { LLMLingua2Engine } from './engine';
import type { InferenceOptions } from './inference';
import { createWorkerHandler } from './workerHandler';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

export interface WebWorkerInit {
  type: 'init';
  model: ArrayBuffer;
  tokenizerJson: unknown;
  options?: InferenceOptions;
}

interface WorkerScope {
  onmessage: ((ev: { data: WebWorkerInit | WorkerRequest | { type: 'cancel'; id: number } }) => void) | null;
  postMessage(m: WorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;
let engine: Promise<LLMLingua2Engine> | undefined;
const getEngine = () => engine ?? Promise.reject(new Error('LLMLingua-2 web worker: no model (init) yet'));
const handler = createWorkerHandler(getEngine, (m) => scope.postMessage(m));

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === 'init') {
    engine = LLMLingua2Engine.create(
      { model: new Uint8Array(msg.model), tokenizerJson: msg.tokenizerJson },
      msg.options,
    );
    return;
  }
  void handler.onMessage(msg);
};

// Web Worker entry for the browser extension host: the engine from model bytes handed over by the host (read with
// vscode.workspace.fs there and transferred), no Node APIs. Same protocol as the Node worker, plus 'init' and
// 'cancel' messages (see webWorkerClient.ts).
import { createOnnxPromptEncoder, type OnnxPromptEncoder } from '../idp/onnxEncoder';
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
let init: WebWorkerInit | undefined;
let encoder: Promise<OnnxPromptEncoder> | undefined;
const getEngine = () => engine ?? Promise.reject(new Error('LLMLingua-2 web worker: no model (init) yet'));
// The prompt encoder's session is made on its first use, after the engine's (which sets up the runtime).
const getEncoder = () =>
  (encoder ??= getEngine().then(() =>
    createOnnxPromptEncoder({
      id: 'web-worker-model',
      model: new Uint8Array(init!.model),
      tokenizerJson: init!.tokenizerJson,
      numThreads: init!.options?.numThreads,
    }),
  ));
const handler = createWorkerHandler(getEngine, (m) => scope.postMessage(m), getEncoder);

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === 'init') {
    // The model's bytes stay here for the prompt encoder's session, should the chat ask for one.
    init = msg;
    engine = LLMLingua2Engine.create(
      { model: new Uint8Array(msg.model), tokenizerJson: msg.tokenizerJson },
      msg.options,
    );
    return;
  }
  void handler.onMessage(msg);
};

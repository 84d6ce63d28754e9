// Web Worker entry for the browser extension host: the engine from model bytes handed over by the host (read with
// vscode.workspace.fs there and transferred), no Node APIs. Same protocol as the Node worker, plus 'init' and
// 'cancel' messages (see webWorkerClient.ts).
import { createOnnxPromptEncoder, type OnnxPromptEncoder } from '../../core/idp/onnxEncoder';
import { LLMLingua2Engine } from '../../core/llmlingua2/engine';
import type { InferenceOptions } from '../../core/llmlingua2/inference';
import { createWorkerHandler } from '../../core/llmlingua2/workerHandler';
import type { WorkerRequest, WorkerResponse } from '../../core/llmlingua2/workerProtocol';
import { setTokenizersSource } from '../tokenizersSource';

export interface WebWorkerInit {
  type: 'init';
  model: ArrayBuffer;
  tokenizerJson: unknown;
  /** dist/tokenizers.js, for budgets counted with the target's tokenizer (see tokenizersSource.ts). */
  tokenizers?: ArrayBuffer;
  options?: InferenceOptions;
}

/** The model's bytes again, sent with the first prompt-encoder call (the worker keeps no copy of the init bytes). */
export interface WebWorkerEncoderModel {
  type: 'encoderModel';
  model: ArrayBuffer;
}

interface WorkerScope {
  onmessage:
    | ((ev: { data: WebWorkerInit | WebWorkerEncoderModel | WorkerRequest | { type: 'cancel'; id: number } }) => void)
    | null;
  postMessage(m: WorkerResponse): void;
}

const scope = globalThis as unknown as WorkerScope;

/**
 * Both onnxruntime-web builds are in this bundle; the host says which one its .wasm (handed over as bytes) belongs
 * to: the WebGPU build (backends 'webgpu' and 'wasm' on its asyncify .wasm) when the browser offered an adapter.
 */
function webOrt(options: InferenceOptions | undefined): () => Promise<unknown> {
  return options?.webGpu ? () => import('onnxruntime-web/webgpu') : () => import('onnxruntime-web/wasm');
}
let engine: Promise<LLMLingua2Engine> | undefined;
let settings: Pick<WebWorkerInit, 'tokenizerJson' | 'options'> | undefined;
let encoderModel: ArrayBuffer | undefined;
let encoder: Promise<OnnxPromptEncoder> | undefined;
const getEngine = () => engine ?? Promise.reject(new Error('LLMLingua-2 web worker: no model (init) yet'));
// The prompt encoder's session is made on its first use, after the engine's (which sets up the runtime).
const getEncoder = () =>
  (encoder ??= getEngine().then(() => {
    if (!encoderModel) throw new Error('LLMLingua-2 web worker: no model bytes for the prompt encoder');
    const model = new Uint8Array(encoderModel);
    // Its session holds its own copy now.
    encoderModel = undefined;
    const { numThreads, backend, device, webGpu, noGpu } = settings!.options ?? {};
    return createOnnxPromptEncoder({
      id: 'web-worker-model',
      model,
      tokenizerJson: settings!.tokenizerJson,
      ...{ numThreads, backend, device, webGpu, noGpu, loadWebOrt: webOrt(settings!.options) },
    });
  }));
const handler = createWorkerHandler(getEngine, (m) => scope.postMessage(m), getEncoder);

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === 'init') {
    const tokenizers = msg.tokenizers;
    if (tokenizers) setTokenizersSource(async () => tokenizers);
    settings = { tokenizerJson: msg.tokenizerJson, options: msg.options };
    engine = LLMLingua2Engine.create(
      { model: new Uint8Array(msg.model), tokenizerJson: msg.tokenizerJson },
      { ...msg.options, loadWebOrt: webOrt(msg.options) },
    );
    return;
  }
  if (msg.type === 'encoderModel') {
    encoderModel = msg.model;
    return;
  }
  void handler.onMessage(msg);
};

// Browser host side of the LLMLingua-2 web worker (webWorker.ts): same calls as the engine, in a Web Worker.
import { EngineClient } from '../../core/llmlingua2/engineClient';
import type { InferenceOptions } from '../../core/llmlingua2/inference';
import type { WorkerResponse } from '../../core/llmlingua2/workerProtocol';

/** The part of a DOM Worker this client uses (tests adapt a worker_threads Worker to it). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (ev: { data: WorkerResponse }) => void): void;
  addEventListener(type: 'error', listener: (ev: { message?: string }) => void): void;
  terminate(): void;
}

export class WebWorkerEngine extends EngineClient {
  private readonly encoderModel: (() => Promise<ArrayBuffer>) | undefined;
  private encoderModelSent: Promise<void> | undefined;

  /**
   * Hands the model bytes (and options.wasmBinary, and the tokenizers bundle) to the worker: transferred, not copied. The worker keeps no copy;
   * `encoderModel` supplies the bytes again if the chat's prompt encoder is asked for (its own session).
   */
  constructor(
    private readonly worker: WebWorkerLike,
    init: { model: ArrayBuffer; tokenizerJson: unknown; tokenizers?: ArrayBuffer; options?: InferenceOptions },
    options: { useSharedMemory?: boolean; encoderModel?: () => Promise<ArrayBuffer> } = {},
  ) {
    // Shared memory needs cross-origin isolation in browsers; otherwise cancel travels as a message.
    super(
      options.useSharedMemory ??
        (typeof SharedArrayBuffer !== 'undefined' &&
          !!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    );
    worker.addEventListener('message', (ev) => this.onMessage(ev.data));
    // A worker that fails (its script does not load, it runs out of memory) fails every call instead of hanging.
    worker.addEventListener('error', (ev) =>
      this.failAll(new Error(`LLMLingua-2 web worker failed: ${ev.message || 'no message (script or memory error)'}`)),
    );
    const wasm = init.options?.wasmBinary;
    const transfer = [init.model, ...(wasm ? [wasm] : []), ...(init.tokenizers ? [init.tokenizers] : [])];
    worker.postMessage({ type: 'init', ...init }, transfer);
    this.encoderModel = options.encoderModel;
  }

  protected override prepareEncoder(): Promise<void> {
    this.encoderModelSent ??= (async () => {
      if (!this.encoderModel) throw new Error('no model bytes for the prompt encoder (encoderModel not given)');
      const model = await this.encoderModel();
      this.worker.postMessage({ type: 'encoderModel', model }, [model]);
    })();
    this.encoderModelSent.catch(() => (this.encoderModelSent = undefined));
    return this.encoderModelSent;
  }

  protected post(message: unknown): void {
    this.worker.postMessage(message);
  }

  dispose(): void {
    this.stopPolling();
    // A terminated Web Worker sends nothing more: settle what is pending here.
    this.failAll(new Error('the LLMLingua-2 worker was stopped'));
    this.worker.terminate();
  }
}

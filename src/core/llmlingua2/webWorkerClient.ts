// Browser host side of the LLMLingua-2 web worker (webWorker.ts): same calls as the engine, in a Web Worker.
import { EngineClient } from './engineClient';
import type { InferenceOptions } from './inference';
import type { WorkerResponse } from './workerProtocol';

/** The part of a DOM Worker this client uses (tests adapt a worker_threads Worker to it). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (ev: { data: WorkerResponse }) => void): void;
  terminate(): void;
}

export class WebWorkerEngine extends EngineClient {
  /** Hands the model bytes to the worker (transferred, not copied). */
  constructor(
    private readonly worker: WebWorkerLike,
    init: { model: ArrayBuffer; tokenizerJson: unknown; options?: InferenceOptions },
    options: { useSharedMemory?: boolean } = {},
  ) {
    // Shared memory needs cross-origin isolation in browsers; otherwise cancel travels as a message.
    super(
      options.useSharedMemory ??
        (typeof SharedArrayBuffer !== 'undefined' &&
          !!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    );
    worker.addEventListener('message', (ev) => this.onMessage(ev.data));
    worker.postMessage({ type: 'init', ...init }, [init.model]);
  }

  protected post(message: unknown): void {
    this.worker.postMessage(message);
  }

  dispose(): void {
    this.stopPolling();
    this.worker.terminate();
  }
}

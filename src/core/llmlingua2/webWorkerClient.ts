// Browser host side of the LLMLingua-2 web worker (webWorker.ts): same calls as the engine, in a Web Worker.
import { CancelledError, type Cancellation } from '../tokens/count';
import type { BudgetRequest, BudgetResult } from './engine';
import type { InferenceOptions } from './inference';
import type { ReferenceResult, ReferenceSettings } from './reference';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

/** The part of a DOM Worker this client uses (tests adapt a worker_threads Worker to it). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (ev: { data: WorkerResponse }) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (done: number, total: number) => void;
  cancellation?: Cancellation;
  cancelSent: boolean;
  flag?: Int32Array;
}

export class WebWorkerEngine {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private poll: ReturnType<typeof setInterval> | undefined;
  private readonly shared: boolean;

  /** Hands the model bytes to the worker (transferred, not copied). */
  constructor(
    private readonly worker: WebWorkerLike,
    init: { model: ArrayBuffer; tokenizerJson: unknown; options?: InferenceOptions },
    options: { useSharedMemory?: boolean } = {},
  ) {
    // Shared memory needs cross-origin isolation in browsers; otherwise cancel travels as a message.
    this.shared =
      options.useSharedMemory ??
      (typeof SharedArrayBuffer !== 'undefined' &&
        !!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
    worker.addEventListener('message', (ev) => this.onMessage(ev.data));
    worker.postMessage({ type: 'init', ...init }, [init.model]);
  }

  load(): Promise<{ backend: string }> {
    return this.call({ type: 'load', id: 0 }) as Promise<{ backend: string }>;
  }

  compressToBudget(req: BudgetRequest): Promise<BudgetResult> {
    const { tokenizer, cancellation, onProgress, ...rest } = req;
    const id = (tokenizer as { id?: string }).id;
    if (!id) {
      throw new Error('the worker needs a catalog tokenizer (one with an id)');
    }
    return this.call(
      { type: 'budget', id: 0, tokenizer: id, request: rest },
      onProgress,
      cancellation,
    ) as Promise<BudgetResult>;
  }

  reference(
    contexts: string | string[],
    settings: ReferenceSettings,
    tokenizer: { id: string },
    cancellation?: Cancellation,
  ): Promise<ReferenceResult> {
    return this.call(
      { type: 'reference', id: 0, tokenizer: tokenizer.id, contexts, settings },
      undefined,
      cancellation,
    ) as Promise<ReferenceResult>;
  }

  dispose(): void {
    if (this.poll) {
      clearInterval(this.poll);
    }
    this.poll = undefined;
    this.worker.terminate();
  }

  private call(
    msg: WorkerRequest,
    onProgress?: (done: number, total: number) => void,
    cancellation?: Cancellation,
  ): Promise<unknown> {
    if (cancellation?.isCancellationRequested) {
      return Promise.reject(new CancelledError());
    }
    const id = this.nextId++;
    const sab = this.shared ? new SharedArrayBuffer(4) : undefined;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve,
        reject,
        onProgress,
        cancellation,
        cancelSent: false,
        flag: sab ? new Int32Array(sab) : undefined,
      });
      this.startPolling();
      this.worker.postMessage({ ...msg, id, ...(sab ? { cancelFlag: sab } : {}) });
    });
  }

  private forwardCancels(): void {
    for (const [id, p] of this.pending) {
      if (!p.cancelSent && p.cancellation?.isCancellationRequested) {
        p.cancelSent = true;
        if (p.flag) {
          Atomics.store(p.flag, 0, 1);
        } else {
          this.worker.postMessage({ type: 'cancel', id });
        }
      }
    }
  }

  private startPolling(): void {
    if (this.poll) {
      return;
    }
    this.poll = setInterval(() => {
      if (this.pending.size === 0) {
        clearInterval(this.poll);
        this.poll = undefined;
        return;
      }
      this.forwardCancels();
    }, 50);
    (this.poll as { unref?: () => void }).unref?.();
  }

  private onMessage(m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) {
      return;
    }
    if (m.type === 'progress') {
      p.onProgress?.(m.done, m.total);
      this.forwardCancels();
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') {
      p.resolve(m.result);
    } else {
      p.reject(m.cancelled ? new CancelledError() : new Error(m.message));
    }
  }
}

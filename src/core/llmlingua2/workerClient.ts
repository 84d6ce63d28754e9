// Host side of the LLMLingua-2 worker: same compressToBudget/reference calls as the engine, run in a worker thread.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { CancelledError, type Cancellation } from '../tokens/count';
import type { BudgetRequest, BudgetResult } from './engine';
import type { ReferenceResult, ReferenceSettings } from './reference';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './workerProtocol';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (done: number, total: number) => void;
  flag: Int32Array;
  cancellation?: Cancellation;
}

export interface WorkerEngineOptions extends WorkerInit {
  /** Path of the built worker script (e.g. dist/llmlingua2-worker.js; tests pass worker.ts with tsx). */
  workerScript: string;
  workerOptions?: WorkerOptions;
}

export class WorkerEngine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private poll: ReturnType<typeof setInterval> | undefined;

  constructor(options: WorkerEngineOptions) {
    const { workerScript, workerOptions, ...init } = options;
    this.worker = new Worker(workerScript, { ...workerOptions, workerData: init });
    this.worker.on('message', (m: WorkerResponse) => this.onMessage(m));
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`LLMLingua-2 worker exited (${code})`)));
  }

  /** Loads the model (and warms it up) ahead of the first request; resolves with the backend in use. */
  load(): Promise<{ backend: string }> {
    return this.call({ type: 'load', id: 0 }) as Promise<{ backend: string }>;
  }

  compressToBudget(req: BudgetRequest): Promise<BudgetResult> {
    const { tokenizer, cancellation, onProgress, ...rest } = req;
    const id = (tokenizer as { id?: string }).id;
    if (!id) throw new Error('the worker needs a catalog tokenizer (one with an id)');
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

  async dispose(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
    await this.worker.terminate();
  }

  private call(
    msg: WorkerRequest,
    onProgress?: (done: number, total: number) => void,
    cancellation?: Cancellation,
  ): Promise<unknown> {
    if (cancellation?.isCancellationRequested) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    const sab = new SharedArrayBuffer(4);
    const flag = new Int32Array(sab);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, flag, cancellation });
      this.startPolling();
      this.worker.postMessage({ ...msg, id, cancelFlag: sab });
    });
  }

  // The worker cannot be interrupted mid-chunk; it checks the shared flag between chunks. Poll only while busy.
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
      for (const p of this.pending.values()) {
        if (p.cancellation?.isCancellationRequested) {
          Atomics.store(p.flag, 0, 1);
        }
      }
    }, 50);
    this.poll.unref?.();
  }

  private onMessage(m: WorkerResponse): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') {
      // Progress is also the moment to forward a cancellation promptly.
      if (p.cancellation?.isCancellationRequested) Atomics.store(p.flag, 0, 1);
      p.onProgress?.(m.done, m.total);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.result);
    else p.reject(m.cancelled ? new CancelledError() : new Error(m.message));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

// Host side of the LLMLingua-2 worker: same compressToBudget/reference calls as the engine, run in a worker thread.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { EngineClient } from '../../core/llmlingua2/engineClient';
import type { WorkerInit, WorkerResponse } from '../../core/llmlingua2/workerProtocol';

export interface WorkerEngineOptions extends Omit<WorkerInit, 'workerScript'> {
  /** Path of the built worker script (e.g. dist/llmlingua2Worker.js; tests pass worker.ts with tsx). */
  workerScript: string;
  workerOptions?: WorkerOptions;
}

export class WorkerEngine extends EngineClient {
  private readonly worker: Worker;

  constructor(options: WorkerEngineOptions) {
    super(true);
    const { workerScript, workerOptions, ...init } = options;
    this.worker = new Worker(workerScript, { ...workerOptions, workerData: { ...init, workerScript } });
    this.worker.on('message', (m: WorkerResponse) => this.onMessage(m));
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.onExit(code));
  }

  protected post(message: unknown): void {
    this.worker.postMessage(message);
  }

  async dispose(): Promise<void> {
    this.stopPolling();
    this.failAll(new Error('the LLMLingua-2 worker was stopped'));
    await this.worker.terminate();
  }
}

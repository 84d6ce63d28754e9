// The host side shared by both worker transports (worker_threads in Node, Web Worker in browsers): the engine's
// calls as messages, progress, and cancellation. A worker busy with a chunk cannot read messages, so cancellation
// goes through a shared flag where shared memory exists, and as a message otherwise.
import { CancelledError, type Cancellation } from '../tokens/count';
import type { AttentionResult, HiddenStates } from '../onnx/encoding';
import type { EncoderOutputs } from '../onnx/graph';
import type { BudgetRequest, BudgetResult } from './engine';
import type { ReferenceResult, ReferenceSettings } from './reference';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';
import { Rpc } from '../rpc';

/** What a worker's load() reports: the backend, WASM sessions side by side, and the runtime in words. */
export interface LoadedRuntime {
  backend: string;
  sessions: number;
  runtime: string;
}

interface CallState {
  onProgress?: (done: number, total: number) => void;
  cancellation?: Cancellation;
  cancelSent: boolean;
  flag?: Int32Array;
}

export abstract class EngineClient {
  private readonly rpc: Rpc<WorkerRequest | { type: 'cancel'; id: number }, WorkerResponse, CallState>;
  private poll: ReturnType<typeof setInterval> | undefined;

  /** @param sharedMemory whether a SharedArrayBuffer can reach the worker (cancel flag) */
  protected constructor(private readonly sharedMemory: boolean) {
    this.rpc = new Rpc({
      name: 'LLMLingua-2 worker',
      post: (m) => this.post(m),
      settle: (m, call) => {
        if (m.type === 'progress') {
          call.onProgress?.(m.done, m.total);
          // Progress is also the moment to forward a cancellation promptly.
          this.forwardCancels();
          return undefined;
        }
        if (m.type === 'result') return { value: m.result };
        return { error: m.cancelled ? new CancelledError() : new Error(m.message) };
      },
    });
  }

  /** Set once the worker has failed, exited or been disposed: calls then reject at once instead of waiting. */
  get closed(): Error | undefined {
    return this.rpc.closed;
  }

  protected abstract post(message: unknown): void;

  /** Loads the model (and warms it up) ahead of the first request; resolves with the backend in use. */
  load(): Promise<LoadedRuntime> {
    return this.call({ type: 'load', id: 0 }) as Promise<LoadedRuntime>;
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

  /** The prompt encoder's outputs on this model (its session loads on the first encoder call). */
  async encoderOutputs(): Promise<EncoderOutputs> {
    await this.prepareEncoder();
    return this.call({ type: 'encoderOutputs', id: 0 }) as Promise<EncoderOutputs>;
  }

  async encode(text: string): Promise<HiddenStates> {
    await this.prepareEncoder();
    return this.call({ type: 'encode', id: 0, text }) as Promise<HiddenStates>;
  }

  async attend(prompts: readonly string[], input: string): Promise<AttentionResult> {
    await this.prepareEncoder();
    return this.call({ type: 'attend', id: 0, prompts: [...prompts], input }) as Promise<AttentionResult>;
  }

  /** What the worker needs before its first encoder call (the web worker: the model's bytes again). */
  protected prepareEncoder(): Promise<void> {
    return Promise.resolve();
  }

  protected stopPolling(): void {
    if (this.poll) {
      clearInterval(this.poll);
    }
    this.poll = undefined;
  }

  private call(
    msg: WorkerRequest,
    onProgress?: (done: number, total: number) => void,
    cancellation?: Cancellation,
  ): Promise<unknown> {
    if (cancellation?.isCancellationRequested) {
      return Promise.reject(new CancelledError());
    }
    if (this.closed) {
      return Promise.reject(this.closed);
    }
    const sab = this.sharedMemory ? new SharedArrayBuffer(4) : undefined;
    this.startPolling();
    return this.rpc.call((id) => ({ ...msg, id, ...(sab ? { cancelFlag: sab } : {}) }), {
      onProgress,
      cancellation,
      cancelSent: false,
      flag: sab ? new Int32Array(sab) : undefined,
    });
  }

  private forwardCancels(): void {
    for (const [id, p] of this.rpc.waiting()) {
      if (!p.cancelSent && p.cancellation?.isCancellationRequested) {
        p.cancelSent = true;
        if (p.flag) {
          Atomics.store(p.flag, 0, 1);
        } else {
          this.post({ type: 'cancel', id });
        }
      }
    }
  }

  // Poll only while something is pending.
  private startPolling(): void {
    if (this.poll) {
      return;
    }
    this.poll = setInterval(() => {
      if (this.rpc.size === 0) {
        this.stopPolling();
        return;
      }
      this.forwardCancels();
    }, 50);
    (this.poll as { unref?: () => void }).unref?.();
  }

  /** The transport forwards the worker's messages, failure and exit here. */
  protected onMessage(m: WorkerResponse): void {
    this.rpc.onMessage(m);
  }

  protected onExit(code: number): void {
    this.rpc.onExit(code);
  }

  protected failAll(e: Error): void {
    this.rpc.close(e);
  }
}

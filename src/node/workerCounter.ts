import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { CancelledError } from '../core/tokens/count';
import type { TokenizerId } from '../core/tokens/tokenizers';
import type { OffThreadCounter } from '../counting';
import type { CountJob, CountReply } from './countWorker';

interface Pending {
  resolve(n: number): void;
  reject(e: Error): void;
}

/** One lazily started worker; cancelling a job terminates it (the next job starts a fresh one). */
export class WorkerCounter implements OffThreadCounter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script = join(__dirname, 'countWorker.js')) {}

  count(text: string, tokenizer: TokenizerId, token: vscode.CancellationToken): Promise<number> {
    if (token.isCancellationRequested) {
      return Promise.reject(new CancelledError());
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      const cancel = token.onCancellationRequested(() => {
        this.stop(new CancelledError());
      });
      this.pending.set(id, {
        resolve: (n) => {
          cancel.dispose();
          resolve(n);
        },
        reject: (e) => {
          cancel.dispose();
          reject(e);
        },
      });
      worker.postMessage({ id, text, tokenizer } satisfies CountJob);
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      const worker = new Worker(this.script);
      worker.on('message', (reply: CountReply) => {
        const p = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if ('error' in reply) {
          p?.reject(new Error(reply.error));
        } else {
          p?.resolve(reply.count);
        }
      });
      worker.on('error', (err) => this.stop(err));
      worker.unref();
      this.worker = worker;
    }
    return this.worker;
  }

  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) {
      p.reject(reason);
    }
    this.pending.clear();
    void worker?.terminate();
  }

  dispose(): void {
    this.stop(new CancelledError());
  }
}

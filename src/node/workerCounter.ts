import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import { Rpc } from '../core/rpc';
import { CancelledError } from '../core/tokens/count';
import type { TokenizerId } from '../core/tokens/tokenizers';
import type { OffThreadCounter } from '../counting';
import type { CountJob, CountReply } from './countWorker';

/** One lazily started worker; cancelling a job terminates it (the next job starts a fresh one). */
export class WorkerCounter implements OffThreadCounter {
  private worker: { thread: Worker; rpc: Rpc<CountJob, CountReply> } | undefined;

  constructor(private readonly script = join(__dirname, 'countWorker.js')) {}

  count(text: string, tokenizer: TokenizerId, token: vscode.CancellationToken): Promise<number> {
    if (token.isCancellationRequested) {
      return Promise.reject(new CancelledError());
    }
    const counted = this.ensureWorker().rpc.call<number>((id) => ({ id, text, tokenizer }), undefined);
    const cancel = token.onCancellationRequested(() => {
      this.stop(new CancelledError());
    });
    return counted.finally(() => cancel.dispose());
  }

  private ensureWorker(): { thread: Worker; rpc: Rpc<CountJob, CountReply> } {
    if (!this.worker) {
      const thread = new Worker(this.script);
      const rpc = new Rpc<CountJob, CountReply>({
        name: 'count worker',
        post: (job) => thread.postMessage(job),
        settle: (reply) => ('error' in reply ? { error: new Error(reply.error) } : { value: reply.count }),
      });
      thread.on('message', (reply: CountReply) => rpc.onMessage(reply));
      thread.on('error', (err) => this.stop(err));
      thread.unref();
      this.worker = { thread, rpc };
    }
    return this.worker;
  }

  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    worker?.rpc.close(reason);
    void worker?.thread.terminate();
  }

  dispose(): void {
    this.stop(new CancelledError());
  }
}

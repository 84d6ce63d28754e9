// Counts text for a target without blocking the extension host: big texts go to a worker where the platform
// has one (Node host); elsewhere the core counts in pieces and yields between them.
import type * as vscode from 'vscode';
import type { CountTarget } from './core/tokens/target';
import type { TokenizerId } from './core/tokens/tokenizers';

export interface OffThreadCounter extends vscode.Disposable {
  count(text: string, tokenizer: TokenizerId, token: vscode.CancellationToken): Promise<number>;
}

/** Below this size counting takes well under a frame on the host thread; a worker round trip costs more. */
export const OFF_THREAD_MIN_CHARS = 200_000;

export class CountService {
  constructor(private readonly offThread?: OffThreadCounter) {}

  count(text: string, target: CountTarget, token: vscode.CancellationToken): Promise<number> {
    if (this.offThread && target.tokenizer && text.length >= OFF_THREAD_MIN_CHARS) {
      return this.offThread.count(text, target.tokenizer, token);
    }
    return target.count(text, token);
  }
}

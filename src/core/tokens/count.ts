import type { Tokenizer } from './tokenizers';

/** Minimal cancellation shape, satisfied by vscode.CancellationToken and by AbortSignal adapters. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** Piece size for cooperative counting; small enough to keep the host responsive between pieces. */
export const COUNT_PIECE_CHARS = 64 * 1024;

/**
 * Splits text into pieces whose token counts add up to the count of the whole text: cuts are placed right after
 * a line break whose next character is not whitespace, which is a pre-token boundary in every supported BPE.
 */
export function splitForCounting(text: string, pieceChars = COUNT_PIECE_CHARS): string[] {
  if (text.length <= pieceChars) {
    return [text];
  }
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > pieceChars) {
    let cut = -1;
    for (let i = start + pieceChars; i > start; i--) {
      if (text.charCodeAt(i - 1) === 10 && !/\s/.test(text[i] ?? '')) {
        cut = i;
        break;
      }
    }
    if (cut < 0) {
      // One giant line: scan forward for the next usable cut instead of splitting inside it.
      const re = /\n(?=\S)/g;
      re.lastIndex = start + pieceChars;
      const m = re.exec(text);
      if (!m) {
        break;
      }
      cut = m.index + 1;
    }
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

const yieldToHost = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Counts tokens piece by piece, yielding between pieces and stopping with CancelledError when asked. */
export async function countTokens(text: string, tokenizer: Tokenizer, cancellation?: Cancellation): Promise<number> {
  const pieces = splitForCounting(text);
  let total = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (cancellation?.isCancellationRequested) {
      throw new CancelledError();
    }
    total += tokenizer.count(pieces[i]!);
    if (i + 1 < pieces.length) {
      await yieldToHost();
    }
  }
  if (cancellation?.isCancellationRequested) {
    throw new CancelledError();
  }
  return total;
}

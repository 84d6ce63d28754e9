import type { Tokenizer } from './tokenizers';
import { yieldToHost } from '../yieldToHost';

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
 * Where a text can be cut so that the counts of the pieces add up to the count of the whole:
 * - 'newline-run': after the last "\n" of a line-break run. Pre-tokenizers whose pattern has `\s*[\r\n]+`
 *   (cl100k, o200k, Llama 3) end a pre-token exactly there.
 * - 'lone-newline': after a single "\n" between two non-whitespace characters. Needed where a trailing
 *   whitespace run merges differently at the end of a string (`\s+(?!\S)`, as in the Claude ranks).
 */
export type CutRule = 'newline-run' | 'lone-newline';

export function splitForCounting(
  text: string,
  pieceChars = COUNT_PIECE_CHARS,
  rule: CutRule = 'lone-newline',
): string[] {
  const safe = rule === 'newline-run' ? afterNewlineRun : afterLoneNewline;
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > pieceChars) {
    let cut = -1;
    for (let i = start + pieceChars; i > start + 1; i--) {
      if (safe(text, i)) {
        cut = i;
        break;
      }
    }
    for (let i = start + pieceChars + 1; cut < 0 && i < text.length; i++) {
      if (safe(text, i)) {
        cut = i;
      }
    }
    if (cut < 0) {
      break;
    }
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

const isSpace = (c: number) =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;

function afterNewlineRun(text: string, i: number): boolean {
  if (text.charCodeAt(i - 1) !== 10 || i >= text.length) {
    return false;
  }
  const next = text.charCodeAt(i);
  return next !== 10 && next !== 13;
}

function afterLoneNewline(text: string, i: number): boolean {
  return (
    text.charCodeAt(i - 1) === 10 &&
    i >= 2 &&
    i < text.length &&
    !isSpace(text.charCodeAt(i - 2)) &&
    !isSpace(text.charCodeAt(i)) &&
    !/\s/.test(text[i - 2]! + text[i]!)
  );
}

/** Counts tokens piece by piece, yielding between pieces and stopping with CancelledError when asked. */
export async function countTokens(text: string, tokenizer: Tokenizer, cancellation?: Cancellation): Promise<number> {
  const pieces = splitForCounting(text, COUNT_PIECE_CHARS, tokenizer.cutRule);
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

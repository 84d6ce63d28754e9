// Decides whether a text can be counted at all, with a message a user understands when it cannot.
import { formatBytes } from '../format';

/** Why a text is not counted; the English message for the CLI, the sizes for a host that words it in its language. */
export type Uncountable =
  | { kind: 'binary'; message: string }
  | { kind: 'too-large'; message: string; bytes: number; maxBytes: number };

const SNIFF_CHARS = 8192;

/**
 * Binary content decoded as text shows NUL, other control characters or U+FFFD replacement characters; real
 * text almost never does. Looks at the start only, so it costs the same for any size.
 */
export function looksBinary(text: string): boolean {
  const sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  if (sample.includes('\u0000')) {
    return true;
  }
  let suspicious = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    // Tab, line feed, form feed and carriage return are ordinary in text.
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0xfffd) {
      suspicious++;
    }
  }
  return sample.length > 0 && suspicious / sample.length > 0.1;
}

export function checkCountable(text: string, maxBytes: number): Uncountable | undefined {
  // UTF-16 length is a cheap lower bound on UTF-8 size; exact bytes only matter near the limit.
  const bytes = text.length > maxBytes / 3 ? utf8Length(text) : text.length;
  if (bytes > maxBytes) {
    return {
      kind: 'too-large',
      message: `${formatBytes(bytes)} is over the ${formatBytes(maxBytes)} limit (setting contextBudget.maxFileSizeKB)`,
      bytes,
      maxBytes,
    };
  }
  if (looksBinary(text)) {
    return { kind: 'binary', message: 'binary content is not counted' };
  }
  return undefined;
}

/** UTF-8 byte length without Buffer, which the browser extension host lacks. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

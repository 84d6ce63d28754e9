// Pre-tokenizers: where a normalized text splits into the words the model then cuts into pieces.
import { isWhitespace, type Mapped } from './normalize';

/** SentencePiece's word boundary and space marker. */
export const META = '\u2581';

const PUNCT_RE = /^\p{P}$/u;

function isBertPunct(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return PUNCT_RE.test(c);
}

/** BertPreTokenizer: whitespace splits, punctuation chars are words of their own. [start, end) in `t`. */
export function bertWords(t: string): [number, number][] {
  const words: [number, number][] = [];
  let i = 0;
  while (i < t.length) {
    const cp = t.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (isWhitespace(ch)) {
      i += ch.length;
      continue;
    }
    if (isBertPunct(ch)) {
      words.push([i, i + ch.length]);
      i += ch.length;
      continue;
    }
    let j = i;
    while (j < t.length) {
      const c = String.fromCodePoint(t.codePointAt(j)!);
      if (isWhitespace(c) || isBertPunct(c)) break;
      j += c.length;
    }
    words.push([i, j]);
    i = j;
  }
  return words;
}

/**
 * Metaspace (prepend_scheme always, split): spaces become ▁, a ▁ is prepended, and every ▁ starts a new piece.
 * The prepended ▁ maps to the zero-width range at `start`.
 */
export function metaspaceWords(norm: Mapped, start: number): Mapped & { words: [number, number][] } {
  let text = norm.text.replace(/ /g, META);
  let from = norm.from;
  let to = norm.to;
  if (!text.startsWith(META)) {
    text = META + text;
    from = [start, ...from];
    to = [start, ...to];
  }
  const words: [number, number][] = [];
  let ws = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || text[i] === META) {
      words.push([ws, i]);
      ws = i;
    }
  }
  return { text, from, to, words };
}

// Whole-word atoms for the product's LLMLingua-2 selection. The model's own words split identifiers (BERT mode makes
// `_`, `/`, `.` and `:` words of their own), and dropping a piece of `src/payments/stripe.py` or `ord_8f3a2c91`
// leaves garbage. So a whitespace-delimited word is kept or dropped whole, with its punctuation: `Namespace:` and
// `<none>` are one atom each (dropping their edges on their own left lone `<` and `:` in the output). The word's
// core, without edge punctuation, is what identifier classification reads. Scripts written without spaces (CJK) are
// cut per character, as the model's words cut them.

export interface Atom {
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
  /** The word without its edge punctuation (an opening bracket or quote, a closing one without its opener inside,
   * sentence punctuation): `src/a.py` of `(src/a.py),`. */
  coreStart: number;
  coreEnd: number;
  /** word: a whitespace-delimited word (or a Latin run inside CJK text); char: one CJK character. */
  kind: 'word' | 'char';
}

const LEADING = new Set(['(', '[', '{', '"', "'", '`', '<', '«', '“', '‘']);
const SENTENCE = new Set([',', '.', ';', ':', '!', '?', '…']);
const CLOSERS: Record<string, string> = {
  ')': '(',
  ']': '[',
  '}': '{',
  '"': '"',
  "'": "'",
  '`': '`',
  '>': '<',
  '»': '«',
  '”': '“',
  '’': '‘',
};
// Han, Hiragana, Katakana, Hangul, CJK punctuation and full-width forms: written without spaces between words.
const CJK = '\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff00-\\uffef';
const CJK_RE = new RegExp(`[${CJK}]`, 'u');
/** One CJK character, or a run of anything else. */
const CJK_PIECES_RE = new RegExp(`[${CJK}]|[^${CJK}]+`, 'gu');

/** Atoms of a text, in order; whitespace is never part of one. */
export function splitAtoms(text: string): Atom[] {
  const out: Atom[] = [];
  const re = /\S+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    wordAtoms(m[0], m.index, out);
  }
  return out;
}

function wordAtoms(word: string, at: number, out: Atom[]): void {
  if (CJK_RE.test(word)) {
    // Latin runs inside stay whole words (`使用Python开发` → 使 用 Python 开 发).
    for (const m of word.matchAll(CJK_PIECES_RE)) {
      const cjk = CJK_RE.test(m[0]);
      if (cjk) {
        const [start, end] = [at + m.index, at + m.index + m[0].length];
        out.push({ start, end, coreStart: start, coreEnd: end, kind: 'char' });
      } else wordAtoms(m[0], at + m.index, out);
    }
    return;
  }
  let s = 0;
  let e = word.length;
  // The core: peeled only while some of it remains (a word that is all punctuation, `=>` or `...`, is its own core).
  while (e - s > 1 && LEADING.has(word[s]!)) s++;
  while (e - s > 1) {
    const c = word[e - 1]!;
    const opener = CLOSERS[c];
    const peel = SENTENCE.has(c) || (opener !== undefined && !word.slice(s, e - 1).includes(opener));
    if (!peel) break;
    e--;
  }
  out.push({ start: at, end: at + word.length, coreStart: at + s, coreEnd: at + e, kind: 'word' });
}

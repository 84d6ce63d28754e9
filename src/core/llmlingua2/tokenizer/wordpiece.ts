// WordPiece (mBERT): BertNormalizer, BertPreTokenizer, greedy longest-match-first pieces, the WordPiece decoder.
import { SubwordModel, type ModelJson, type NormalizerJson, type TokenizedText } from './model';
import { bertNormalize, type BertNormalizerOptions, type Mapped } from './normalize';
import { bertWords } from './pretokenize';

export class WordPiece extends SubwordModel {
  readonly unkToken: string;
  readonly unkId: number;
  private readonly prefix: string;
  private readonly maxChars: number;
  private readonly normalizer: BertNormalizerOptions;

  constructor(model: ModelJson, normalizer: NormalizerJson | null | undefined) {
    super();
    for (const [tok, id] of Object.entries(model.vocab as Record<string, number>)) {
      this.vocab.set(tok, id);
      this.idToTok[id] = tok;
    }
    this.unkToken = model.unk_token ?? '[UNK]';
    this.unkId = this.vocab.get(this.unkToken) ?? 0;
    this.prefix = model.continuing_subword_prefix ?? '##';
    this.maxChars = model.max_input_chars_per_word ?? 100;
    const n = normalizer;
    if (n && n.type !== 'BertNormalizer') {
      throw new Error(`Unsupported normalizer for WordPiece: ${n.type} (expected BertNormalizer)`);
    }
    // strip_accents unset follows lowercase, as in the reference BertNormalizer.
    this.normalizer = { lowercase: !!n?.lowercase, stripAccents: n?.strip_accents ?? !!n?.lowercase };
  }

  tokenizeSegment(text: string, start: number, end: number, out: TokenizedText): void {
    const norm = bertNormalize(text, start, end, this.normalizer);
    for (const [ws, we] of bertWords(norm.text)) this.word(norm, ws, we, out);
  }

  decode(tokens: string[]): string {
    let s = '';
    for (let i = 0; i < tokens.length; i++) {
      let t = tokens[i]!;
      if (i !== 0) t = t.startsWith(this.prefix) ? t.slice(this.prefix.length) : ' ' + t;
      s += cleanup(t);
    }
    return s;
  }

  private word(norm: Mapped, ws: number, we: number, out: TokenizedText): void {
    const word = norm.text.slice(ws, we);
    const cps = Array.from(word);
    const push = (tok: string, a: number, b: number) => {
      out.tokens.push(tok);
      out.ids.push(this.vocab.get(tok) ?? this.unkId);
      out.starts.push(norm.from[a]!);
      out.ends.push(norm.to[b - 1]!);
    };
    if (cps.length > this.maxChars) {
      push(this.unkToken, ws, we);
      return;
    }
    const subs: [string, number, number][] = [];
    // UTF-16 offset of each code point within the word.
    const off: number[] = [0];
    for (const c of cps) off.push(off[off.length - 1]! + c.length);
    let s = 0;
    while (s < cps.length) {
      let e = cps.length;
      let found: string | null = null;
      while (s < e) {
        let sub = word.slice(off[s], off[e]);
        if (s > 0) sub = this.prefix + sub;
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        e--;
      }
      if (found === null) {
        push(this.unkToken, ws, we);
        return;
      }
      subs.push([found, ws + off[s]!, ws + off[e]!]);
      s = e;
    }
    for (const [tok, a, b] of subs) push(tok, a, b);
  }
}

/** The WordPiece decoder's cleanup (transformers' clean_up_tokenization). */
function cleanup(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

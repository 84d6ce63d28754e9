// Unigram (XLM-R, SentencePiece): the normalizer steps of tokenizer.json, Metaspace, Viterbi over piece scores,
// the Metaspace decoder.
import { SubwordModel, type ModelJson, type NormalizerJson, type TokenizedText } from './model';
import { normalizerSteps, sequenceNormalize, type NormalizerStep } from './normalize';
import { META, metaspaceWords } from './pretokenize';

export class Unigram extends SubwordModel {
  readonly unkToken: string;
  readonly unkId: number;
  private readonly scores: number[] = [];
  // Pieces are looked up by substring (a per-character trie of a 250k-piece vocabulary costs far more memory).
  private maxPiece = 0;
  private readonly unkScore: number;
  private readonly normSteps: NormalizerStep[];

  constructor(model: ModelJson, normalizer: NormalizerJson | null | undefined) {
    super();
    const list = model.vocab as [string, number][];
    let min = Infinity;
    list.forEach(([tok, score], id) => {
      this.vocab.set(tok, id);
      this.idToTok[id] = tok;
      this.scores[id] = score;
      if (score < min) min = score;
      const cps = Array.from(tok).length;
      if (cps > this.maxPiece) this.maxPiece = cps;
    });
    // Same penalty as the reference Unigram for pieces no vocabulary entry covers.
    this.unkScore = min - 10;
    this.unkId = model.unk_id ?? 0;
    this.unkToken = this.idToTok[this.unkId] ?? '<unk>';
    this.normSteps = normalizerSteps(normalizer);
    // Fail at load time, not on the first text, when a step is unknown.
    sequenceNormalize(this.normSteps, 'probe', 0, 5);
  }

  tokenizeSegment(text: string, start: number, end: number, out: TokenizedText): void {
    const m = metaspaceWords(sequenceNormalize(this.normSteps, text, start, end), start);
    for (const [ws, we] of m.words) this.viterbi(m.text.slice(ws, we), ws, m.from, m.to, out);
  }

  decode(tokens: string[]): string {
    let s = '';
    for (let i = 0; i < tokens.length; i++) {
      // Metaspace decoder (prepend_scheme always): the first token loses its replacement characters.
      s += i === 0 ? tokens[i]!.split(META).join('') : tokens[i]!.split(META).join(' ');
    }
    return s;
  }

  private viterbi(s: string, base: number, from: number[], to: number[], out: TokenizedText): void {
    const cps = Array.from(s);
    const off: number[] = [0];
    for (const c of cps) off.push(off[off.length - 1]! + c.length);
    const n = cps.length;
    const score = new Float64Array(n + 1);
    const back = new Int32Array(n + 1).fill(-1);
    const idAt = new Int32Array(n + 1).fill(-1);
    for (let st = 0; st < n; st++) {
      if (st > 0 && back[st] < 0) continue;
      const here = score[st]!;
      let single = false;
      const kEnd = Math.min(n, st + this.maxPiece);
      for (let e = st + 1; e <= kEnd; e++) {
        const id = this.vocab.get(s.slice(off[st], off[e]));
        if (id === undefined) continue;
        const cand = here + this.scores[id]!;
        // Strictly better only: the first (longest-from-earliest-start) path wins ties, as in the reference.
        if (back[e]! < 0 || cand > score[e]!) {
          score[e] = cand;
          back[e] = st;
          idAt[e] = id;
        }
        if (e === st + 1) single = true;
      }
      if (!single) {
        const e = st + 1;
        const cand = here + this.unkScore;
        if (back[e]! < 0 || cand > score[e]!) {
          score[e] = cand;
          back[e] = st;
          idAt[e] = this.unkId;
        }
      }
    }
    // Backtrack; consecutive unknown pieces fuse into one token that keeps its surface string.
    const pieces: [number, number, number][] = [];
    let e = n;
    while (e > 0) {
      const st = back[e]!;
      const id = idAt[e]!;
      const last = pieces[pieces.length - 1];
      if (id === this.unkId && last && last[2] === this.unkId && last[0] === e) last[0] = st;
      else pieces.push([st, e, id]);
      e = st;
    }
    pieces.reverse();
    for (const [a, b, id] of pieces) {
      const ua = base + off[a]!;
      const ub = base + off[b]!;
      out.tokens.push(s.slice(off[a], off[b]));
      out.ids.push(id);
      out.starts.push(from[ua]!);
      out.ends.push(to[ub - 1]!);
    }
  }
}

// Compressor-model tokenizer (WordPiece for mBERT, Unigram/Metaspace for XLM-R) read from tokenizer.json.
// Own implementation because @huggingface/tokenizers 0.2.0 returns no character offsets and has no `Nmt`
// normalizer (XLM-R); tests cross-check it against that library and against the recorded reference tokens.

export type ModelMode = 'bert' | 'xlmr';

export interface TokenizedText {
  tokens: string[];
  ids: number[];
  /** UTF-16 offsets into the input text; a token the normalizer invented (Metaspace prefix) is zero-width. */
  starts: number[];
  ends: number[];
}

interface AddedTokenJson {
  id: number;
  content: string;
  special?: boolean;
}

interface TokenizerJson {
  normalizer?: (NormalizerStep & { lowercase?: boolean | null; strip_accents?: boolean | null }) | null;
  model: {
    type: string;
    vocab: Record<string, number> | [string, number][];
    unk_token?: string;
    unk_id?: number;
    continuing_subword_prefix?: string;
    max_input_chars_per_word?: number;
  };
  added_tokens?: AddedTokenJson[];
  decoder?: { type: string; prefix?: string; cleanup?: boolean; replacement?: string } | null;
}

/** A normalized string with, per UTF-16 unit, the original [start, end) it came from. */
interface Mapped {
  text: string;
  from: number[];
  to: number[];
}

const META = '\u2581';

export class ModelTokenizer {
  readonly mode: ModelMode;
  private readonly vocab = new Map<string, number>();
  private readonly idToTok: string[] = [];
  private readonly added: AddedTokenJson[];
  private readonly addedRe: RegExp | null;
  private readonly addedByContent = new Map<string, number>();
  // WordPiece
  private readonly unkToken: string;
  private readonly unkId: number;
  private readonly prefix: string;
  private readonly maxChars: number;
  // Unigram
  private readonly scores: number[] = [];
  // Pieces are looked up by substring (a per-character trie of a 250k-piece vocabulary costs far more memory).
  private maxPiece = 0;
  private readonly normSteps: NormalizerStep[] = [];
  private readonly bertOptions = { lowercase: false, stripAccents: false };
  private unkScore = 0;

  constructor(json: TokenizerJson) {
    const type = json.model.type;
    if (type === 'WordPiece') {
      this.mode = 'bert';
      for (const [tok, id] of Object.entries(json.model.vocab as Record<string, number>)) {
        this.vocab.set(tok, id);
        this.idToTok[id] = tok;
      }
      this.unkToken = json.model.unk_token ?? '[UNK]';
      this.unkId = this.vocab.get(this.unkToken) ?? 0;
      this.prefix = json.model.continuing_subword_prefix ?? '##';
      this.maxChars = json.model.max_input_chars_per_word ?? 100;
      const n = json.normalizer;
      if (n && n.type !== 'BertNormalizer') {
        throw new Error(`Unsupported normalizer for WordPiece: ${n.type} (expected BertNormalizer)`);
      }
      // strip_accents unset follows lowercase, as in the reference BertNormalizer.
      this.bertOptions.lowercase = !!n?.lowercase;
      this.bertOptions.stripAccents = n?.strip_accents ?? !!n?.lowercase;
    } else if (type === 'Unigram') {
      this.mode = 'xlmr';
      const list = json.model.vocab as [string, number][];
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
      this.unkId = json.model.unk_id ?? 0;
      this.unkToken = this.idToTok[this.unkId] ?? '<unk>';
      this.prefix = '';
      this.maxChars = 0;
      this.normSteps = normalizerSteps(json.normalizer);
      // Fail at load time, not on the first text, when a step is unknown.
      sequenceNormalize(this.normSteps, 'probe', 0, 5);
    } else {
      throw new Error(`Unsupported tokenizer model type: ${type} (expected WordPiece or Unigram)`);
    }
    this.added = json.added_tokens ?? [];
    for (const a of this.added) {
      this.addedByContent.set(a.content, a.id);
      this.idToTok[a.id] = a.content;
    }
    const contents = this.added.map((a) => a.content).sort((a, b) => b.length - a.length);
    this.addedRe = contents.length
      ? new RegExp(contents.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : null;
  }

  get unknownToken(): string {
    return this.unkToken;
  }

  tokenToId(token: string): number {
    return this.addedByContent.get(token) ?? this.vocab.get(token) ?? this.unkId;
  }

  idToToken(id: number): string {
    return this.idToTok[id] ?? this.unkToken;
  }

  hasToken(token: string): boolean {
    return this.addedByContent.has(token) || this.vocab.has(token);
  }

  /** Like transformers' `tokenize` (no special tokens added), with ids and offsets. */
  tokenize(text: string): TokenizedText {
    const out: TokenizedText = { tokens: [], ids: [], starts: [], ends: [] };
    let pos = 0;
    const segment = (end: number) => {
      if (end > pos) this.tokenizeSegment(text, pos, end, out);
    };
    if (this.addedRe) {
      this.addedRe.lastIndex = 0;
      for (let m = this.addedRe.exec(text); m; m = this.addedRe.exec(text)) {
        segment(m.index);
        out.tokens.push(m[0]);
        out.ids.push(this.addedByContent.get(m[0])!);
        out.starts.push(m.index);
        out.ends.push(m.index + m[0].length);
        pos = m.index + m[0].length;
      }
    }
    segment(text.length);
    return out;
  }

  /** transformers' convert_tokens_to_string: the tokenizer.json decoder applied to token strings. */
  convertTokensToString(tokens: string[]): string {
    let s = '';
    if (this.mode === 'bert') {
      for (let i = 0; i < tokens.length; i++) {
        let t = tokens[i]!;
        if (i !== 0) t = t.startsWith(this.prefix) ? t.slice(this.prefix.length) : ' ' + t;
        s += cleanup(t);
      }
    } else {
      for (let i = 0; i < tokens.length; i++) {
        // Metaspace decoder (prepend_scheme always): the first token loses its replacement characters.
        s += i === 0 ? tokens[i]!.split(META).join('') : tokens[i]!.split(META).join(' ');
      }
    }
    return s;
  }

  private tokenizeSegment(text: string, start: number, end: number, out: TokenizedText): void {
    if (this.mode === 'bert') this.wordPieceSegment(text, start, end, out);
    else this.unigramSegment(text, start, end, out);
  }

  // ---- WordPiece (BertNormalizer + BertPreTokenizer) ----

  private wordPieceSegment(text: string, start: number, end: number, out: TokenizedText): void {
    const norm = bertNormalize(text, start, end, this.bertOptions);
    const t = norm.text;
    // Pre-tokenize: whitespace splits, punctuation chars are words of their own.
    let i = 0;
    while (i < t.length) {
      const cp = t.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (isWhitespace(ch)) {
        i += ch.length;
        continue;
      }
      if (isBertPunct(ch)) {
        this.wordPieceWord(t, i, i + ch.length, norm, out);
        i += ch.length;
        continue;
      }
      let j = i;
      while (j < t.length) {
        const c = String.fromCodePoint(t.codePointAt(j)!);
        if (isWhitespace(c) || isBertPunct(c)) break;
        j += c.length;
      }
      this.wordPieceWord(t, i, j, norm, out);
      i = j;
    }
  }

  private wordPieceWord(t: string, ws: number, we: number, norm: Mapped, out: TokenizedText): void {
    const word = t.slice(ws, we);
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

  // ---- Unigram (Nmt + NFKC + space collapse + Metaspace) ----

  private unigramSegment(text: string, start: number, end: number, out: TokenizedText): void {
    const norm = sequenceNormalize(this.normSteps, text, start, end);
    // Metaspace: spaces become ▁, a ▁ is prepended, and every ▁ starts a new piece.
    let t = norm.text.replace(/ /g, META);
    let from = norm.from;
    let to = norm.to;
    if (!t.startsWith(META)) {
      t = META + t;
      from = [start, ...from];
      to = [start, ...to];
    }
    let ws = 0;
    for (let i = 1; i <= t.length; i++) {
      if (i === t.length || t[i] === META) {
        this.viterbi(t.slice(ws, i), ws, from, to, out);
        ws = i;
      }
    }
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

const CONTROL_RE = /^[\p{Cc}\p{Cf}\p{Cn}\p{Co}]$/u;
const WHITE_RE = /^\s$/u;
const PUNCT_RE = /^\p{P}$/u;

function isWhitespace(c: string): boolean {
  return c === '\t' || c === '\n' || c === '\r' || (WHITE_RE.test(c) && c !== '\ufeff');
}

function isControl(c: string): boolean {
  if (c === '\t' || c === '\n' || c === '\r') return false;
  return CONTROL_RE.test(c);
}

function isBertPunct(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return PUNCT_RE.test(c);
}

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function bertNormalize(
  text: string,
  start: number,
  end: number,
  opts: { lowercase: boolean; stripAccents: boolean },
): Mapped {
  const m: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  const emit = (s: string, a: number, b: number) => {
    parts.push(s);
    for (let k = 0; k < s.length; k++) {
      m.from.push(a);
      m.to.push(b);
    }
  };
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i)!;
    const c = String.fromCodePoint(cp);
    const j = i + c.length;
    if (cp === 0 || cp === 0xfffd || isControl(c)) {
      // removed
    } else if (isWhitespace(c)) {
      emit(' ', i, j);
    } else if (isChineseChar(cp)) {
      emit(' ', i, i);
      emit(c, i, j);
      emit(' ', j, j);
    } else {
      let t = c;
      if (opts.stripAccents) {
        t = t.normalize('NFD').replace(/\p{Mn}/gu, '');
      }
      if (opts.lowercase) {
        t = t.toLowerCase();
      }
      if (t) {
        emit(t, i, j);
      }
    }
    i = j;
  }
  m.text = parts.join('');
  return m;
}

function nmtMap(cp: number): string | null {
  if ((cp >= 1 && cp <= 8) || cp === 0x0b || (cp >= 0x0e && cp <= 0x1f) || cp === 0x7f || cp === 0x8f || cp === 0x9f) {
    return null;
  }
  if (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0c ||
    cp === 0x0d ||
    cp === 0x1680 ||
    (cp >= 0x200b && cp <= 0x200f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x2581 ||
    cp === 0xfeff ||
    cp === 0xfffd
  ) {
    return ' ';
  }
  return String.fromCodePoint(cp);
}

const MARK_RE = /^\p{M}$/u;

export interface NormalizerStep {
  type: string;
  normalizers?: NormalizerStep[];
  pattern?: { String?: string; Regex?: string };
  content?: string;
}

/** The normalizer steps of a tokenizer.json (a Sequence flattened); null means none. */
function normalizerSteps(config: NormalizerStep | null | undefined): NormalizerStep[] {
  if (!config) {
    return [];
  }
  if (config.type === 'Sequence') {
    return (config.normalizers ?? []).flatMap((n) => normalizerSteps(n));
  }
  return [config];
}

function identityMapped(text: string, start: number, end: number): Mapped {
  const m: Mapped = { text: text.slice(start, end), from: [], to: [] };
  for (let i = start; i < end; ) {
    const len = text.codePointAt(i)! > 0xffff ? 2 : 1;
    for (let k = 0; k < len; k++) {
      m.from.push(i);
      m.to.push(i + len);
    }
    i += len;
  }
  return m;
}

/** Applies fn per code point (null removes it); every output unit keeps its source range. */
function mapCodePoints(m: Mapped, fn: (cp: number) => string | null): Mapped {
  const out: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  for (let i = 0; i < m.text.length; ) {
    const cp = m.text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const r = fn(cp);
    if (r !== null) {
      parts.push(r);
      for (let k = 0; k < r.length; k++) {
        out.from.push(m.from[i]!);
        out.to.push(m.to[i + len - 1]!);
      }
    }
    i += len;
  }
  out.text = parts.join('');
  return out;
}

/** Unicode normalization per cluster (base + combining marks), so offsets stay exact. */
function normalizeForm(m: Mapped, form: 'NFKC' | 'NFC' | 'NFD' | 'NFKD'): Mapped {
  const whole = m.text.normalize(form);
  const out: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  let i = 0;
  while (i < m.text.length) {
    let j = i + (m.text.codePointAt(i)! > 0xffff ? 2 : 1);
    while (j < m.text.length) {
      const c = String.fromCodePoint(m.text.codePointAt(j)!);
      if (!MARK_RE.test(c)) {
        break;
      }
      j += c.length;
    }
    const n = m.text.slice(i, j).normalize(form);
    parts.push(n);
    for (let k = 0; k < n.length; k++) {
      out.from.push(m.from[i]!);
      out.to.push(m.to[j - 1]!);
    }
    i = j;
  }
  out.text = parts.join('');
  if (out.text !== whole) {
    // Rare composition across clusters (e.g. Hangul jamo): keep the exact text, spread offsets coarsely.
    const a = m.from[0] ?? 0;
    const b = m.to[m.to.length - 1] ?? a;
    return { text: whole, from: new Array<number>(whole.length).fill(a), to: new Array<number>(whole.length).fill(b) };
  }
  return out;
}

function replaceMapped(m: Mapped, re: RegExp, content: string): Mapped {
  const out: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  let last = 0;
  const copy = (a: number, b: number) => {
    parts.push(m.text.slice(a, b));
    for (let k = a; k < b; k++) {
      out.from.push(m.from[k]!);
      out.to.push(m.to[k]!);
    }
  };
  for (const match of m.text.matchAll(re)) {
    const a = match.index;
    const b = a + match[0].length;
    if (b === a) {
      continue;
    }
    copy(last, a);
    parts.push(content);
    for (let k = 0; k < content.length; k++) {
      out.from.push(m.from[a]!);
      out.to.push(m.to[b - 1]!);
    }
    last = b;
  }
  copy(last, m.text.length);
  out.text = parts.join('');
  return out;
}

/**
 * The normalizer of a SentencePiece-style tokenizer.json: Nmt, NFKC/NFC/NFD/NFKD, Replace, Lowercase, and
 * Precompiled (SentencePiece's nmt_nfkc charsmap, applied as Nmt + NFKC, the rules it was compiled from).
 */
function sequenceNormalize(steps: NormalizerStep[], text: string, start: number, end: number): Mapped {
  let m = identityMapped(text, start, end);
  for (const step of steps) {
    switch (step.type) {
      case 'Nmt':
        m = mapCodePoints(m, nmtMap);
        break;
      case 'Precompiled':
        m = normalizeForm(mapCodePoints(m, nmtMap), 'NFKC');
        break;
      case 'NFKC':
      case 'NFC':
      case 'NFD':
      case 'NFKD':
        m = normalizeForm(m, step.type);
        break;
      case 'Lowercase':
        m = mapCodePoints(m, (cp) => String.fromCodePoint(cp).toLowerCase());
        break;
      case 'Replace': {
        const re =
          step.pattern?.Regex !== undefined
            ? new RegExp(step.pattern.Regex, 'gu')
            : new RegExp((step.pattern?.String ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
        m = replaceMapped(m, re, step.content ?? '');
        break;
      }
      default:
        throw new Error(`Unsupported normalizer in tokenizer.json: ${step.type}`);
    }
  }
  return m;
}

// A decision-for-decision port of the reference LLMLingua-2 (`compress_prompt` with use_llmlingua2=True of
// microsoft/LLMLingua 0.2.2, with the XLM-R special-token fix of upstream PR 182). Quirks are kept on purpose:
// per-chunk thresholds, text round-tripped through the tokenizer, glued chunks, vanishing unknown tokens.

import { npPercentile, pyMean, type PyNum } from './numpy';
import type { ModelTokenizer } from './tokenizer';

export interface ReferenceSettings {
  rate?: number;
  target_token?: number;
  use_context_level_filter?: boolean;
  use_token_level_filter?: boolean;
  target_context?: number;
  context_level_rate?: number;
  context_level_target_token?: number;
  force_context_ids?: number[] | null;
  return_word_label?: boolean;
  word_sep?: string;
  label_sep?: string;
  token_to_word?: 'mean' | 'first';
  force_tokens?: string[];
  force_reserve_digit?: boolean;
  drop_consecutive?: boolean;
  chunk_end_tokens?: string[];
}

export interface ReferenceResult {
  compressed_prompt: string;
  compressed_prompt_list: string[];
  origin_tokens: number;
  compressed_tokens: number;
  ratio: string;
  rate: string;
  saving: string;
  fn_labeled_original_prompt?: string;
  words: string[];
  labels: number[];
}

export interface BudgetCounter {
  count(text: string): number;
}

/** What the reference pipeline needs from the model: tokenizer and p(keep) for a CLS…SEP id sequence. */
export interface ReferenceModel {
  tokenizer: ModelTokenizer;
  keepProbs(ids: readonly number[]): Promise<Float32Array>;
}

export const MAX_FORCE_TOKEN = 100;
const MAX_SEQ_LEN = 512;
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

interface Specials {
  cls: string;
  sep: string;
  pad: string;
  /** Tokens the reference skips when merging (its special_tokens_map values, without additional ones). */
  skip: Set<string>;
}

function specialsFor(tok: ModelTokenizer): Specials {
  return tok.mode === 'bert'
    ? { cls: '[CLS]', sep: '[SEP]', pad: '[PAD]', skip: new Set(['[CLS]', '[MASK]', '[SEP]', '[UNK]']) }
    : { cls: '<s>', sep: '</s>', pad: '<pad>', skip: new Set(['</s>', '<mask>', '<pad>', '<s>', '<unk>']) };
}

interface Ctx {
  model: ReferenceModel;
  tok: ModelTokenizer;
  sp: Specials;
  budget: BudgetCounter;
  countCache: Map<string, number>;
  forceTokens: string[];
  tokenMap: Map<string, string>;
  tokenMapValues: Set<string>;
  forceReserveDigit: boolean;
  tokenToWord: 'mean' | 'first';
}

const DIGIT_RE = /\p{Nd}/u;
const WORD_RE = /[\p{L}\p{N}_]+|[<>=/!@#$%^&*()?":{}|\\`~;_+-]/gu;

function budgetLen(ctx: Ctx, s: string): number {
  let n = ctx.countCache.get(s);
  if (n === undefined) {
    n = ctx.budget.count(s);
    if (ctx.countCache.size < 200_000) ctx.countCache.set(s, n);
  }
  return n;
}

function replaceAllLiteral(s: string, from: string, to: string): string {
  return from === '' ? s : s.split(from).join(to);
}

/** The reference's __chunk_context: windows of 510 model tokens, cut after the last chunk-end token. */
export function chunkContext(tok: ModelTokenizer, text: string, chunkEnd: Set<string>): string[] {
  const maxLen = MAX_SEQ_LEN - 2;
  const tokens = tok.tokenize(text).tokens;
  const n = tokens.length;
  const out: string[] = [];
  let st = 0;
  while (st < n) {
    if (st + maxLen > n - 1) {
      out.push(tok.convertTokensToString(tokens.slice(st, n)));
      break;
    }
    let ed = st + maxLen;
    for (let j = 0; j < ed - st; j++) {
      if (chunkEnd.has(tokens[ed - j]!)) {
        ed = ed - j;
        break;
      }
    }
    out.push(tok.convertTokensToString(tokens.slice(st, ed + 1)));
    st = ed + 1;
  }
  return out;
}

function isBeginOfNewWord(ctx: Ctx, token: string): boolean {
  if (ctx.tok.mode === 'bert') {
    const pure = token.replace(/^#+/, '');
    if (ctx.forceTokens.includes(pure) || ctx.tokenMapValues.has(pure)) return true;
    return !token.startsWith('##');
  }
  // `token in string.punctuation` is a substring test in Python (so "" and "()" count).
  if (PUNCTUATION.includes(token) || ctx.forceTokens.includes(token) || ctx.tokenMapValues.has(token)) return true;
  return token.startsWith('\u2581');
}

function pureToken(ctx: Ctx, token: string): string {
  return ctx.tok.mode === 'bert' ? token.replace(/^#+/, '') : token.replace(/^\u2581+/, '');
}

function replaceAddedToken(ctx: Ctx, token: string): string {
  for (const [ori, added] of ctx.tokenMap) token = replaceAllLiteral(token, added, ori);
  return token;
}

interface MergedChunk {
  words: string[];
  probs: PyNum[][];
  probsNoForce: PyNum[][];
}

function mergeTokenToWord(ctx: Ctx, tokens: string[], probs: Float32Array): MergedChunk {
  const words: string[] = [];
  const wp: PyNum[][] = [];
  const wpNo: PyNum[][] = [];
  let probNoForce: PyNum = { v: 0, f64: false };
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    const p: PyNum = { v: probs[i]!, f64: false };
    if (ctx.sp.skip.has(token)) continue;
    if (isBeginOfNewWord(ctx, token) || words.length === 0) {
      const pure = pureToken(ctx, token);
      probNoForce = p;
      let prob = p;
      if (ctx.forceTokens.includes(pure) || ctx.tokenMapValues.has(pure)) prob = { v: 1.0, f64: true };
      token = replaceAddedToken(ctx, token);
      words.push(token);
      wp.push([ctx.forceReserveDigit && DIGIT_RE.test(token) ? { v: 1.0, f64: true } : prob]);
      wpNo.push([probNoForce]);
    } else {
      words[words.length - 1] += pureToken(ctx, token);
      wp[wp.length - 1]!.push(ctx.forceReserveDigit && DIGIT_RE.test(token) ? { v: 1.0, f64: true } : p);
      // The reference appends the word's first-token value here (a stale variable), kept for parity.
      wpNo[wpNo.length - 1]!.push(probNoForce);
    }
  }
  return { words, probs: wp, probsNoForce: wpNo };
}

function tokenProbToWordProb(probs: PyNum[][], mode: 'mean' | 'first'): PyNum[] {
  return probs.map((p) => (mode === 'first' ? p[0]! : pyMean(p)));
}

/** TokenClfDataset + model pass for one chunk string: tokens (as convert_ids_to_tokens gives them) and p(keep). */
async function runChunk(ctx: Ctx, chunk: string): Promise<{ tokens: string[]; probs: Float32Array }> {
  let tokens = [ctx.sp.cls, ...ctx.tok.tokenize(chunk).tokens, ctx.sp.sep];
  if (tokens.length > MAX_SEQ_LEN) tokens = tokens.slice(0, MAX_SEQ_LEN);
  // Positions holding the pad token are masked out by the reference; masked keys change nothing else.
  tokens = tokens.filter((t) => t !== ctx.sp.pad);
  const ids = tokens.map((t) => ctx.tok.tokenToId(t));
  const probs = await ctx.model.keepProbs(ids);
  return { tokens: ids.map((id) => ctx.tok.idToToken(id)), probs };
}

async function getContextProb(ctx: Ctx, contextChunked: string[][]): Promise<{ probs: PyNum[]; words: string[][] }> {
  const probs: PyNum[] = [];
  const words: string[][] = [];
  for (const chunks of contextChunked) {
    const allProbs: PyNum[] = [];
    const allWords: string[] = [];
    for (const c of chunks) {
      const r = await runChunk(ctx, c);
      const m = mergeTokenToWord(ctx, r.tokens, r.probs);
      const wp = tokenProbToWordProb(m.probsNoForce, ctx.tokenToWord);
      if (ctx.tok.mode === 'xlmr') m.words = m.words.map((w) => w.replace(/^\u2581+/, ''));
      allProbs.push(...wp);
      allWords.push(...m.words);
    }
    words.push(allWords);
    probs.push(pyMean(allProbs));
  }
  return { probs, words };
}

interface CompressOut {
  compressed: string[];
  words: string[][];
  labels: number[][];
}

async function compressChunks(
  ctx: Ctx,
  contextList: string[][],
  reduceRate: number,
  dropConsecutive: boolean,
): Promise<CompressOut> {
  if (reduceRate <= 0) {
    const out: CompressOut = { compressed: [], words: [], labels: [] };
    for (const chunks of contextList) {
      const restored = chunks.map((c) => {
        for (const [ori, added] of ctx.tokenMap) c = replaceAllLiteral(c, added, ori);
        return c;
      });
      const ws = restored.flatMap((c) => c.match(WORD_RE) ?? []);
      out.compressed.push(restored.join(''));
      out.words.push(ws);
      out.labels.push(ws.map(() => 1));
    }
    return out;
  }
  const out: CompressOut = { compressed: [], words: [], labels: [] };
  for (const chunks of contextList) {
    let compressed = '';
    const cw: string[] = [];
    const cl: number[] = [];
    for (const chunk of chunks) {
      const r = await runChunk(ctx, chunk);
      const m = mergeTokenToWord(ctx, r.tokens, r.probs);
      const words = m.words;
      const wordProbs = tokenProbToWordProb(m.probs, ctx.tokenToWord);
      if (dropConsecutive) {
        const th = npPercentile(wordProbs, Math.trunc(100 * reduceRate)).v;
        let between = false;
        let prev: string | null = null;
        for (let i = 0; i < words.length; i++) {
          const w = words[i]!;
          if (ctx.forceTokens.includes(w)) {
            if (between) between = false;
            else if (w === prev) wordProbs[i] = { v: 0.0, f64: true };
            prev = w;
          } else {
            between = between || wordProbs[i]!.v > th;
          }
        }
      }
      const tokenProbs: PyNum[] = [];
      for (let i = 0; i < words.length; i++) {
        const n = budgetLen(ctx, words[i]!);
        for (let k = 0; k < n; k++) tokenProbs.push(wordProbs[i]!);
      }
      const threshold = npPercentile(tokenProbs, Math.trunc(100 * reduceRate + 1)).v;
      const keep: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        const p = wordProbs[i]!.v;
        if (p > threshold || (threshold === 1.0 && p === threshold)) {
          if (dropConsecutive && ctx.forceTokens.includes(w) && keep.length > 0 && keep[keep.length - 1] === w) {
            cl.push(0);
          } else {
            keep.push(w);
            cl.push(1);
          }
        } else {
          cl.push(0);
        }
      }
      compressed += ctx.tok.convertTokensToString(keep);
      for (const w of words) cw.push(ctx.tok.mode === 'xlmr' ? w.replace(/^\u2581+/, '') : w);
    }
    out.compressed.push(compressed);
    out.words.push(cw);
    out.labels.push(cl);
  }
  return out;
}

function pyFormat1(x: number): string {
  return x.toFixed(1);
}

/** The reference's compress_prompt(context, **settings) for an LLMLingua-2 compressor. */
export async function compressPromptReference(
  model: ReferenceModel,
  budget: BudgetCounter,
  context: string | string[],
  settings: ReferenceSettings = {},
): Promise<ReferenceResult> {
  const tok = model.tokenizer;
  let rate = settings.rate ?? 0.5;
  const targetToken = settings.target_token ?? -1;
  let useContextLevelFilter = settings.use_context_level_filter ?? true;
  const useTokenLevelFilter = settings.use_token_level_filter ?? true;
  const targetContext = settings.target_context ?? -1;
  let contextLevelRate = settings.context_level_rate ?? 1.0;
  let contextLevelTargetToken = settings.context_level_target_token ?? -1;
  const forceContextIds = settings.force_context_ids ?? null;
  const wordSep = settings.word_sep ?? '\t\t|\t\t';
  const labelSep = settings.label_sep ?? ' ';
  const forceTokens = settings.force_tokens ?? [];
  const chunkEndIn = settings.chunk_end_tokens ?? ['.', '\n'];
  if (forceTokens.length > MAX_FORCE_TOKEN) throw new Error(`at most ${MAX_FORCE_TOKEN} force_tokens`);

  const tokenMap = new Map<string, string>();
  forceTokens.forEach((t, i) => {
    if (tok.tokenize(t).tokens.length !== 1) tokenMap.set(t, `[NEW${i}]`);
  });
  const chunkEnd = new Set(chunkEndIn);
  for (const c of chunkEndIn) if (tokenMap.has(c)) chunkEnd.add(tokenMap.get(c)!);

  const ctx: Ctx = {
    model,
    tok,
    sp: specialsFor(tok),
    budget,
    countCache: new Map(),
    forceTokens,
    tokenMap,
    tokenMapValues: new Set(tokenMap.values()),
    forceReserveDigit: settings.force_reserve_digit ?? false,
    tokenToWord: settings.token_to_word ?? 'mean',
  };

  const contexts = typeof context === 'string' ? [context] : [...context];
  if (contexts.length === 1 && useContextLevelFilter) useContextLevelFilter = false;

  let nOriginal = 0;
  const chunked: string[][] = [];
  for (let i = 0; i < contexts.length; i++) {
    nOriginal += budget.count(contexts[i]!);
    let c = contexts[i]!;
    for (const [ori, added] of tokenMap) c = replaceAllLiteral(c, ori, added);
    contexts[i] = c;
    chunked.push(chunkContext(tok, c, chunkEnd));
  }

  const finish = (out: CompressOut, words: string[], labels: number[]): ReferenceResult => {
    let nCompressed = 0;
    for (const c of out.compressed) nCompressed += budget.count(c);
    const saving = ((nOriginal - nCompressed) * 0.06) / 1000;
    const ratio = nCompressed === 0 ? 1 : nOriginal / nCompressed;
    const res: ReferenceResult = {
      compressed_prompt: out.compressed.join('\n\n'),
      compressed_prompt_list: out.compressed,
      origin_tokens: nOriginal,
      compressed_tokens: nCompressed,
      ratio: `${pyFormat1(ratio)}x`,
      rate: `${pyFormat1((1 / ratio) * 100)}%`,
      saving: `, Saving $${pyFormat1(saving)} in GPT-4.`,
      words,
      labels,
    };
    if (settings.return_word_label) {
      res.fn_labeled_original_prompt = words.map((w, i) => `${w}${labelSep}${labels[i]}`).join(wordSep);
    }
    return res;
  };

  if (useContextLevelFilter) {
    if (targetContext <= 0 && contextLevelRate >= 1.0 && contextLevelTargetToken <= 0) {
      if (targetToken < 0 && rate < 1.0) contextLevelRate = useTokenLevelFilter ? (rate + 1.0) / 2 : rate;
      if (targetToken >= 0) contextLevelTargetToken = useTokenLevelFilter ? targetToken * 2 : targetToken;
    }
    if (targetContext >= 0) contextLevelRate = Math.min(targetContext / contexts.length, 1.0);
    if (contextLevelTargetToken >= 0) contextLevelRate = Math.min(contextLevelTargetToken / nOriginal, 1.0);

    const cp = await getContextProb(ctx, chunked);
    const threshold = npPercentile(cp.probs, Math.trunc(100 * (1 - contextLevelRate))).v;
    const reserved: string[][] = [];
    const contextLabel: boolean[] = [];
    cp.probs.forEach((p, i) => {
      const keep = p.v >= threshold || (forceContextIds !== null && forceContextIds.includes(i));
      contextLabel.push(keep);
      if (keep) reserved.push(chunked[i]!);
    });
    let nReserved = 0;
    for (const chunks of reserved) for (const c of chunks) nReserved += budget.count(c);
    if (targetToken >= 0) rate = Math.min(targetToken / nReserved, 1.0);
    const out = await compressChunks(
      ctx,
      reserved,
      useTokenLevelFilter ? Math.max(0, 1 - rate) : 0,
      settings.drop_consecutive ?? false,
    );
    const words: string[] = [];
    const labels: number[] = [];
    let j = 0;
    for (let i = 0; i < contexts.length; i++) {
      if (contextLabel[i]) {
        words.push(...out.words[j]!);
        labels.push(...out.labels[j]!);
        j++;
      } else {
        words.push(...cp.words[i]!);
        for (let k = 0; k < cp.words[i]!.length; k++) labels.push(0);
      }
    }
    return finish(out, words, labels);
  }

  if (targetToken > 0) rate = Math.min(targetToken / nOriginal, 1.0);
  const out = await compressChunks(
    ctx,
    chunked,
    useTokenLevelFilter ? Math.max(0, 1 - rate) : 0,
    settings.drop_consecutive ?? false,
  );
  return finish(out, out.words.flat(), out.labels.flat());
}

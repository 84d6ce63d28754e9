// LLMLingua-2 engine: one loaded model (tokenizer + session) offering the reference algorithm and budget selection.
// Pure TypeScript: runs in the extension host, a worker thread, a web worker or plain Node.

import { CancelledError, type Cancellation } from '../tokens/count';
import { isIdentifierLike } from '../identifiers';
import { splitAtoms } from './atoms';
import { joinContexts, renderContexts, selectWithinBudget, type BudgetCounterLike, type BudgetWord } from './budget';
import { createKeepModel, type BackendKind, type InferenceOptions, type KeepModel } from './inference';
import { compressPromptReference, type ReferenceResult, type ReferenceSettings } from './reference';
import { ModelTokenizer, type TokenizedText } from './tokenizer';
import { yieldToHost } from '../yieldToHost';

export interface EngineFiles {
  /** model.onnx bytes. */
  model: Uint8Array;
  /** Parsed tokenizer.json. */
  tokenizerJson: unknown;
}

export interface EngineOptions extends InferenceOptions {
  /** Chunk results kept for recompression (default 1024 chunks). */
  cacheEntries?: number;
}

export interface BudgetRequest {
  contexts: string[];
  /** Token budget for the whole output (contexts joined with a blank line). Takes precedence over rate. */
  budget?: number;
  /** Fraction of the original token count to keep when no budget is given (default 0.5). */
  rate?: number;
  tokenizer: BudgetCounterLike;
  forceTokens?: string[];
  forceReserveDigit?: boolean;
  /** Identifier-like words (paths, URLs, ids, versions…) are never dropped while they fit the budget. */
  protectIdentifiers?: boolean;
  tokenToWord?: 'mean' | 'first';
  chunkEndTokens?: string[];
  cancellation?: Cancellation;
  /** Called after each model chunk (cached chunks included). */
  onProgress?: (done: number, total: number) => void;
}

export interface WordLabel {
  context: number;
  /** UTF-16 offsets into contexts[context]. */
  start: number;
  end: number;
  text: string;
  pKeep: number;
  forced: boolean;
  /** Kept because it is identifier-like (protectIdentifiers). */
  protected?: boolean;
  kept: boolean;
}

export interface BudgetResult {
  compressed_prompt: string;
  compressed_prompt_list: string[];
  origin_tokens: number;
  compressed_tokens: number;
  budget: number;
  words: string[];
  labels: number[];
  word_labels: WordLabel[];
  all_fits: boolean;
  chunks: { total: number; cached: number };
  notes: string[];
}

const MAX_TOKENS_PER_CHUNK = 510;
// Content-defined chunk cuts: after MIN tokens, a chunk ends at a chunk-end token whose preceding ids hash to 0
// mod CUT_MODULUS, so an edit changes only the chunks around it and later chunks are served from the cache.
const MIN_TOKENS_PER_CHUNK = 256;
const CUT_MODULUS = 8;
const DIGIT_RE = /\p{Nd}/u;

export class LLMLingua2Engine {
  private readonly cache = new Map<string, Float32Array>();
  private readonly cacheEntries: number;
  private readonly batchSize: number;
  private readonly clsId: number;
  private readonly sepId: number;
  cacheHits = 0;
  modelRuns = 0;
  /** Wall time spent inside the model (for benchmarks: everything else is pre/post-processing). */
  modelMs = 0;
  private inFlight = 0;
  private busySince = 0;

  private constructor(
    readonly tokenizer: ModelTokenizer,
    private readonly model: KeepModel,
    options: EngineOptions,
  ) {
    this.cacheEntries = options.cacheEntries ?? 1024;
    // Measured: padded batches of 4 were 1.5x slower than single runs with int8 on onnxruntime-node (2 cores).
    this.batchSize = Math.max(1, options.batchSize ?? 1);
    const bert = tokenizer.mode === 'bert';
    this.clsId = tokenizer.tokenToId(bert ? '[CLS]' : '<s>');
    this.sepId = tokenizer.tokenToId(bert ? '[SEP]' : '</s>');
  }

  static async create(files: EngineFiles, options: EngineOptions = {}): Promise<LLMLingua2Engine> {
    const tokenizer = new ModelTokenizer(files.tokenizerJson as ConstructorParameters<typeof ModelTokenizer>[0]);
    const model = await createKeepModel(files.model, options);
    return new LLMLingua2Engine(tokenizer, model, options);
  }

  get backend(): BackendKind {
    return this.model.backend;
  }

  /** What runs the model, e.g. "onnxruntime-node webgpu" (with why the GPU is not used, after a fallback). */
  get runtime(): string {
    return this.model.runtime;
  }

  /** Sessions running chunks side by side (a WASM session pool), else 1. */
  get sessions(): number {
    return this.model.parallelism;
  }

  /** p(keep) for an id sequence (CLS…SEP included), served from the content-keyed cache when possible. */
  async keepProbs(ids: readonly number[]): Promise<Float32Array> {
    const key = ids.join(',');
    const hit = this.cache.get(key);
    if (hit) {
      this.cacheHits++;
      // Refresh LRU position.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    this.modelRuns++;
    const probs = await this.timed(this.model.run(ids));
    this.cache.set(key, probs);
    if (this.cache.size > this.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
    return probs;
  }

  /** Adds to modelMs the time during which at least one model run is in flight (runs overlap in a pool). */
  private async timed<T>(run: Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.busySince = performance.now();
    try {
      return await run;
    } finally {
      if (--this.inFlight === 0) this.modelMs += performance.now() - this.busySince;
    }
  }

  /** keepProbs for several sequences: cached ones from the cache, the rest in one padded model run. */
  async keepProbsMany(seqs: readonly (readonly number[])[]): Promise<Float32Array[]> {
    if (seqs.length === 1) {
      return [await this.keepProbs(seqs[0]!)];
    }
    const out: (Float32Array | undefined)[] = seqs.map((ids) => {
      const hit = this.cache.get(ids.join(','));
      if (hit) {
        this.cacheHits++;
      }
      return hit;
    });
    const missing = seqs.map((_, i) => i).filter((i) => !out[i]);
    if (missing.length) {
      this.modelRuns++;
      const res = await this.timed(this.model.runBatch(missing.map((i) => seqs[i]!)));
      missing.forEach((i, k) => {
        out[i] = res[k]!;
        this.cache.set(seqs[i]!.join(','), res[k]!);
        if (this.cache.size > this.cacheEntries) {
          this.cache.delete(this.cache.keys().next().value!);
        }
      });
    }
    return out as Float32Array[];
  }

  /** The reference algorithm (selection "reference"), decision for decision. */
  reference(
    contexts: string | string[],
    settings: ReferenceSettings,
    budget: BudgetCounterLike,
  ): Promise<ReferenceResult> {
    return compressPromptReference(
      { tokenizer: this.tokenizer, keepProbs: (ids) => this.keepProbs(ids) },
      budget,
      contexts,
      settings,
    );
  }

  /** Budget selection (the product default). */
  async compressToBudget(req: BudgetRequest): Promise<BudgetResult> {
    const texts = req.contexts;
    const counter = req.tokenizer;
    const origin = counter.count(joinContexts(texts));
    const budget = Math.max(0, Math.floor(req.budget ?? (req.rate ?? 0.5) * origin));
    const base = {
      compressed_prompt: joinContexts(texts),
      compressed_prompt_list: [...texts],
      origin_tokens: origin,
      compressed_tokens: origin,
      budget,
      chunks: { total: 0, cached: 0 },
    };
    if (origin <= budget) {
      // Everything fits: no model run at all.
      const wl = texts.flatMap((t, c) => this.words(t, c));
      return {
        ...base,
        words: wl.map((w) => w.text),
        labels: wl.map(() => 1),
        word_labels: wl.map((w) => ({ ...w, pKeep: 1, kept: true })),
        all_fits: true,
        notes: ['already within budget; returned unchanged'],
      };
    }
    const force = new Set(req.forceTokens ?? []);
    const chunkEnd = new Set(req.chunkEndTokens ?? ['.', '\n']);
    const tokenized = texts.map((t) => this.tokenizer.tokenize(t));
    const plans = tokenized.map((tk, c) => this.planChunks(texts[c]!, tk, chunkEnd));
    const totalChunks = plans.reduce((n, p) => n + p.length, 0);
    let done = 0;
    const allProbs = tokenized.map((tk) => new Float32Array(tk.ids.length));
    const jobs = plans.flatMap((plan, c) =>
      plan.map(([st, ed]) => ({ c, st, ed, ids: [this.clsId, ...tokenized[c]!.ids.slice(st, ed), this.sepId] })),
    );
    const hitsBefore = this.cacheHits;
    let next = 0;
    // One lane per session of the model (a session pool runs chunks side by side): each lane takes the next chunks
    // as soon as its last ones are done, so sessions never wait for each other.
    let failed = false;
    const lane = async () => {
      while (next < jobs.length && !failed) {
        if (req.cancellation?.isCancellationRequested) {
          throw new CancelledError();
        }
        const batch = jobs.slice(next, next + this.batchSize);
        next += batch.length;
        const results = await this.keepProbsMany(batch.map((b) => b.ids));
        batch.forEach((b, k) => {
          allProbs[b.c]!.set(results[k]!.subarray(1, 1 + b.ed - b.st), b.st);
          req.onProgress?.(++done, totalChunks);
        });
        // Let queued messages (a cancel in a web worker, UI work in-thread) run between chunks.
        await yieldToHost();
      }
    };
    // A lane that fails stops the others at their next chunk.
    await Promise.all(
      Array.from({ length: this.model.parallelism }, () =>
        lane().catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
    const cached = this.cacheHits - hitsBefore;
    if (req.cancellation?.isCancellationRequested) throw new CancelledError();
    const words: (BudgetWord & { text: string })[] = [];
    texts.forEach((t, c) => {
      for (const w of this.words(t, c, { tk: tokenized[c]!, probs: allProbs[c]! }, req.tokenToWord ?? 'mean')) {
        const isProtected = !!req.protectIdentifiers && isIdentifierLike(w.core);
        const forced =
          isProtected || force.has(w.text) || force.has(w.core) || (!!req.forceReserveDigit && DIGIT_RE.test(w.text));
        words.push({
          ...w,
          forced,
          ...(isProtected ? { protected: true } : {}),
          ...(forced ? { modelPKeep: w.pKeep } : {}),
          pKeep: forced ? 1 : w.pKeep,
        });
      }
    });
    let target = budget;
    const rateNotes: string[] = [];
    if (req.budget === undefined && words.some((w) => w.protected)) {
      // A rate applies to the rest: protected identifiers are kept outside it (a budget, by contrast, is a limit).
      const idsOnly = counter.count(
        joinContexts(
          renderContexts(
            texts,
            words,
            words.map((w) => !!w.protected),
          ),
        ),
      );
      target = Math.floor(idsOnly + (req.rate ?? 0.5) * Math.max(0, origin - idsOnly));
      rateNotes.push(`protected identifiers (${idsOnly} tokens) kept outside the rate`);
    }
    const sel = selectWithinBudget(texts, words, target, counter);
    return {
      ...base,
      compressed_prompt: joinContexts(sel.texts),
      compressed_prompt_list: sel.texts,
      compressed_tokens: sel.tokens,
      words: words.map((w) => w.text),
      labels: sel.kept.map((k) => (k ? 1 : 0)),
      word_labels: words.map((w, i) => ({
        context: w.context,
        start: w.start,
        end: w.end,
        text: w.text,
        pKeep: w.pKeep,
        forced: w.forced,
        ...(w.protected ? { protected: true } : {}),
        kept: sel.kept[i]!,
      })),
      budget: target,
      all_fits: sel.allFits,
      chunks: { total: totalChunks, cached },
      notes: [...rateNotes, ...sel.notes],
    };
  }

  /** Forgets cached chunk results (benchmarks measure cold runs with it). */
  clearCache(): void {
    this.cache.clear();
  }

  async dispose(): Promise<void> {
    this.cache.clear();
    await this.model.release();
  }

  /** Token index ranges [start, end) of the model chunks of one context. */
  planChunks(text: string, tk: TokenizedText, chunkEnd: Set<string>): [number, number][] {
    const n = tk.ids.length;
    const isEnd = (i: number) => {
      const t = tk.tokens[i]!.replace(/^(##|\u2581)+/, '');
      if (chunkEnd.has(t)) return true;
      if (chunkEnd.has('\n')) {
        const gapEnd = i + 1 < n ? tk.starts[i + 1]! : text.length;
        return text.slice(tk.ends[i]!, gapEnd).includes('\n');
      }
      return false;
    };
    const out: [number, number][] = [];
    let st = 0;
    let lastCand = -1;
    for (let i = 0; i < n; i++) {
      const len = i - st + 1;
      if (isEnd(i)) {
        lastCand = i;
        if (len >= MIN_TOKENS_PER_CHUNK && hashIds(tk.ids, i) % CUT_MODULUS === 0) {
          out.push([st, i + 1]);
          st = i + 1;
          lastCand = -1;
          continue;
        }
      }
      if (len === MAX_TOKENS_PER_CHUNK) {
        const cut = lastCand >= st ? lastCand : i;
        out.push([st, cut + 1]);
        st = cut + 1;
        lastCand = -1;
        i = cut;
      }
    }
    if (st < n) out.push([st, n]);
    return out;
  }

  /**
   * Whole-word atoms (atoms.ts) with p(keep) pooled over the model tokens that overlap each: the mean (the
   * reference's token_to_word) or the first token's. Selection keeps or drops atoms, never pieces of one.
   */
  private words(
    text: string,
    context: number,
    scores?: { tk: TokenizedText; probs: Float32Array },
    mode: 'mean' | 'first' = 'mean',
  ): (BudgetWord & { text: string; core: string })[] {
    const out: (BudgetWord & { text: string; core: string })[] = [];
    const n = scores?.tk.ids.length ?? 0;
    let t = 0; // first token that may still overlap the current atom
    for (const a of splitAtoms(text)) {
      const ps: number[] = [];
      if (scores) {
        const { tk, probs } = scores;
        while (t < n && tk.ends[t]! <= a.start) t++;
        for (let k = t; k < n && tk.starts[k]! < a.end; k++) {
          // A bare "▁" carries no text; its probability would only blur the word's.
          if (tk.starts[k]! < tk.ends[k]! && tk.ends[k]! > a.start) ps.push(probs[k]!);
        }
      }
      const p = ps.length === 0 ? 1 : mode === 'first' ? ps[0]! : ps.reduce((x, y) => x + y, 0) / ps.length;
      out.push({
        context,
        start: a.start,
        end: a.end,
        text: text.slice(a.start, a.end),
        core: text.slice(a.coreStart, a.coreEnd),
        pKeep: p,
        forced: false,
      });
    }
    return out;
  }
}

function hashIds(ids: readonly number[], end: number): number {
  let h = 2166136261;
  for (let k = Math.max(0, end - 7); k <= end; k++) {
    h ^= ids[k]!;
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 1000003;
}

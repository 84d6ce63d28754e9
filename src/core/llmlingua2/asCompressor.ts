// Adapter: the LLMLingua-2 engine behind the shared Compressor interface (budget selection).
import type { CompressionRequest, CompressionResult, Compressor, Segment } from '../compressor';
import type { BudgetResult, LLMLingua2Engine } from './engine';

export interface LLMLingua2CompressorOptions {
  /** Words always kept in addition to request.forceTokens. */
  forceTokens?: string[];
  tokenToWord?: 'mean' | 'first';
  /**
   * Milliseconds without a request after which the engine is disposed (its worker and the 0.5-2 GB a loaded model
   * holds are freed) and loaded again on the next request; read after each request. 0 or absent: kept loaded.
   */
  unloadAfterMs?: () => number;
  /** The idle timer's clock; tests pass a manual one so nothing depends on how busy the machine is. */
  timers?: IdleTimers;
}

export interface IdleTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: IdleTimers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    // An idle model must not keep a CLI or test process alive.
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * `engine` is an engine or a lazy loader (e.g. `() => loadEngineFromFolder(dir)` in Node, or a worker client);
 * the loader runs on first use, and again after an idle unload or a failed load.
 */
export function createLLMLingua2Compressor<E extends EngineLike = EngineLike>(
  engine: E | (() => Promise<E>),
  options: LLMLingua2CompressorOptions = {},
): Compressor & {
  readonly loaded: boolean;
  /** Runs `fn` on the engine, loading it if needed; the idle timer starts when the last use ends. */
  use<T>(fn: (engine: E) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
} {
  let pending: Promise<E> | undefined;
  let active = 0;
  let idleTimer: unknown;
  const timers = options.timers ?? REAL_TIMERS;
  const get = () => {
    if (!pending) {
      const p = typeof engine === 'function' ? engine() : Promise.resolve(engine);
      // A model that failed to load is tried again on the next request (e.g. after the folder was fixed).
      p.catch(() => pending === p && (pending = undefined));
      pending = p;
    }
    return pending;
  };
  async function use<T>(fn: (engine: E) => Promise<T>): Promise<T> {
    timers.clear(idleTimer);
    active++;
    try {
      let e = await get();
      if (e.closed) {
        // Its worker died (or was stopped): load a new one.
        if (pending && (await pending) === e) pending = undefined;
        e = await get();
      }
      return await fn(e);
    } finally {
      const ms = options.unloadAfterMs?.() ?? 0;
      if (--active === 0 && ms > 0 && typeof engine === 'function') {
        idleTimer = timers.set(() => void unload(), ms);
      }
    }
  }
  const unload = async () => {
    const p = pending;
    pending = undefined;
    const e = await p?.catch(() => undefined);
    await e?.dispose?.();
  };
  return {
    id: 'llmlingua2',
    get loaded() {
      return pending !== undefined;
    },
    use,
    compress: (request: CompressionRequest) => use((e) => compressWith(e, request)),
    dispose: () => {
      timers.clear(idleTimer);
      return unload();
    },
  };

  async function compressWith(e: EngineLike, request: CompressionRequest): Promise<CompressionResult> {
    const r = await e.compressToBudget({
      contexts: [request.text],
      budget: request.budget,
      rate: request.rate,
      tokenizer: request.tokenizer,
      forceTokens: [...(options.forceTokens ?? []), ...(request.forceTokens ?? [])],
      forceReserveDigit: request.keepDigits,
      protectIdentifiers: request.protectIdentifiers,
      tokenToWord: options.tokenToWord,
      cancellation: request.cancellation,
      onProgress: request.onProgress,
    });
    return toCompressionResult(request.text, r);
  }
}

/** What the adapter needs; satisfied by LLMLingua2Engine and by the worker client. */
export interface EngineLike {
  compressToBudget: LLMLingua2Engine['compressToBudget'];
  /** Set when a worker-backed engine can no longer answer (see EngineClient). */
  readonly closed?: Error;
  dispose?(): void | Promise<void>;
}

/** Segments cover the source in order: each word, and each gap (kept only when both neighbours were kept). */
export function toCompressionResult(text: string, r: BudgetResult): CompressionResult {
  const segments: Segment[] = [];
  let cursor = 0;
  let prevKept = true;
  let protectedTotal = 0;
  let protectedKept = 0;
  for (const w of r.word_labels) {
    if (w.protected) {
      protectedTotal++;
      if (w.kept) protectedKept++;
    }
    if (w.context !== 0) continue;
    if (w.start > cursor) {
      segments.push({ start: cursor, end: w.start, status: prevKept && w.kept ? 'kept' : 'dropped' });
    }
    segments.push({ start: w.start, end: w.end, status: w.kept ? 'kept' : 'dropped', pKeep: w.pKeep });
    cursor = w.end;
    prevKept = w.kept;
  }
  if (cursor < text.length) segments.push({ start: cursor, end: text.length, status: prevKept ? 'kept' : 'dropped' });
  return {
    text: r.compressed_prompt,
    originalTokens: r.origin_tokens,
    compressedTokens: r.compressed_tokens,
    method: r.all_fits ? 'none' : 'llmlingua2',
    segments,
    notes: r.notes,
    ...(protectedKept < protectedTotal ? { protectedKept: { kept: protectedKept, total: protectedTotal } } : {}),
  };
}

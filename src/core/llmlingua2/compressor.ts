// Adapter: the LLMLingua-2 engine behind the shared Compressor interface (budget selection).
import type { CompressionRequest, CompressionResult, Compressor, Segment } from '../compress/types';
import type { BudgetResult, LLMLingua2Engine } from './engine';

export interface LLMLingua2CompressorOptions {
  /** Words always kept in addition to request.forceTokens. */
  forceTokens?: string[];
  tokenToWord?: 'mean' | 'first';
}

/**
 * `engine` is an engine or a lazy loader (e.g. `() => loadEngineFromFolder(dir)` in Node, or a worker client);
 * the loader runs once, on first use.
 */
export function createLLMLingua2Compressor(
  engine: LLMLingua2Engine | (() => Promise<LLMLingua2Engine>) | EngineLike | (() => Promise<EngineLike>),
  options: LLMLingua2CompressorOptions = {},
): Compressor {
  let pending: Promise<EngineLike> | undefined;
  const get = () => (pending ??= typeof engine === 'function' ? engine() : Promise.resolve(engine));
  return {
    id: 'llmlingua2',
    async compress(request: CompressionRequest): Promise<CompressionResult> {
      const e = await get();
      const r = await e.compressToBudget({
        contexts: [request.text],
        budget: request.budget,
        rate: request.rate,
        tokenizer: request.tokenizer,
        forceTokens: [...(options.forceTokens ?? []), ...(request.forceTokens ?? [])],
        forceReserveDigit: request.keepDigits,
        tokenToWord: options.tokenToWord,
        cancellation: request.cancellation,
        onProgress: request.onProgress,
      });
      return toCompressionResult(request.text, r);
    },
  };
}

/** What the adapter needs; satisfied by LLMLingua2Engine and by the worker client. */
export interface EngineLike {
  compressToBudget: LLMLingua2Engine['compressToBudget'];
}

/** Segments cover the source in order: each word, and each gap (kept only when both neighbours were kept). */
export function toCompressionResult(text: string, r: BudgetResult): CompressionResult {
  const segments: Segment[] = [];
  let cursor = 0;
  let prevKept = true;
  for (const w of r.word_labels) {
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
  };
}

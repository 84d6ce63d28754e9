// A stand-in LLMLingua-2 for planner and service tests: it keeps the first `rate` share of the text (no model run).
import type { Compressor } from '../../src/core/compressor';

export interface PrefixModelOptions {
  /** Sees "rate|length" per call. */
  onRun?: (key: string) => void;
  /** What the stand-in says, as the real model's notes (its runtime, its rungs). */
  notes?: string[];
  /** The share kept when a request gives no rate. Default 1. */
  defaultRate?: number;
}

export function prefixModel(options: PrefixModelOptions = {}): Compressor {
  return {
    id: 'llmlingua2',
    compress: (r) => {
      options.onRun?.(`${r.rate}|${r.text.length}`);
      const text = r.text.slice(0, Math.floor(r.text.length * (r.rate ?? options.defaultRate ?? 1)));
      return Promise.resolve({
        text,
        originalTokens: 0,
        compressedTokens: 0,
        method: 'llmlingua2',
        segments: [{ start: 0, end: text.length, status: 'kept' as const }],
        notes: [...(options.notes ?? [])],
      });
    },
  };
}

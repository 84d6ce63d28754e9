// The one interface every compressor (structural, LLMLingua-2, prose trimming) implements,
// so the budget packer, the CLI, the webview and the chat participant treat them alike.
import type { Cancellation } from './tokens/count';
import type { Tokenizer } from './tokens/tokenizers';

/** A piece of the source text and what happened to it. Offsets are UTF-16 indices into the source. */
export interface Segment {
  start: number;
  end: number;
  /** kept: copied verbatim; dropped: removed word(s); elided: replaced by a marker (e.g. a function body). */
  status: 'kept' | 'dropped' | 'elided';
  /** p(keep) from a model, when one produced the decision. */
  pKeep?: number;
  /** Text that replaces an elided range in the output (e.g. "{ … }"). */
  replacement?: string;
}

/** Words LLMLingua-2 keeps whatever their score (structural compression has no word-level choice to make). */
export interface WordRules {
  /** Words that must survive (LLMLingua-2 force_tokens). */
  forceTokens?: string[];
  keepDigits?: boolean;
  /** Identifier-like words (paths, URLs, versions, ids, hashes, snake/camel/dotted names, flags) are never dropped. */
  protectIdentifiers?: boolean;
}

/** The rules that are set, to spread into a request. */
export function wordRulesOf(r: WordRules): WordRules {
  return {
    ...(r.forceTokens?.length ? { forceTokens: r.forceTokens } : {}),
    ...(r.keepDigits ? { keepDigits: true } : {}),
    ...(r.protectIdentifiers ? { protectIdentifiers: true } : {}),
  };
}

export interface CompressionRequest extends WordRules {
  text: string;
  /** Language id (VS Code's ids: typescript, python, markdown, plaintext, …) or undefined when unknown. */
  languageId?: string;
  /** Target size in `tokenizer` tokens. Exactly one of budget / rate is set. */
  budget?: number;
  rate?: number;
  tokenizer: Tokenizer;
  cancellation?: Cancellation;
  onProgress?: (done: number, total: number) => void;
}

export interface CompressionResult {
  /** The compressed text. */
  text: string;
  originalTokens: number;
  compressedTokens: number;
  /** Which compressor made it, e.g. "structural:signatures", "llmlingua2", "prose:paragraphs", "none". */
  method: string;
  /** Ordered, non-overlapping, covering the source; used for the kept/dropped view. */
  segments: Segment[];
  /** Human-readable notes (why a level was chosen, fallbacks taken). */
  notes: string[];
  /** Protected identifiers kept of those in the text, when some had to go (they alone exceeded the budget). */
  protectedKept?: { kept: number; total: number };
}

export interface Compressor {
  readonly id: string;
  compress(request: CompressionRequest): Promise<CompressionResult>;
  /** Frees what the compressor holds (a model and its worker); a later compress loads it again. */
  dispose?(): void | Promise<void>;
}

// What an encoder run gives back, shared by the compressor's worker (llmlingua2, below) and the prompt selector
// (idp, above): the worker serves an encoder without importing anything from the room above it.
import type { EncoderOutputs } from './graph';

/** Per-token hidden states of one text: [tokens × dim]. */
export interface HiddenStates {
  data: Float32Array;
  tokens: number;
  dim: number;
}

/** [start, end) token indices. */
export type Span = readonly [number, number];

export interface AttentionResult {
  /** [T × T], last layer, mean over heads. */
  attention: Float32Array;
  tokens: number;
  promptSpans: Span[];
  input: Span;
}

/** What the compressor's worker serves from a loaded encoder (idp's OnnxPromptEncoder is one). */
export interface EncoderService {
  readonly outputs: EncoderOutputs;
  encode(text: string): Promise<HiddenStates>;
  /** Runs prompts then input as one sequence; undefined when the graph has no attention output. */
  attend?(prompts: readonly string[], input: string): Promise<AttentionResult>;
}

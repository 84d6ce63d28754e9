// Picks the prompt scorer for a request: the compressor model's encoder (IDP attention, or cosine when the graph
// has no attention output) when an LLMLingua-2 model is configured, else BM25. The encoder runs in the
// compressor's worker; a model that fails to load falls back to BM25 with a note instead of failing the request.
import { LexicalRanker, type PromptEntry, type PromptScorer } from '../core/idp';
import { encoderScorer } from '../core/idp/encoder';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';

export type SelectorChoice = 'auto' | 'lexical' | 'encoder';

export class ScorerProvider {
  /** @param encoder the installed model's prompt encoder (it runs in the compressor's worker) */
  constructor(private readonly encoder: () => Promise<OnnxPromptEncoder>) {}

  async scorer(
    prompts: readonly PromptEntry[],
    choice: SelectorChoice,
    modelPath: string,
  ): Promise<{ scorer: PromptScorer; note?: string }> {
    if (choice === 'lexical' || (choice === 'auto' && !modelPath)) return { scorer: new LexicalRanker(prompts) };
    if (!modelPath) {
      return {
        scorer: new LexicalRanker(prompts),
        note: 'The encoder selector needs an LLMLingua-2 model (contextBudget.compression.modelPath); using BM25.',
      };
    }
    try {
      const encoder = await this.encoder();
      return { scorer: encoderScorer(prompts, encoder) };
    } catch (e) {
      return {
        scorer: new LexicalRanker(prompts),
        note: `The prompt encoder could not load (${e instanceof Error ? e.message : String(e)}); using BM25.`,
      };
    }
  }
}

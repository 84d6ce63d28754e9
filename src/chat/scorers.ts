// Picks the prompt scorer for a request. `auto` is BM25: it is the ranker measured on the labelled requests
// (70.8% top-1 held out); the compressor model's encoder (IDP attention, or cosine when the graph has no attention
// output) has not been measured better on a real model, so it runs only when `contextBudget.prompts.selector` is
// `encoder`. It runs in the compressor's worker; a model that fails to load, or a pool too large for its 512
// positions, falls back to BM25 with a note instead of failing the request.
import { LexicalRanker, type PromptEntry, type PromptScorer } from '../core/idp';
import { encoderScorer } from '../core/idp/encoder';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';

export type SelectorChoice = 'auto' | 'lexical' | 'encoder';

export interface ChosenScorer {
  scorer: PromptScorer;
  /** Scores instead when `scorer` fails at selection time (BM25 behind the encoder). */
  fallback?: PromptScorer;
  note?: string;
}

export class ScorerProvider {
  /** @param encoder the installed model's prompt encoder (it runs in the compressor's worker) */
  constructor(private readonly encoder: () => Promise<OnnxPromptEncoder>) {}

  async scorer(prompts: readonly PromptEntry[], choice: SelectorChoice, modelPath: string): Promise<ChosenScorer> {
    const lexical = new LexicalRanker(prompts);
    if (choice !== 'encoder') return { scorer: lexical };
    if (!modelPath) {
      return {
        scorer: lexical,
        note: 'The encoder selector needs an LLMLingua-2 model (contextBudget.compression.modelPath); using BM25.',
      };
    }
    try {
      const encoder = await this.encoder();
      return { scorer: encoderScorer(prompts, encoder), fallback: lexical };
    } catch (e) {
      return {
        scorer: lexical,
        note: `The prompt encoder could not load (${e instanceof Error ? e.message : String(e)}); using BM25.`,
      };
    }
  }
}

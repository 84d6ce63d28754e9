// Picks the prompt scorer for a request: the compressor model's encoder (IDP attention, or cosine when the graph
// has no attention output) when an LLMLingua-2 model is configured, else BM25. The encoder is loaded once per
// model folder; a model that fails to load falls back to BM25 with a note instead of failing the request.
import * as vscode from 'vscode';
import { LexicalRanker, type PromptEntry, type PromptScorer } from '../core/idp';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';
import { modelFolderUri, readModelFolder } from '../modelFolder';

export type SelectorChoice = 'auto' | 'lexical' | 'encoder';

async function loadEncoder(modelPath: string, wasmPaths: string): Promise<OnnxPromptEncoder> {
  const { model, tokenizerJson } = await readModelFolder(modelFolderUri(modelPath));
  // Loaded on demand: ONNX Runtime is only needed once a model is installed.
  const { createOnnxPromptEncoder } = await import('../core/idp/onnxEncoder');
  return createOnnxPromptEncoder({ id: `${modelPath}:${model.byteLength}`, model, tokenizerJson, wasmPaths });
}

export class ScorerProvider implements vscode.Disposable {
  private loaded: { path: string; encoder: Promise<OnnxPromptEncoder> } | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

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
    if (this.loaded?.path !== modelPath) {
      void this.release();
      // onnxruntime-web's WASM and glue ship in dist/ort (esbuild.mjs), like the LLMLingua-2 engine's.
      const encoder = loadEncoder(modelPath, `${vscode.Uri.joinPath(this.extensionUri, 'dist', 'ort').toString()}/`);
      this.loaded = { path: modelPath, encoder };
      encoder.catch(() => {
        if (this.loaded?.encoder === encoder) this.loaded = undefined;
      });
    }
    try {
      const encoder = await this.loaded!.encoder;
      const { encoderScorer } = await import('../core/idp/onnxEncoder');
      return { scorer: encoderScorer(prompts, encoder) };
    } catch (e) {
      return {
        scorer: new LexicalRanker(prompts),
        note: `The prompt encoder could not load (${e instanceof Error ? e.message : String(e)}); using BM25.`,
      };
    }
  }

  private async release(): Promise<void> {
    const old = this.loaded;
    this.loaded = undefined;
    await old?.encoder.then((e) => e.release()).catch(() => undefined);
  }

  dispose(): void {
    void this.release();
  }
}

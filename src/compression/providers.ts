// The compressor providers the extension offers: structural (everywhere, offline) and LLMLingua-2 (when a
// model folder is configured and the platform can load it).
// The worker-backed model compressor both hosts build their factory on is in ./workerModelCompressor.ts.
import * as vscode from 'vscode';
import type { CompressorProvider } from './service';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';
import { createStructuralCompressor } from '../core/structural';
import type { Compressor } from '../core/compressor';
import type { DevicePreference } from '../core/llmlingua2/device';

export function structuralProvider(extensionUri: vscode.Uri): CompressorProvider {
  let compressor: Compressor | undefined;
  return {
    info: () => ({
      id: 'structural',
      label: vscode.l10n.t('Structural (offline)'),
      available: true,
      detail: vscode.l10n.t('tree-sitter: comments, bodies, outline; never runs a model'),
    }),
    async get() {
      // Grammar WASM ships in dist/tree-sitter (see esbuild.mjs). workspace.fs reads the extension's files in
      // both hosts, whatever the scheme (file on desktop, vscode-remote or https in the browser).
      const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'tree-sitter');
      compressor ??= createStructuralCompressor({
        readWasm: async (name) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name)),
      });
      return compressor;
    },
  };
}

export interface ModelCompressorOptions {
  /** Idle time before the model is freed (0: kept); read after each request. */
  unloadAfterMs: () => number;
  /** WASM sessions side by side when the model runs on WASM; read at each load. */
  wasmSessions: () => number;
  /** contextBudget.compression.device (GPU or CPU); read at each load. */
  device: () => DevicePreference;
}

/** Loads a model compressor from a folder; only the Node host can read model folders today. */
export type ModelCompressorFactory = (modelPath: string, options: ModelCompressorOptions) => ModelCompressor;

/** A model compressor that also lends its model to the chat's prompt encoder (IDP), in the same worker. */
export interface ModelCompressor extends Compressor {
  dispose(): void | Promise<void>;
  promptEncoder(): Promise<OnnxPromptEncoder>;
}

export function modelProvider(
  modelPath: () => string,
  factory: ModelCompressorFactory | undefined,
  options: ModelCompressorOptions = { unloadAfterMs: () => 0, wasmSessions: () => 1, device: () => 'auto' },
): CompressorProvider & { promptEncoder(): Promise<OnnxPromptEncoder>; dispose(): void } {
  let loaded: { path: string; compressor: ModelCompressor } | undefined;
  const info = () => {
    const path = modelPath();
    const available = !!path && !!factory;
    const detail = !factory
      ? vscode.l10n.t('not available in this extension host')
      : path
        ? vscode.l10n.t('model in {0}', path)
        : vscode.l10n.t('no model installed (set contextBudget.compression.modelPath)');
    return { id: 'llmlingua2' as const, label: vscode.l10n.t('LLMLingua-2 model'), available, detail };
  };
  const current = (): ModelCompressor => {
    const path = modelPath();
    if (!path || !factory) {
      throw new Error(`LLMLingua-2 is not available: ${info().detail}`);
    }
    if (loaded?.path !== path) {
      // The previous model's worker (and its memory) goes with it.
      void loaded?.compressor.dispose();
      loaded = { path, compressor: factory(path, options) };
    }
    return loaded.compressor;
  };
  return {
    info,
    get: async () => current(),
    /** The chat's prompt encoder on the installed model, in the compressor's worker. */
    promptEncoder: async () => current().promptEncoder(),
    /** Frees the loaded model now (the setting changed, or the extension stops); the next use loads it again. */
    dispose: () => {
      void loaded?.compressor.dispose();
      loaded = undefined;
    },
  };
}

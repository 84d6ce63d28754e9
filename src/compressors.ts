// The compressor providers the extension offers: structural (everywhere, offline) and LLMLingua-2 (when a
// model folder is configured and the platform can load it).
import * as vscode from 'vscode';
import type { CompressorProvider } from './compression';
import type { OnnxPromptEncoder } from './core/idp/onnxEncoder';
import { remotePromptEncoder, type EncoderCalls } from './core/idp/remoteEncoder';
import { createLLMLingua2Compressor, type EngineLike } from './core/llmlingua2/compressor';
import { createStructuralCompressor } from './core/structural';
import type { Compressor } from './core/compress/types';

export function structuralProvider(extensionUri: vscode.Uri): CompressorProvider {
  let compressor: Compressor | undefined;
  return {
    info: () => ({
      id: 'structural',
      label: 'Structural (offline)',
      available: true,
      detail: 'tree-sitter: comments, bodies, outline',
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
  options: ModelCompressorOptions = { unloadAfterMs: () => 0, wasmSessions: () => 1 },
): CompressorProvider & { promptEncoder(): Promise<OnnxPromptEncoder>; dispose(): void } {
  let loaded: { path: string; compressor: ModelCompressor } | undefined;
  const info = () => {
    const path = modelPath();
    const available = !!path && !!factory;
    const detail = !factory
      ? 'not available in this extension host'
      : path
        ? `model in ${path}`
        : 'no model installed (set contextBudget.compression.modelPath)';
    return { id: 'llmlingua2' as const, label: 'LLMLingua-2 model', available, detail };
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

/**
 * A model compressor over an engine in a worker (either host): loads on first use, unloads when idle, and says which
 * runtime ran the model (native is several times faster, so users should see which one they got).
 */
export function workerModelCompressor(
  modelPath: string,
  start: () => Promise<LoadableEngine>,
  options: ModelCompressorOptions,
  where = '',
): ModelCompressor {
  let runtime = 'not loaded';
  let loads = 0;
  const inner = createLLMLingua2Compressor(
    async () => {
      const engine = await start();
      try {
        runtime = runtimeLabel(await engine.load()) + where;
        loads++;
      } catch (e) {
        // A model that does not load leaves no worker behind.
        await engine.dispose();
        throw e;
      }
      return engine;
    },
    { unloadAfterMs: options.unloadAfterMs },
  );
  // Encoder calls go through the same lease as compressions: they load the model when needed and keep it loaded.
  const calls: EncoderCalls = {
    encoderOutputs: () => inner.use((e) => e.encoderOutputs()),
    encode: (text) => inner.use((e) => e.encode(text)),
    attend: (prompts, input) => inner.use((e) => e.attend(prompts, input)),
  };
  return {
    id: inner.id,
    dispose: () => inner.dispose(),
    async compress(request) {
      const result = await inner.compress(request);
      return { ...result, notes: [...result.notes, `LLMLingua-2 ran on ${runtime}`] };
    },
    promptEncoder: async () => {
      const outputs = await calls.encoderOutputs();
      // Cached prompt vectors belong to one load of the model (a re-download into the same folder is another model).
      return remotePromptEncoder(`${modelPath}#${loads}`, outputs, calls);
    },
  };
}

/** An engine in a worker: load() starts the model and says which runtime runs it. */
export interface LoadableEngine extends EngineLike, EncoderCalls {
  load(): Promise<{ backend: string; sessions: number }>;
  dispose(): void | Promise<void>;
}

/** What an engine's load() reported, in words. */
function runtimeLabel(loaded: { backend: string; sessions: number }): string {
  if (loaded.backend === 'node') return 'onnxruntime-node (native)';
  return `onnxruntime-web (${loaded.backend}${loaded.sessions > 1 ? `, ${loaded.sessions} sessions side by side` : ''})`;
}

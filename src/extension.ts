// Node extension host entry (desktop, code-server, remote).
import type * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from './activate';
import { nodeModelCompressor } from './node/nodeModelCompressor';
import { downloadCompressorModel, type DownloadRequest } from './node/modelDownload';
import { WorkerCounter } from './node/workerCounter';

export function activate(context: vscode.ExtensionContext): ContextBudgetApi {
  const api = activateContextBudget(context, {
    offThreadCounter: new WorkerCounter(),
    modelCompressor: nodeModelCompressor,
    downloadModel: (storage, request) => downloadCompressorModel(storage, request as DownloadRequest),
  });
  // The rank tables (dist/tokenizers.js, 7.6 MB) load on the first count, not with this bundle (esbuild.mjs).
  const rankTablesLoaded = Object.keys(require.cache).some((file) => /[\\/]tokenizers\.js$/.test(file));
  const timings = api.timings();
  return { ...api, timings: () => ({ ...timings, rankTablesLoaded }) };
}

export function deactivate(): void {}

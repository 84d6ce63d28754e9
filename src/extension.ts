// Node extension host entry (desktop, code-server, remote).
import type * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from './activate';
import { nodeModelCompressor } from './node/nodeModelCompressor';
import { downloadCompressorModel, type DownloadRequest } from './node/modelDownload';
import { WorkerCounter } from './node/workerCounter';

export function activate(context: vscode.ExtensionContext): ContextBudgetApi {
  return activateContextBudget(context, {
    offThreadCounter: new WorkerCounter(),
    modelCompressor: nodeModelCompressor,
    downloadModel: (storage, request) => downloadCompressorModel(storage, request as DownloadRequest),
  });
}

export function deactivate(): void {}

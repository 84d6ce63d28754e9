// Node extension host entry (desktop, code-server, remote).
import type * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from './activate';
import { nodeModelCompressor } from './node/modelCompressor';
import { WorkerCounter } from './node/workerCounter';

export function activate(context: vscode.ExtensionContext): ContextBudgetApi {
  return activateContextBudget(context, { offThreadCounter: new WorkerCounter(), modelCompressor: nodeModelCompressor });
}

export function deactivate(): void {}

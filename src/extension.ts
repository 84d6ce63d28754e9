// Node extension host entry (desktop, code-server, remote).
import type * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from './activate';
import { WorkerCounter } from './node/workerCounter';

export function activate(context: vscode.ExtensionContext): ContextBudgetApi {
  return activateContextBudget(context, { offThreadCounter: new WorkerCounter() });
}

export function deactivate(): void {}

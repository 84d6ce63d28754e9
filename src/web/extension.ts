// Browser extension host entry (vscode.dev): no worker_threads, so counting yields between pieces instead.
import type * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from '../activate';
import { webModelCompressor } from './webModelCompressor';

export function activate(context: vscode.ExtensionContext): ContextBudgetApi {
  return activateContextBudget(context, { modelCompressor: webModelCompressor(context.extensionUri) });
}

export function deactivate(): void {}

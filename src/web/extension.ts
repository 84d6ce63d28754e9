// Browser extension host entry (vscode.dev): no worker_threads, so counting yields between pieces instead.
import * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from '../activate';
import { setTokenizersSource } from './tokenizersSource';
import { webModelCompressor } from './webModelCompressor';

export function activate(context: vscode.ExtensionContext): ContextBudgetApi {
  // The rank tables are read on the first count, not with this bundle.
  setTokenizersSource(async () => vscode.workspace.fs.readFile(tokenizersBundle(context.extensionUri)));
  return activateContextBudget(context, { modelCompressor: webModelCompressor(context.extensionUri) });
}

export function deactivate(): void {}

/** The browser's tokenizers bundle (see tokenizersSource.ts), also handed to the LLMLingua-2 web worker. */
function tokenizersBundle(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'tokenizers.js');
}

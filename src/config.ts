// Every setting the extension reads, in one place, with its default.
import * as vscode from 'vscode';
import { DEFAULT_MODEL_ID } from './core/tokens/catalog';

export const SECTION = 'contextBudget';

export interface Settings {
  /** Catalog id (e.g. "gpt-4o") or "lm:<vendor>/<id>" for a VS Code chat model. */
  targetModel: string;
  /** 0 = context window minus reserve. */
  budgetTokens: number;
  reserveTokens: number;
  maxFileSizeBytes: number;
  codeLensEnabled: boolean;
  statusBarEnabled: boolean;
  debounceMs: number;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    targetModel: c.get<string>('targetModel', DEFAULT_MODEL_ID) || DEFAULT_MODEL_ID,
    budgetTokens: Math.max(0, c.get<number>('budgetTokens', 0)),
    reserveTokens: Math.max(0, c.get<number>('reserveTokens', 4096)),
    maxFileSizeBytes: Math.max(1, c.get<number>('maxFileSizeKB', 5120)) * 1024,
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true),
    debounceMs: Math.max(0, c.get<number>('debounceMs', 250)),
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}

export async function setTargetModel(id: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const inspected = c.inspect<string>('targetModel');
  // Write where the user already set it, so a workspace choice is not shadowed by a global write.
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update('targetModel', id, target);
}

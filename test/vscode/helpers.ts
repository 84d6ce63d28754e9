import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ContextBudgetApi } from '../../src/activate';

export const EXTENSION_ID = 'context-budget.context-budget';

export async function api(): Promise<ContextBudgetApi> {
  const ext = vscode.extensions.getExtension<ContextBudgetApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is not open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(doc);
}

/** Updates a setting and returns once its change event went out, so the extension has seen it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('contextBudget');
  if (config.inspect(key)?.globalValue === value) {
    return;
  }
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`contextBudget.${key}`)) {
        sub.dispose();
        resolve();
      }
    });
  });
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  await changed;
}

/** Clears every contextBudget.* setting the extension contributes, so suites cannot leak into each other. */
export async function resetSettings(): Promise<void> {
  const properties = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties;
  for (const key of Object.keys(properties)) {
    await setSetting(key.replace(/^contextBudget\./, ''), undefined);
  }
}

/** Waits for the extension to settle after an event (debounce + count). */
export async function settled(): Promise<ContextBudgetApi> {
  const a = await api();
  await new Promise((r) => setTimeout(r, 50));
  await a.whenIdle();
  return a;
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() - started > timeoutMs) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

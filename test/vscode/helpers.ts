import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ContextBudgetApi } from '../../src/activate';
import type { StatusSnapshot } from '../../src/statusBar';

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

/**
 * Polls until `probe` returns a value (not undefined). On timeout it fails with what it waited for and, when
 * given, what `seen()` last described, so a failure on a busy machine says where the state got stuck.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  seen?: () => string,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() - started > timeoutMs) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${seen()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Fixture texts as on disk, default settings and no open editors (the savings view included): what a suite's tests
 * start from. Documents are restored before the editors close: closing a dirty editor keeps its edits in the
 * workbench (hot exit) where this host no longer sees the document, and the next open shows the edited text.
 */
export async function cleanSlate(): Promise<void> {
  await api();
  await restoreWorkspaceDocuments();
  await resetSettings();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Waits until the status bar shows a snapshot that `accept` takes, and returns it. */
export async function statusWhere(what: string, accept: (s: StatusSnapshot) => boolean): Promise<StatusSnapshot> {
  const a = await api();
  let last = a.status();
  return until(
    `the status bar to show ${what}`,
    async () => {
      await a.whenIdle();
      last = a.status();
      return accept(last) ? last : undefined;
    },
    30_000,
    () => JSON.stringify(last),
  );
}

/** Waits until the status bar text is exactly `text`. */
export function statusShows(text: string): Promise<StatusSnapshot> {
  return statusWhere(JSON.stringify(text), (s) => s.text === text);
}

/**
 * Puts every edited workspace document back to its text on disk, as one edit and a save, and waits until it is
 * clean. Unlike "revert", this does not depend on which editor has focus, which lags on a busy machine.
 */
export async function restoreWorkspaceDocuments(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || doc.uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(doc.uri)) {
      continue;
    }
    const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), disk);
    assert.ok(await vscode.workspace.applyEdit(edit), `restoring ${doc.uri.fsPath}`);
    await doc.save();
    await until(
      `${doc.uri.fsPath} to match the file on disk`,
      () => (!doc.isDirty && doc.getText() === disk ? true : undefined),
      30_000,
      () => `dirty=${doc.isDirty}, ${doc.getText().length} vs ${disk.length} characters`,
    );
  }
}

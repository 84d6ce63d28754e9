// The browser bundle in the web worker extension host: same status bar, CodeLens and compression as Node.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StatusSnapshot } from '../../src/statusBar';
import type { ViewState } from '../../src/webviewProtocol';

async function open(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0]!;
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name)));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v !== undefined) {
      return v;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('browser bundle in the web worker extension host', () => {
  it('runs in the web worker host, not in this Node host', async () => {
    // This host does not know it (getExtension lists the calling host's extensions), yet its commands answer.
    assert.equal(vscode.extensions.getExtension('context-budget.context-budget'), undefined);
    await until('its commands (activation on startup finished)', async () =>
      (await vscode.commands.getCommands(true)).includes('contextBudget.compressContext') ? true : undefined,
    );
  });

  it('status bar counts the active file for the target model', async () => {
    await open('notes.md');
    const s = await until('the status', async () => {
      const snap = await vscode.commands.executeCommand<StatusSnapshot>('contextBudget.showBudget');
      return snap?.text.startsWith('$(file-text)') ? snap : undefined;
    });
    assert.equal(s.text, '$(file-text) 91 / 123,904 · 0.1% · $0.0002');
  });

  it('CodeLens counts Markdown headings', async () => {
    const editor = await open('notes.md');
    const titles = await until('three lenses', async () => {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          editor.document.uri,
          100,
        )) ?? [];
      const t = lenses.map((l) => l.command?.title ?? '').filter((x) => x.endsWith(' tokens'));
      return t.length === 3 ? t : undefined;
    });
    assert.ok(titles.includes('≈ 22 tokens'), titles.join(', '));
  });

  it('Compress Context compresses structurally, with grammars fetched from the extension', async () => {
    const editor = await open('sample.ts');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    // Settings are shared by both hosts: keep 70% of 135 tokens, a budget of 94 the signatures level meets.
    await vscode.workspace
      .getConfiguration('contextBudget')
      .update('compression.rate', 0.7, vscode.ConfigurationTarget.Global);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    await vscode.workspace
      .getConfiguration('contextBudget')
      .update('compression.rate', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(state.error, null);
    assert.equal(state.result?.originalTokens, 135);
    assert.ok((state.result?.compressedTokens ?? Infinity) <= 94, `compressed to ${state.result?.compressedTokens}`);
    assert.match(state.result!.method, /^structural:/, state.result!.notes.join(' | '));
  });
});

// The browser bundle in the web worker extension host: same status bar, CodeLens and compression as Node.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
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

  it('Compress Context runs LLMLingua-2 in a web worker, the model read through workspace.fs', async function () {
    this.timeout(120_000);
    // This suite's bundle is dist/test/vscode-web/index.js; the model folder is a path on the server's file system.
    const root = path.resolve(__dirname, '../../..');
    const modelDir = path.join(root, 'test', 'fixtures', 'llmlingua2', 'tiny-bert-base-multilingual-cased-ref');
    const settings: [string, unknown][] = [
      ['compression.modelPath', modelDir],
      ['compression.compressor', 'llmlingua2'],
      ['compression.mode', 'budget'],
      ['compression.budgetTokens', 40],
    ];
    const cfg = () => vscode.workspace.getConfiguration('contextBudget');
    // An open savings view keeps its own options; a new one starts from the settings.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await open('notes.md');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    for (const [k, v] of settings) await cfg().update(k, v, vscode.ConfigurationTarget.Global);
    let state: ViewState;
    try {
      // Settings reach the web worker host a moment after update() resolves: retry until it compresses to 40.
      state = await until('a budget-40 LLMLingua-2 result', async () => {
        const s = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
        return s.error === null && s.result?.method === 'llmlingua2' && s.result.compressedTokens <= 40 ? s : undefined;
      });
    } finally {
      for (const [k] of settings) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(state.error, null);
    const r = state.result!;
    assert.equal(r.method, 'llmlingua2', r.notes.join(' | '));
    assert.ok(r.compressedTokens <= 40 && r.compressedTokens >= 30, `compressed to ${r.compressedTokens} of 40`);
    assert.ok(
      r.segments.some((s) => s.status === 'dropped' && typeof s.pKeep === 'number'),
      'words dropped, with p(keep)',
    );
    assert.ok(r.notes.includes('LLMLingua-2 ran on onnxruntime-web (wasm) in a web worker'), r.notes.join(' | '));
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, cleanSlate, open, setSetting, statusShows, statusWhere, until } from '../helpers';

/**
 * The savings view opens beside the editor without focus; moves focus group by group to it, as a click into it
 * would (earlier tests may leave empty groups, so its group's number is not known).
 */
async function focusSavingsView(): Promise<void> {
  await until('the savings webview to have focus', async () => {
    if (
      !vscode.window.activeTextEditor &&
      vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview
    ) {
      return true;
    }
    await vscode.commands.executeCommand('workbench.action.focusNextGroup');
    return undefined;
  });
}

describe('status bar budget', () => {
  before(cleanSlate);
  afterEach(cleanSlate);

  it('shows tokens / budget, % of window and cost for the active file (gpt-4o)', async () => {
    await setSetting('targetModel', 'gpt-4o');
    await open('notes.md');
    // 91 o200k tokens; budget 128,000 - 4,096 reserve; 91/128,000 = 0.07%; 91 × $2.50/M.
    const s = await statusShows('$(file-text) 91 / 123,904 · 0.1% · $0.0002');
    assert.equal(s.level, 'ok');
    assert.match(s.tooltip, /GPT-4o/);
  });

  it('switches model through settings and recounts with its tokenizer and window', async () => {
    await open('sample.ts');
    await setSetting('targetModel', 'gpt-4o');
    await statusShows('$(file-text) 135 / 123,904 · 0.1% · $0.0003');
    await setSetting('targetModel', 'gpt-4');
    // cl100k_base gives 134; window 8,192 - 4,096 reserve.
    await statusShows('$(file-text) 134 / 4,096 · 1.6% · $0.0040');
    await vscode.commands.executeCommand('contextBudget.selectModel', 'claude-sonnet-4');
    // Claude counts are marked approximate.
    await statusWhere('an approximate count against 195,904', (s) =>
      /^\$\(file-text\) ≈\d+ \/ 195,904 · /.test(s.text),
    );
    assert.equal(vscode.workspace.getConfiguration('contextBudget').get('targetModel'), 'claude-sonnet-4');
  });

  it('counts the selection when there is one', async () => {
    const editor = await open('notes.md');
    editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
    // "# Context Budget notes" is 4 o200k tokens.
    await statusShows('$(selection) 4 / 123,904 · 0.0% · $0.0000');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
  });

  it('turns to warning past 80% and error past 100% of the budget', async () => {
    await open('notes.md');
    await setSetting('budgetTokens', 100);
    assert.equal((await statusWhere('91 of a 100-token budget', (s) => / 91 \/ 100 · /.test(s.text))).level, 'warning');
    await setSetting('budgetTokens', 90);
    assert.equal((await statusWhere('91 of a 90-token budget', (s) => / 91 \/ 90 · /.test(s.text))).level, 'error');
  });

  it('keeps the last editor’s count while the savings view has focus, and recounts after Accept there', async () => {
    await setSetting('targetModel', 'gpt-4o');
    await open('sample.ts');
    const full = '$(file-text) 135 / 123,904 · 0.1% · $0.0003';
    await statusShows(full);
    await vscode.commands.executeCommand('contextBudget.compressContext');
    await focusSavingsView();
    const kept = await statusShows(full);
    assert.equal(kept.visible, true);
    // Accept edits the document while the webview keeps focus: the item follows the edit.
    assert.equal(await vscode.commands.executeCommand('contextBudget.savings.accept'), 'replaced');
    assert.equal(vscode.window.activeTextEditor, undefined, 'the webview still has focus');
    const after = await statusWhere('the compressed file’s smaller count', (s) => {
      const m = /^\$\(file-text\) (\d+) \/ 123,904/.exec(s.text);
      return !!m && Number(m[1]) < 135;
    });
    assert.equal(after.visible, true);
  });

  it('hides when the last editor’s tab closes while the savings view has focus', async () => {
    await setSetting('targetModel', 'gpt-4o');
    await open('sample.ts');
    await statusShows('$(file-text) 135 / 123,904 · 0.1% · $0.0003');
    await vscode.commands.executeCommand('contextBudget.compressContext');
    await focusSavingsView();
    await statusShows('$(file-text) 135 / 123,904 · 0.1% · $0.0003');
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('/sample.ts'));
    assert.ok(tab, 'sample.ts has a tab');
    assert.equal(await vscode.window.tabGroups.close(tab), true);
    const s = await statusWhere('the item hidden', (x) => !x.visible);
    assert.equal(s.text, '');
  });

  it('gives a clear message for binary content and for documents over the size limit', async () => {
    const doc = await vscode.workspace.openTextDocument({
      content: 'PK\u0003\u0004\u0000\u0000binary\u0000data',
      language: 'plaintext',
    });
    await vscode.window.showTextDocument(doc);
    await statusShows('$(file-binary) binary file');
    await setSetting('maxFileSizeKB', 1);
    await open('large.txt');
    const s = await statusShows('$(warning) file too large to count');
    assert.match(s.tooltip, /4\.0 KB is over the 1\.0 KB limit/);
  });

  it('counts with a VS Code chat model’s own countTokens and window', async () => {
    await open('notes.md');
    await vscode.commands.executeCommand('contextBudget.selectModel', 'lm:cb-test/scripted-2k');
    // The scripted model counts ceil(434 chars / 3) = 145; window 2,000, reserve capped at half of it.
    const s = await statusShows('$(file-text) 145 / 1,000 · 7.2% · n/a');
    assert.match(s.tooltip, /Scripted 2k/);
  });

  it('survives an unknown model id with a message instead of an exception', async () => {
    await open('notes.md');
    await setSetting('targetModel', 'no-such-model');
    const s = await statusWhere('an error', (x) => x.level === 'error');
    assert.match(s.tooltip, /unknown target model 'no-such-model'/);
  });

  it('never lets a count for an older target replace a newer one (a deliberately slow tokenizer)', async () => {
    const a = await api();
    const gated = () => vscode.commands.executeCommand<{ waiting: number; answered: number }>('cbTest.lm.gatedCounts');
    await open('notes.md');
    const gpt4o = '$(file-text) 91 / 123,904 · 0.1% · $0.0002';
    await statusShows(gpt4o);
    // The gated model holds its countTokens until released: the recount for it stays in flight...
    await vscode.commands.executeCommand('contextBudget.selectModel', 'lm:cb-test/gated-count');
    await until('the gated model to be asked for a count', async () => ((await gated()).waiting ? true : undefined));
    // ...while the user switches back; this newer count lands first. (Not statusShows: it waits for idle, and the
    // older recount may still be in flight.)
    await setSetting('targetModel', 'gpt-4o');
    await until(
      'the gpt-4o count after the switch',
      () => (a.status().text === gpt4o ? true : undefined),
      30_000,
      () => a.status().text,
    );
    // Now the older count answers, with a figure no real count of this file gives.
    const released = await vscode.commands.executeCommand<number>('cbTest.lm.releaseCounts', 7);
    assert.ok(released >= 1, 'the gated count was still waiting');
    await until('the gated model to answer', async () => ((await gated()).answered >= released ? true : undefined));
    await a.whenIdle();
    assert.equal(a.status().text, gpt4o, 'the late count for the older target did not land');
    assert.doesNotMatch(a.status().tooltip, /Gated count/);
  });
});

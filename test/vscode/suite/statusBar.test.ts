import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, open, resetSettings, setSetting, settled } from '../helpers';

describe('status bar budget', () => {
  before(async () => {
    await api();
    await resetSettings();
  });
  afterEach(async () => {
    await resetSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows tokens / budget, % of window and cost for the active file (gpt-4o)', async () => {
    await setSetting('targetModel', 'gpt-4o');
    await open('notes.md');
    const s = (await settled()).status();
    // 91 o200k tokens; budget 128,000 - 4,096 reserve; 91/128,000 = 0.07%; 91 × $2.50/M.
    assert.equal(s.text, '$(file-text) 91 / 123,904 · 0.1% · $0.0002');
    assert.equal(s.level, 'ok');
    assert.match(s.tooltip, /GPT-4o/);
  });

  it('switches model through settings and recounts with its tokenizer and window', async () => {
    await open('sample.ts');
    await setSetting('targetModel', 'gpt-4o');
    assert.equal((await settled()).status().text, '$(file-text) 135 / 123,904 · 0.1% · $0.0003');
    await setSetting('targetModel', 'gpt-4');
    // cl100k_base gives 134; window 8,192 - 4,096 reserve.
    assert.equal((await settled()).status().text, '$(file-text) 134 / 4,096 · 1.6% · $0.0040');
    await vscode.commands.executeCommand('contextBudget.selectModel', 'claude-sonnet-4');
    const claude = (await settled()).status();
    assert.match(claude.text, /^\$\(file-text\) ≈\d+ \/ 195,904 · /, 'Claude counts are marked approximate');
    assert.equal(vscode.workspace.getConfiguration('contextBudget').get('targetModel'), 'claude-sonnet-4');
  });

  it('counts the selection when there is one', async () => {
    const editor = await open('notes.md');
    editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
    const s = (await settled()).status();
    // "# Context Budget notes" is 4 o200k tokens.
    assert.equal(s.text, '$(selection) 4 / 123,904 · 0.0% · $0.0000');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
  });

  it('turns to warning past 80% and error past 100% of the budget', async () => {
    await open('notes.md');
    await setSetting('budgetTokens', 100);
    assert.equal((await settled()).status().level, 'warning');
    await setSetting('budgetTokens', 90);
    const s = (await settled()).status();
    assert.equal(s.level, 'error');
    assert.match(s.text, / 91 \/ 90 · /);
  });

  it('gives a clear message for binary content and for documents over the size limit', async () => {
    const doc = await vscode.workspace.openTextDocument({
      content: 'PK\u0003\u0004\u0000\u0000binary\u0000data',
      language: 'plaintext',
    });
    await vscode.window.showTextDocument(doc);
    let s = (await settled()).status();
    assert.equal(s.text, '$(file-binary) binary file');
    await setSetting('maxFileSizeKB', 1);
    await open('large.txt');
    s = (await settled()).status();
    assert.equal(s.text, '$(warning) file too large to count');
    assert.match(s.tooltip, /4\.0 KB is over the 1\.0 KB limit/);
  });

  it('counts with a VS Code chat model’s own countTokens and window', async () => {
    await open('notes.md');
    await vscode.commands.executeCommand('contextBudget.selectModel', 'lm:cb-test/scripted-2k');
    const s = (await settled()).status();
    // The scripted model counts ceil(434 chars / 3) = 145; window 2,000, reserve capped at half of it.
    assert.equal(s.text, '$(file-text) 145 / 1,000 · 7.2% · n/a');
    assert.match(s.tooltip, /Scripted 2k/);
  });

  it('survives an unknown model id with a message instead of an exception', async () => {
    await open('notes.md');
    await setSetting('targetModel', 'no-such-model');
    const s = (await settled()).status();
    assert.equal(s.level, 'error');
    assert.match(s.tooltip, /unknown target model 'no-such-model'/);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { api, open, resetSettings, setSetting, until, workspaceFile } from '../helpers';

async function tokenLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses =
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return lenses.filter((l) => l.command?.title.endsWith(' tokens'));
}

describe('token CodeLens', () => {
  before(async () => {
    await api();
    await resetSettings();
  });
  afterEach(resetSettings);

  it('shows ≈ N tokens above each Markdown heading, counted for the target model', async () => {
    const editor = await open('notes.md');
    const doc = editor.document;
    const lenses = await until('markdown lenses', async () => {
      const l = await tokenLenses(doc.uri);
      return l.length === 3 ? l : undefined;
    });
    const o200k = await loadTokenizer('o200k_base');
    const starts = lenses.map((l) => l.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(starts, [0, 5, 10], 'one lens per heading');
    for (const lens of lenses) {
      assert.equal(lens.command!.title, `≈ ${o200k.count(doc.getText(lens.range))} tokens`);
    }
    const compression = lenses.find((l) => l.range.start.line === 10)!;
    // The last section is its heading plus one sentence: 22 tokens, not the whole file.
    assert.equal(compression.command!.title, '≈ 22 tokens');

    await setSetting('targetModel', 'gpt-4');
    const cl100k = await loadTokenizer('cl100k_base');
    const switched = await until('recounted lenses', async () => {
      const l = await tokenLenses(doc.uri);
      const first = l.find((x) => x.range.start.line === 0);
      return first && first.command!.title === `≈ ${cl100k.count(doc.getText(first.range))} tokens` ? l : undefined;
    });
    assert.equal(switched.length, 3);
  });

  it('puts lenses on top-level functions, classes and their methods in TypeScript', async function () {
    this.timeout(120_000);
    await open('sample.ts');
    const uri = workspaceFile('sample.ts');
    // The TypeScript server starts lazily; wait for its symbols.
    const lenses = await until(
      'typescript lenses',
      async () => {
        const l = await tokenLenses(uri);
        return l.length >= 5 ? l : undefined;
      },
      90_000,
    );
    const lines = lenses.map((l) => l.range.start.line).sort((a, b) => a - b);
    // parseConfig (2), TokenLedger (7), add (10), total (14), DEFAULT_BUDGET (19); not the private field.
    assert.ok(lines.includes(2) && lines.includes(7) && lines.includes(10) && lines.includes(14), `lines ${lines}`);
    assert.ok(!lines.includes(8), 'fields get no lens');
  });

  it('can be turned off', async () => {
    await open('notes.md');
    await setSetting('codeLens.enabled', false);
    assert.equal((await tokenLenses(workspaceFile('notes.md'))).length, 0);
  });
});

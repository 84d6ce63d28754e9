import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ViewState } from '../../../src/webviewProtocol';
import { CompressionService } from '../../../src/compression/service';
import { modelProvider, structuralProvider } from '../../../src/compression/providers';
import type { StructuralCompressor } from '../../../src/core/structural/index';
import { findCatalogModel } from '../../../src/core/tokens/catalog';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { catalogTarget } from '../../../src/core/tokens/target';
import { SavingsPanel, type PanelDeps } from '../../../src/savings/panel';
import { sourceFromEditor } from '../../../src/savings/sources';
import { cleanSlate, EXTENSION_ID, open, setSetting, until, workspaceFile } from '../helpers';

/** Accept, as the view's button or the palette's "Accept Compressed Context" does it. */
const accept = () => vscode.commands.executeCommand<string | undefined>('contextBudget.savings.accept');

/**
 * The savings panel class opened by this test bundle in the extension host (a real webview, the real compression
 * service): only the view's own script can post to the extension's panel, so tests that post messages use this.
 */
async function ownPanel(editor: vscode.TextEditor) {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const log = vscode.window.createOutputChannel('Context Budget test', { log: true });
  const deps: PanelDeps = {
    extensionUri: ext.extensionUri,
    compression: new CompressionService({
      structural: structuralProvider(ext.extensionUri),
      llmlingua2: modelProvider(() => '', undefined),
    }),
    log,
    target: async () => catalogTarget(findCatalogModel('gpt-4o')!),
    protectIdentifiers: () => false,
    defaultOptions: () => ({
      mode: 'rate',
      rate: 0.5,
      budget: 100,
      compressor: 'auto',
      forceTokens: [],
      keepDigits: false,
    }),
  };
  const p = await SavingsPanel.show(deps, await sourceFromEditor(editor));
  await p.whenComputed();
  return { p, log };
}

describe('Compress Context and the savings panel', () => {
  before(cleanSlate);
  afterEach(cleanSlate);

  it('is contributed as "Compress Context" in the Context Budget category', () => {
    const pkg = vscode.extensions.getExtension('context-budget.context-budget')!.packageJSON;
    const cmd = pkg.contributes.commands.find(
      (c: { command: string }) => c.command === 'contextBudget.compressContext',
    );
    assert.equal(cmd.title, 'Compress Context');
    assert.equal(cmd.category, 'Context Budget');
  });

  it('opens the panel, computes within the budget, and Accept is one undoable edit', async () => {
    const editor = await open('sample.ts');
    const original = editor.document.getText();
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', 80);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    assert.equal(state.error, null);
    const r = state.result!;
    assert.ok(r, 'a result was computed');
    assert.equal(r.originalTokens, 135);
    assert.equal(r.budget, 80);
    assert.ok(r.compressedTokens <= 80, `compressed ${r.compressedTokens} tokens`);
    // Markers name their lines (a few tokens each): at this budget its signatures or its most important lines.
    assert.match(r.method, /^(selected:)?structural:/);
    assert.equal(r.segments.map((s) => s.text).join(''), original, 'segments cover the source exactly');
    assert.ok(
      r.segments.some((s) => s.status === 'elided'),
      'bodies were elided',
    );
    assert.ok(r.compressedText.includes('export class TokenLedger'), 'signatures survive');
    assert.equal(state.source.canReplace, true);

    const outcome = await accept();
    assert.equal(outcome, 'replaced');
    assert.equal(editor.document.getText(), r.compressedText);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo restores the original exactly');
  });

  it('a budget between two levels fills to within 10% of it, keeps every declaration, and Accepts it', async function () {
    this.timeout(60_000);
    const editor = await open('server.go');
    const original = editor.document.getText();
    // Today's levels of this file in the target's count (gpt-4o: o200k): the budget sits halfway between two of them.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const structural = (await structuralProvider(ext.extensionUri).get()) as StructuralCompressor;
    const o200k = await loadTokenizer('o200k_base');
    const levels = (await structural.analyse(original, 'go')).levels;
    const [noComments, signatures] = [levels[1]!, levels[2]!].map((l) => o200k.count(l.text));
    const budget = Math.floor((noComments! + signatures!) / 2);
    await setSetting('targetModel', 'gpt-4o');
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', budget);
    await setSetting('compression.compressor', 'structural');
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    assert.equal(state.error, null);
    const r = state.result!;
    const label = `${r.compressedTokens} of ${budget} (signatures ${signatures}, no comments ${noComments})`;
    assert.ok(r.compressedTokens <= budget && r.compressedTokens >= 0.9 * budget, label);
    for (const line of levels[2]!.text.split('\n').filter((l) => /^func |^type /.test(l))) {
      assert.ok(r.compressedText.includes(line.replace(/\{.*$/, '').trimEnd()), `${label}: kept '${line}'`);
    }
    assert.match(
      r.notes.join(' | '),
      /server\.go\S*: structural: signatures \(no model run\) — \d+ of \d+ function bodies kept/,
    );
    // Accept writes the markers into the file: each says which lines of the original it stands for.
    const markers = r.compressedText.split('\n').filter((l) => l.includes('…'));
    assert.ok(markers.length > 0, r.compressedText);
    for (const m of markers) assert.match(m, /… lines? \d+(–\d+)?( \([^)]*\))? elided/, m);
    assert.equal(await accept(), 'replaced');
    assert.equal(editor.document.getText(), r.compressedText);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo restores the original exactly');
  });

  it('with a chat model as the target, fits and accepts within the budget by that model’s own count', async function () {
    this.timeout(90_000);
    // The scripted half-chars model (test/vscode/extensions/lm-provider) counts ceil(characters / 2): about twice
    // o200k here, so a plan in o200k alone would overshoot it.
    const halfChars = (text: string) => Math.ceil(text.length / 2);
    await until('the half-chars chat model', async () =>
      (await vscode.lm.selectChatModels({ vendor: 'cb-test', id: 'half-chars' })).length ? true : undefined,
    );
    const editor = await open('sample.ts');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const original = editor.document.getText();
    await setSetting('targetModel', 'lm:cb-test/half-chars');
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', 80);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    assert.equal(state.error, null);
    assert.match(state.model.label, /Half chars/);
    const r = state.result!;
    assert.equal(r.originalTokens, halfChars(original), 'the original counted by the model');
    assert.equal(r.budget, 80);
    assert.ok(r.compressedTokens <= 80, `compressed to ${r.compressedTokens} of the model's tokens`);
    assert.equal(r.compressedTokens, halfChars(r.compressedText), 'the figure shown is the model’s count');
    assert.equal(await accept(), 'replaced');
    const written = editor.document.getText();
    assert.equal(written, r.compressedText);
    assert.ok(halfChars(written) <= 80, `Accept wrote ${halfChars(written)} of the model's tokens`);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
  });

  it('refuses Accept after the document changed, and leaves the text alone', async () => {
    const editor = await open('sample.ts');
    await setSetting('compression.mode', 'rate');
    await setSetting('compression.rate', 0.5);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    assert.ok(state.result && !state.result.untouched);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// edited\n'));
    const afterEdit = editor.document.getText();
    const outcome = await accept();
    assert.equal(outcome, 'refused-changed');
    assert.equal(editor.document.getText(), afterEdit);
  });

  it('returns the source untouched when it already fits', async () => {
    await open('notes.md');
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', 5000);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    assert.equal(state.result?.untouched, true);
    assert.equal(state.result?.compressedTokens, state.result?.originalTokens);
  });

  it('the "Compress" CodeLens targets its symbol’s range', async function () {
    this.timeout(120_000);
    const editor = await open('sample.ts');
    const uri = workspaceFile('sample.ts');
    let lenses: vscode.CodeLens[] = [];
    // The TypeScript server starts lazily: poll until it has given the class's symbol.
    const lens = await until(
      'a Compress lens on class TokenLedger',
      async () => {
        lenses =
          (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
        return lenses.find((l) => l.command?.title === 'Compress' && l.range.start.line === 7);
      },
      90_000,
      () => lenses.map((l) => `${l.command?.title}@${l.range.start.line}`).join(','),
    );
    const [argUri, range] = lens.command!.arguments as [vscode.Uri, vscode.Range];
    assert.equal(argUri.toString(), uri.toString());
    assert.equal(range.start.line, 7);
    assert.equal(range.end.line, 17);
    const state = await vscode.commands.executeCommand<ViewState>(lens.command!.command, ...lens.command!.arguments!);
    assert.match(state.source.label, /sample\.ts:8-18$/);
    const classText = editor.document.getText(range);
    assert.equal(state.result!.segments.map((s) => s.text).join(''), classText, 'only the class was compressed');
  });

  it('"Compress Open Editors" packs every open editor into one budget', async () => {
    for (const name of ['notes.md', 'sample.ts']) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(name)), {
        preview: false,
      });
    }
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', 150);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressOpenEditors');
    const r = state.result!;
    assert.ok(r, state.error ?? 'no result');
    assert.equal(r.method, 'packer');
    assert.ok(r.originalTokens > 150, `the two files together (${r.originalTokens}) exceed the budget`);
    assert.ok(r.compressedTokens <= 150, `packed into ${r.compressedTokens}`);
    assert.ok(
      r.notes.some((n) => n.startsWith('sample.ts:')) && r.notes.some((n) => n.startsWith('notes.md:')),
      r.notes.join(' | '),
    );
    assert.ok(r.compressedText.startsWith('--- sample.ts ---\n'), 'the active editor comes first');
    assert.equal(state.source.canReplace, false);
    assert.equal(await accept(), 'not-replaceable');
  });

  it('"Compress Open Editors" counts a selection inside the active file once, with the file', async () => {
    const editor = await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(workspaceFile('sample.ts')),
      { preview: false },
    );
    editor.selection = new vscode.Selection(7, 0, 17, 0);
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', 100_000);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressOpenEditors');
    // A reopened file gets its last selection back: clear it so later suites count the whole file.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const r = state.result!;
    assert.ok(r, state.error ?? 'no result');
    assert.equal(r.untouched, true, 'one copy of the file fits');
    assert.equal(r.compressedText, `--- sample.ts ---\n${editor.document.getText()}`, 'the file once, no second copy');
    assert.ok(
      r.notes.some((n) => /attached 2 times .*counted once/.test(n)),
      r.notes.join(' | '),
    );
  });

  it('shows a chat request’s savings record ("Show savings" in the chat footer)', async () => {
    const record = {
      kind: 'chat',
      request: 'explain the ledger',
      budget: 1000,
      originalTokens: 1200,
      compressedTokens: 640,
      prompt: { id: 'explain', title: 'Explain', method: 'bm25', reason: 'best lexical match', scores: [] },
      sources: [
        {
          id: 'a',
          label: 'sample.ts',
          level: 'signatures',
          method: 'structural:signatures',
          tokens: 600,
          originalTokens: 1160,
          reason: 'fits',
        },
      ],
      notes: [],
      text: 'export class TokenLedger { /* … */ }',
    };
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.showSavings', record);
    assert.equal(state.result?.originalTokens, 1200);
    assert.equal(state.result?.compressedTokens, 640);
    assert.equal(state.result?.compressedText, record.text);
    assert.ok(state.result?.notes.includes('prompt: Explain — best lexical match'));
    assert.equal(state.source.canReplace, false);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('contextBudget.showSavings', { nope: 1 })),
      /not a chat savings record/,
    );
  });

  it('never Accepts a Focus result into the file: its excerpts are context for a model', async () => {
    // Twelve functions, one of which the question names: the planner keeps that one whole as an excerpt.
    const module = Array.from(
      { length: 12 },
      (_, i) => `/** Running total number ${i} for an invoice, rounded to cents. */
export function ledgerTotal${i}(lines: { amount: number; qty: number }[], discount: number): number {
  let total = 0;
  for (const line of lines) {
    total += line.amount * line.qty;
  }
  return Math.round(total * (1 - discount) * 100) / 100;
}
`,
    ).join('\n');
    const name = 'ledger-focus.ts';
    await vscode.workspace.fs.writeFile(workspaceFile(name), new TextEncoder().encode(module));
    try {
      const editor = await open(name);
      const { p, log } = await ownPanel(editor);
      const question = 'how does ledgerTotal7 round the discounted total?';
      const options = {
        mode: 'rate',
        rate: 0.5,
        budget: 100,
        compressor: 'structural',
        forceTokens: [],
        keepDigits: false,
      };
      await p.handleMessage({ type: 'setOptions', options: { ...options, question } });
      const state = await p.whenComputed();
      const notes = state.result!.notes.join(' | ');
      assert.match(notes, /kept whole for the question/, `the question kept a unit whole: ${notes}`);
      assert.equal(state.source.canReplace, false, 'Accept is offered only for a drop-in replacement');
      assert.equal(await p.handleMessage({ type: 'accept' }), 'not-replaceable');
      assert.equal(editor.document.getText(), module, 'the file is untouched');
      p.dispose();
      log.dispose();
    } finally {
      await vscode.workspace.fs.delete(workspaceFile(name));
    }
  });

  it('ignores malformed webview messages without throwing or changing state', async () => {
    // Only the view's own script can post to the extension's panel, so this test opens the same panel class in
    // this host (a real webview, the real compression service) and posts to it what a broken or hostile page
    // could send.
    const { p, log } = await ownPanel(await open('sample.ts'));
    const before = JSON.stringify(p.current());
    const garbage: unknown[] = [
      null,
      42,
      'accept',
      [],
      { type: 'nope' },
      { type: 'setOptions' },
      { type: 'setOptions', options: { mode: 'budget', budget: 'ten' } },
      {
        type: 'setOptions',
        options: { mode: 'budget', budget: -5, rate: 2, compressor: 'x', forceTokens: [1], keepDigits: 'no' },
      },
      {
        type: 'setOptions',
        options: {
          mode: 'rate',
          budget: 10,
          rate: 0.5,
          compressor: 'auto',
          forceTokens: Array(1000).fill('a'),
          keepDigits: false,
        },
      },
      { type: 'copy', payload: 'x'.repeat(20 * 1024 * 1024) },
      { type: { nested: true } },
      Object.create(null),
    ];
    for (const m of garbage) {
      assert.equal(await p.handleMessage(m), undefined);
    }
    assert.equal(JSON.stringify(p.current()), before);
    await p.whenComputed();
    assert.ok(p.current().result, 'the panel still works');
    p.dispose();
    log.dispose();
  });
});

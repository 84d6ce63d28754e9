import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRecord } from '../../../src/chat/participant';
import { builtinPool } from '../../../src/core/idp';
import { api, EXTENSION_ID, setSetting, until, workspaceFile } from '../helpers';

// The scripted provider in test/vscode/extensions/lm-provider: 2,000-token window, ceil(chars / 3) tokens.
const MODEL = { vendor: 'cb-test', id: 'scripted-2k' };
const WINDOW = 2000;
const count = (text: string) => Math.ceil(text.length / 3);

interface ProviderRecord {
  model: string;
  messages: { role: number; text: string }[];
  tokens: number;
}

const records = async () => (await vscode.commands.executeCommand<ProviderRecord[]>('cbTest.lm.records')) ?? [];
const chatResults = async () =>
  (await vscode.commands.executeCommand<{ chat: ChatRecord[] }>('contextBudget.chat.lastResults')).chat;

/** A TypeScript module of about 5,800 characters (≈1,950 tokens for the scripted model): twice the share allowed. */
function bigModule(): string {
  const parts = ['// Ledger utilities used by the billing service.\n'];
  for (let i = 0; i < 12; i++) {
    parts.push(`/**
 * Computes the running total number ${i} for an invoice, applying the discount rules and rounding to cents.
 * Kept separate so the rounding policy can change per market without touching callers.
 */
export function ledgerTotal${i}(lines: { amount: number; qty: number }[], discount: number): number {
  let total = 0;
  for (const line of lines) {
    total += line.amount * line.qty;
  }
  return Math.round(total * (1 - discount) * 100) / 100;
}
`);
  }
  return parts.join('\n');
}

// The workbench takes editor ranges (1-based IRange), not vscode.Range, inside attachFiles.
type Attachment =
  | vscode.Uri
  | {
      uri: vscode.Uri;
      range: { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number };
    };

/** Sends a request through the chat UI (as a user would) and waits until the participant has finished. */
async function ask(query: string, attachFiles: Attachment[] = []): Promise<ChatRecord> {
  const before = (await chatResults()).length;
  await vscode.commands.executeCommand('workbench.action.chat.open', {
    query,
    mode: 'ask',
    modelSelector: MODEL,
    attachFiles,
  });
  return until(
    `the @budget answer to "${query}"`,
    async () => {
      const all = await chatResults();
      const last = all.length > before ? all[all.length - 1] : undefined;
      return last?.done ? last : undefined;
    },
    60_000,
  );
}

describe('@budget chat participant', () => {
  const file = 'ledger-big.ts';
  before(async () => {
    await api();
    await vscode.workspace.fs.writeFile(workspaceFile(file), new TextEncoder().encode(bigModule()));
    // The provider must be registered and visible before the chat can select it.
    await until('scripted model', async () => ((await vscode.lm.selectChatModels(MODEL)).length ? true : undefined));
  });
  beforeEach(async () => {
    await vscode.commands.executeCommand('cbTest.lm.reset');
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
  });

  it('compresses a #file reference into the model window, sends the selected prompt, streams the answer and a footer', async function () {
    this.timeout(120_000);
    const record = await ask('@budget why does the total come out wrong, find the bug', [workspaceFile(file)]);
    assert.equal(record.error, undefined, record.error);
    const sent = await records();
    assert.equal(sent.length, 1, 'one request reached the model');
    const message = sent[0]!.messages.map((m) => m.text).join('\n');
    // Within budget: the whole request within the configured share (0.5) of the 2,000-token window.
    assert.ok(sent[0]!.tokens <= WINDOW * 0.5, `request is ${sent[0]!.tokens} tokens`);
    assert.ok(
      count(bigModule()) > WINDOW * 0.5,
      'the reference alone is over the share allowed, so compression had to act',
    );
    // The selected prompt's instruction, and the compressed reference (names kept, bodies elided).
    const savings = record.savings!;
    assert.equal(savings.prompt!.id, 'find-bug');
    assert.ok(message.includes('Find the most likely cause of the problem'), 'the find-bug instruction was sent');
    assert.ok(message.includes('ledgerTotal0') && message.includes('ledgerTotal11'), 'every function name survives');
    assert.ok(
      !message.includes(
        'total += line.amount * line.qty;\n  }\n  return Math.round(total * (1 - discount) * 100) / 100;\n}\n\n/**\n * Computes the running total number 11',
      ),
      'bodies were compressed',
    );
    assert.ok(message.includes('why does the total come out wrong'), 'the question was sent');
    assert.ok(savings.compressedTokens < savings.originalTokens);
    // The answer streamed back, then the footer: savings, % of the window, the prompt, the savings button.
    assert.match(record.markdown, /SCRIPTED ANSWER to \d+ tokens\./);
    // Rendered in the chat view: copy the whole conversation out of the UI and look for the answer and footer.
    await vscode.commands.executeCommand('workbench.action.chat.copyAll');
    const shown = await vscode.env.clipboard.readText();
    assert.match(shown, /SCRIPTED ANSWER to \d+ tokens\./, 'the answer is shown in the chat view');
    assert.match(shown, /\*\*Context Budget\*\* · 1 reference: .* prompt: \*Find the bug\*/, 'the footer is shown');
    assert.match(shown, /Show savings/, 'the savings button is shown');
    assert.match(
      record.markdown,
      /\*\*Context Budget\*\* · 1 reference: [\d,]+ → [\d,]+ tokens \(saved [\d,]+, \d+%\) · request [\d,]+ tokens = \d+(\.\d)?% of the 2,000-token window · prompt: \*Find the bug\* \(lexical\)/,
    );
  });

  it('/compress returns the compressed references in a code block without calling the model', async function () {
    this.timeout(60_000);
    const doc = await vscode.workspace.openTextDocument(workspaceFile(file));
    // An attached selection arrives as a Location: only those lines are compressed.
    const range = { startLineNumber: 1, startColumn: 1, endLineNumber: 31, endColumn: 1 };
    const other = 'ledger-copy.ts';
    await vscode.workspace.fs.writeFile(workspaceFile(other), new TextEncoder().encode(bigModule()));
    const record = await ask('@budget /compress', [workspaceFile(file), { uri: workspaceFile(other), range }]);
    assert.equal(record.error, undefined, record.error);
    assert.equal((await records()).length, 0, 'no model call');
    const savings = record.savings!;
    assert.equal(savings.sources.length, 2);
    assert.deepEqual(savings.sources.map((s) => s.label).sort(), [file, 'ledger-copy.ts:1-31']);
    assert.ok(savings.compressedTokens <= WINDOW * 0.5 && savings.compressedTokens === count(savings.text));
    assert.ok(savings.originalTokens > savings.compressedTokens);
    assert.match(record.markdown, /^````?text\n### /);
    assert.ok(record.markdown.includes(savings.text), 'the compressed text is in the reply');
    assert.ok(doc.getText().length > savings.text.length);
    assert.match(record.markdown, /\*\*Context Budget\*\* · 2 references: .* context [\d,]+ tokens = /);
  });

  it('/budget reports each reference against the window without calling the model', async function () {
    this.timeout(60_000);
    const small = 'small-notes.md';
    const text = '# Notes\n\nA short file that fits.\n';
    await vscode.workspace.fs.writeFile(workspaceFile(small), new TextEncoder().encode(text));
    const record = await ask('@budget /budget', [workspaceFile(file), workspaceFile(small)]);
    assert.equal(record.error, undefined, record.error);
    assert.equal((await records()).length, 0, 'no model call');
    const big = count(`### ${file}\n${bigModule()}`);
    const little = count(`### ${small}\n${text}`);
    const fmt = (n: number) => n.toLocaleString('en-US');
    assert.ok(record.markdown.includes(`| \`${file}\` | ${fmt(big)} |`), record.markdown);
    assert.ok(record.markdown.includes(`| \`${small}\` | ${fmt(little)} |`), record.markdown);
    assert.ok(record.markdown.includes(`| **total** | **${fmt(big + little)}** |`), record.markdown);
    assert.match(record.markdown, new RegExp(`Over by ${fmt(big + little - 1000)}: `));
  });

  it('says clearly when there is nothing to compress, and still answers a plain request', async function () {
    this.timeout(60_000);
    const none = await ask('@budget /compress');
    assert.match(none.markdown, /^No references to compress\. Attach files/);
    const budget = await ask('@budget /budget');
    assert.match(budget.markdown, /^No references attached\./);
    const plain = await ask('@budget what is a token budget?');
    assert.match(plain.markdown, /No references attached, so there is nothing to compress/);
    assert.match(plain.markdown, /SCRIPTED ANSWER/);
    assert.equal((await records()).length, 1, 'only the plain request reached the model');
  });

  it('honours prompt:<id> over the selector and reports a model error clearly', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('cbTest.lm.script', { error: 'scripted outage' });
    const record = await ask('@budget prompt:review why does the total come out wrong', [workspaceFile(file)]);
    const sent = await records();
    assert.equal(sent.length, 1);
    const message = sent[0]!.messages.map((m) => m.text).join('\n');
    assert.ok(
      message.includes('Review the code in the context as a careful senior reviewer'),
      'the overriding prompt was sent',
    );
    assert.ok(!message.includes('prompt:review'), 'the override token is not sent to the model');
    assert.equal(record.savings!.prompt!.method, 'override');
    assert.equal(record.savings!.prompt!.reason, '“Review” chosen by you');
    assert.match(record.error ?? '', /scripted outage/);
  });

  it('stops cleanly when the user cancels while the answer streams', async function () {
    this.timeout(60_000);
    // Each half of the scripted answer waits 4 s, so the request is still streaming when it is cancelled.
    await vscode.commands.executeCommand('cbTest.lm.script', { reply: 'FIRST HALF.SECOND HALF', delayMs: 4000 });
    const before = (await chatResults()).length;
    await vscode.commands.executeCommand('workbench.action.chat.open', {
      query: '@budget explain this',
      mode: 'ask',
      modelSelector: MODEL,
      attachFiles: [workspaceFile(file)],
    });
    await until('the model request', async () => ((await records()).length ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.chat.cancel');
    const record = await until('the cancelled request', async () => {
      const last = (await chatResults()).slice(before).at(-1);
      return last?.done ? last : undefined;
    });
    assert.equal(record.error, 'cancelled');
    assert.ok(!record.markdown.includes('SECOND HALF'), record.markdown);
    assert.ok(!record.markdown.includes('**Context Budget**'), 'no footer after a cancelled answer');
  });

  it('reads a workspace prompt pool, and reports a bad pool file clearly without failing the request', async function () {
    this.timeout(60_000);
    const pool = {
      version: 1,
      name: 'team',
      prompts: [
        {
          id: 'ledger-audit',
          title: 'Ledger audit',
          description: 'Audit ledger totals and invoices for rounding',
          instruction: 'TEAM LEDGER AUDIT INSTRUCTION.',
          exemplars: ['audit the ledger rounding'],
        },
      ],
    };
    await vscode.workspace.fs.writeFile(
      workspaceFile('.vscode/context-budget.prompts.json'),
      new TextEncoder().encode(JSON.stringify(pool)),
    );
    await vscode.workspace.fs.writeFile(
      workspaceFile('bad.prompts.json'),
      new TextEncoder().encode('{"version": 1, "name": "x", "prompts": []}'),
    );
    await setSetting('prompts.files', ['bad.prompts.json']);
    try {
      const record = await ask('@budget audit the ledger rounding of invoices', [workspaceFile(file)]);
      assert.equal(record.error, undefined, record.error);
      assert.equal(record.savings!.prompt!.id, 'ledger-audit');
      assert.ok((await records())[0]!.messages[0]!.text.startsWith('TEAM LEDGER AUDIT INSTRUCTION.'));
      assert.match(
        record.markdown,
        /^> Invalid prompt pool bad\.prompts\.json: prompts: a pool needs at least one prompt/,
      );
    } finally {
      await setSetting('prompts.files', undefined);
      await vscode.workspace.fs.delete(workspaceFile('.vscode/context-budget.prompts.json'));
    }
  });

  it('selects with the LLMLingua-2 encoder (IDP attention) when a model is installed', async function () {
    this.timeout(120_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // The tiny random-weight fixture model: proves the path runs in the extension host, not that it chooses well.
    const model = vscode.Uri.joinPath(
      ext.extensionUri,
      'test',
      'fixtures',
      'llmlingua2',
      'tiny-bert-base-multilingual-cased-ref',
    );
    await setSetting('compression.modelPath', model.fsPath);
    try {
      const record = await ask('@budget why does the total come out wrong', [workspaceFile(file)]);
      assert.equal(record.error, undefined, record.error);
      const prompt = record.savings!.prompt!;
      assert.equal(prompt.method, 'encoder:attention', record.markdown.slice(0, 400));
      assert.equal(prompt.scores.length, 10);
      assert.ok(prompt.scores.every((s) => s.score > 0 && s.score < 1));
      assert.match(record.markdown, /prompt: \*[^*]+\* \(encoder:attention\)/);
      const chosen = builtinPool().prompts.find((p) => p.id === prompt.id)!;
      assert.ok(
        (await records())[0]!.messages[0]!.text.startsWith(chosen.instruction),
        'the encoder-chosen prompt is the one sent',
      );
    } finally {
      await setSetting('compression.modelPath', undefined);
    }
  });
});

import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { builtinPool } from '../../../src/core/idp';
import { api, EXTENSION_ID, setSetting, until, workspaceFile } from '../helpers';

// What @budget did is read where a user sees it: the chat view's transcript (Copy All), the error a failed request
// shows (Export Chat, which the transcript leaves out), and what the scripted model received.

// The scripted provider in test/vscode/extensions/lm-provider: 2,000-token window, ceil(chars / 3) tokens.
const MODEL = { vendor: 'cb-test', id: 'scripted-2k' };
const WINDOW = 2000;
const count = (text: string) => Math.ceil(text.length / 3);

interface ProviderRecord {
  model: string;
  messages: { role: number; text: string }[];
  tokens: number;
  /** What the model streamed back. */
  streamed: string;
  state: 'streaming' | 'finished' | 'cancelled' | 'failed';
  /** Tools offered with the request. */
  tools: string[];
}

const records = async () => (await vscode.commands.executeCommand<ProviderRecord[]>('cbTest.lm.records')) ?? [];
const sentText = (r: ProviderRecord) => r.messages.map((m) => m.text).join('\n');

/** The conversation as the chat view shows it (Copy All): "User: …\n\nContext Budget: …" per turn. */
async function transcript(): Promise<string> {
  // Copy All leaves the clipboard alone when the chat is empty.
  await vscode.env.clipboard.writeText('');
  await vscode.commands.executeCommand('workbench.action.chat.copyAll');
  return vscode.env.clipboard.readText();
}

const tail = (text: string) => JSON.stringify(text.slice(-800));

/** One request of the chat as Export Chat saves it; `result` is set once the participant returned. */
interface ExportedTurn {
  message: { text: string };
  result?: { errorDetails?: { message: string }; metadata?: { cancelled?: boolean } };
}

/** The chat view's session through Export Chat… (the command writes the JSON to the file it is given). */
async function exportedTurns(): Promise<ExportedTurn[]> {
  const file = vscode.Uri.file(join(tmpdir(), `context-budget-chat-${process.pid}.json`));
  await vscode.commands.executeCommand('workbench.action.chat.export', file);
  return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file))).requests;
}

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

function openChat(query: string, attachFiles: Attachment[], model = MODEL): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.chat.open', {
    query,
    mode: 'ask',
    modelSelector: model,
    attachFiles,
  });
}

/**
 * Sends a request through the chat UI (as a user would) and returns @budget's answer as the chat view shows it,
 * once a new turn's answer matches `doneWhen` (the last thing the test expects it to show). A failed request
 * (its error is not in the transcript) fails at once with the error the chat shows.
 */
async function ask(query: string, attachFiles: Attachment[], doneWhen: RegExp, model = MODEL): Promise<string> {
  const before = await transcript();
  await openChat(query, attachFiles, model);
  const header = `User: ${query}\n\nContext Budget: `;
  let shown = before;
  let polls = 0;
  return until(
    `the @budget answer to "${query}" to show ${doneWhen}`,
    async () => {
      shown = await transcript();
      const at = shown.lastIndexOf(header);
      if (at < before.length) return undefined;
      const answer = shown.slice(at + header.length);
      if (doneWhen.test(answer)) return answer;
      if (++polls % 20 === 0) {
        const error = (await exportedTurns()).at(-1)?.result?.errorDetails;
        assert.equal(error, undefined, `the request failed: ${error?.message}`);
      }
      return undefined;
    },
    60_000,
    () => tail(shown),
  );
}

/** Sends a request that is expected to fail; returns the error the chat shows under it, and the answer shown. */
async function askFailing(query: string, attachFiles: Attachment[]): Promise<{ error: string; answer: string }> {
  const before = (await exportedTurns()).length;
  await openChat(query, attachFiles);
  let turns: ExportedTurn[] = [];
  const error = await until(
    `the @budget request "${query}" to fail`,
    async () => {
      turns = await exportedTurns();
      const result = turns.length > before ? turns.at(-1)!.result : undefined;
      if (result) assert.ok(result.errorDetails, `the request did not fail: ${JSON.stringify(result)}`);
      return result?.errorDetails?.message;
    },
    60_000,
    () => JSON.stringify(turns.at(-1)),
  );
  const shown = await transcript();
  return { error, answer: shown.slice(shown.lastIndexOf(`User: ${query}\n\nContext Budget: `)) };
}

/** The savings footer under a compressing answer, read back from the transcript. */
interface Footer {
  references: number;
  originalTokens: number;
  compressedTokens: number;
  /** "request" (the whole message sent) or "context" (/compress: nothing is sent). */
  used: 'request' | 'context';
  usedTokens: number;
  prompt?: { title: string; method: string };
  sources: { label: string; level: string; originalTokens: number; tokens: number }[];
}

const tokens = (s: string) => Number(s.replace(/,/g, ''));

function footer(answer: string): Footer {
  const m =
    /\n\n---\n\*\*Context Budget\*\* · (\d+) references?: ([\d,]+) → ([\d,]+) tokens \(saved [\d,]+, \d+%\) · (request|context) ([\d,]+) tokens = [\d.]+% of the 2,000-token window(?: · prompt: \*([^*]+)\* \(([^)]+)\))?\n\n(.*)\n/.exec(
      answer,
    );
  assert.ok(m, `no savings footer in ${tail(answer)}`);
  const sources = [...m[8]!.matchAll(/`([^`]+)` (\w+) \(([\d,]+) → ([\d,]+)\)/g)].map((x) => ({
    label: x[1]!,
    level: x[2]!,
    originalTokens: tokens(x[3]!),
    tokens: tokens(x[4]!),
  }));
  return {
    references: Number(m[1]),
    originalTokens: tokens(m[2]!),
    compressedTokens: tokens(m[3]!),
    used: m[4] as Footer['used'],
    usedTokens: tokens(m[5]!),
    ...(m[6] ? { prompt: { title: m[6], method: m[7]! } } : {}),
    sources,
  };
}

const SHOW_SAVINGS = /\n\nShow savings$/;

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
    const answer = await ask(
      '@budget why does the total come out wrong, find the bug',
      [workspaceFile(file)],
      SHOW_SAVINGS,
    );
    const sent = await records();
    assert.equal(sent.length, 1, 'one request reached the model');
    const message = sentText(sent[0]!);
    // Within budget: the whole request within the configured share (0.5) of the 2,000-token window.
    assert.ok(sent[0]!.tokens <= WINDOW * 0.5, `request is ${sent[0]!.tokens} tokens`);
    assert.ok(
      count(bigModule()) > WINDOW * 0.5,
      'the reference alone is over the share allowed, so compression had to act',
    );
    // The selected prompt (named in the footer) and its instruction, and the compressed reference (names kept,
    // bodies elided).
    const shown = footer(answer);
    assert.deepEqual(shown.prompt, { title: 'Find the bug', method: 'lexical' });
    assert.ok(message.includes('Find the most likely cause of the problem'), 'the find-bug instruction was sent');
    assert.ok(message.includes('ledgerTotal0') && message.includes('ledgerTotal11'), 'every function name survives');
    assert.ok(
      !message.includes(
        'total += line.amount * line.qty;\n  }\n  return Math.round(total * (1 - discount) * 100) / 100;\n}\n\n/**\n * Computes the running total number 11',
      ),
      'bodies were compressed',
    );
    assert.ok(message.includes('why does the total come out wrong'), 'the question was sent');
    assert.ok(shown.compressedTokens < shown.originalTokens, JSON.stringify(shown));
    assert.deepEqual(
      shown.sources.map((s) => s.label),
      [file],
    );
    // The model's answer streamed into the chat view, then the footer: savings, % of the window, the prompt, and
    // the savings button.
    assert.ok(answer.startsWith(`SCRIPTED ANSWER to ${sent[0]!.tokens} tokens.\n\n---\n`), tail(answer));
    assert.match(
      answer,
      /\*\*Context Budget\*\* · 1 reference: [\d,]+ → [\d,]+ tokens \(saved [\d,]+, \d+%\) · request [\d,]+ tokens = \d+(\.\d)?% of the 2,000-token window · prompt: \*Find the bug\* \(lexical\)/,
    );
    assert.match(answer, SHOW_SAVINGS, 'the savings button is shown');
  });

  it('/compress returns the compressed references in a code block without calling the model', async function () {
    this.timeout(90_000);
    const doc = await vscode.workspace.openTextDocument(workspaceFile(file));
    // An attached selection arrives as a Location: only those lines are compressed.
    const range = { startLineNumber: 1, startColumn: 1, endLineNumber: 31, endColumn: 1 };
    const other = 'ledger-copy.ts';
    await vscode.workspace.fs.writeFile(workspaceFile(other), new TextEncoder().encode(bigModule()));
    const answer = await ask(
      '@budget /compress',
      [workspaceFile(file), { uri: workspaceFile(other), range }],
      SHOW_SAVINGS,
    );
    assert.equal((await records()).length, 0, 'no model call');
    const shown = footer(answer);
    assert.equal(shown.references, 2);
    assert.deepEqual(shown.sources.map((s) => s.label).sort(), [file, 'ledger-copy.ts:1-31']);
    // The reply opens with the compressed text in a code block, one "### label" section per reference.
    const block = /^(`{3,})text\n([\s\S]*?)\n\1\n/.exec(answer);
    assert.ok(block, tail(answer));
    const text = block[2]!;
    assert.ok(text.startsWith('### ') && text.includes(`### ${file}\n`) && text.includes('### ledger-copy.ts:1-31\n'));
    // The footer's "context N tokens" is that text as the model counts it, within the share of the window.
    assert.equal(shown.used, 'context');
    assert.equal(shown.usedTokens, count(text));
    assert.equal(shown.compressedTokens, count(text));
    assert.ok(shown.compressedTokens <= WINDOW * 0.5, JSON.stringify(shown));
    assert.ok(shown.originalTokens > shown.compressedTokens, JSON.stringify(shown));
    assert.ok(doc.getText().length > text.length);
    assert.match(answer, /\*\*Context Budget\*\* · 2 references: .* context [\d,]+ tokens = /);
  });

  it('/budget reports each reference against the window without calling the model', async function () {
    this.timeout(90_000);
    const small = 'small-notes.md';
    const text = '# Notes\n\nA short file that fits.\n';
    await vscode.workspace.fs.writeFile(workspaceFile(small), new TextEncoder().encode(text));
    // The table and its verdict ("Fits: …" or "Over by …") arrive as one part, the verdict last.
    const answer = await ask(
      '@budget /budget',
      [workspaceFile(file), workspaceFile(small)],
      /\n\n(Fits|Over by) .*\n?$/,
    );
    assert.equal((await records()).length, 0, 'no model call');
    const big = count(`### ${file}\n${bigModule()}`);
    const little = count(`### ${small}\n${text}`);
    const fmt = (n: number) => n.toLocaleString('en-US');
    assert.ok(answer.includes(`| \`${file}\` | ${fmt(big)} |`), answer);
    assert.ok(answer.includes(`| \`${small}\` | ${fmt(little)} |`), answer);
    assert.ok(answer.includes(`| **total** | **${fmt(big + little)}** |`), answer);
    assert.match(answer, new RegExp(`Over by ${fmt(big + little - 1000)}: `));
  });

  it('says clearly when there is nothing to compress, and still answers a plain request', async function () {
    this.timeout(120_000);
    const none = await ask('@budget /compress', [], /then ask again\.$/);
    assert.match(none, /^No references to compress\. Attach files/);
    const budget = await ask('@budget /budget', [], /against the model’s window\.$/);
    assert.match(budget, /^No references attached\./);
    const plain = await ask('@budget what is a token budget?', [], /SCRIPTED ANSWER to \d+ tokens\.$/);
    assert.match(plain, /No references attached, so there is nothing to compress/);
    assert.ok(!plain.includes('**Context Budget**'), 'no savings footer without references');
    assert.equal((await records()).length, 1, 'only the plain request reached the model');
  });

  it('honours prompt:<id> over the selector and reports a model error clearly', async function () {
    this.timeout(150_000);
    const query = '@budget prompt:review why does the total come out wrong';
    const answer = await ask(query, [workspaceFile(file)], SHOW_SAVINGS);
    // The footer names the overriding prompt as chosen by the user (method "override"), not by the selector.
    assert.deepEqual(footer(answer).prompt, { title: 'Review', method: 'chosen by you' });
    // Then the same request while the model fails: the override still applies, and the error is reported.
    await vscode.commands.executeCommand('cbTest.lm.script', { error: 'scripted outage' });
    const failed = await askFailing(query, [workspaceFile(file)]);
    const sent = await records();
    assert.equal(sent.length, 2);
    assert.equal(sent[1]!.state, 'failed');
    for (const r of sent) {
      const message = sentText(r);
      assert.ok(
        message.includes('Review the code in the context as a careful senior reviewer'),
        'the overriding prompt was sent',
      );
      assert.ok(!message.includes('prompt:review'), 'the override token is not sent to the model');
    }
    // Shown under the answer (Export Chat has it; Copy All leaves errors out), with no footer above it.
    assert.match(failed.error, /scripted outage/);
    assert.ok(!failed.answer.includes('**Context Budget**'), failed.answer);
  });

  it('stops cleanly when the user cancels while the answer streams', async function () {
    this.timeout(90_000);
    // The scripted answer holds after its first half until released or cancelled: the request is still streaming
    // when it is cancelled, however slow the machine (it is never released here; cbTest.lm.reset frees it).
    await vscode.commands.executeCommand('cbTest.lm.script', { reply: 'FIRST HALF.SECOND HALF', gate: true });
    await openChat('@budget explain this', [workspaceFile(file)]);
    let shown = '';
    await until(
      'the first half of the answer in the chat view',
      async () => {
        shown = await transcript();
        return shown.includes('FIRST HALF.') ? true : undefined;
      },
      30_000,
      () => tail(shown),
    );
    await until('the stream to hold after its first half', async () =>
      (await vscode.commands.executeCommand<number>('cbTest.lm.heldStreams')) === 1 ? true : undefined,
    );
    assert.equal((await records()).at(-1)?.state, 'streaming');
    await vscode.commands.executeCommand('workbench.action.chat.cancel');
    // The cancel reached the model request (it is what let the held stream go): it stopped before the second half.
    const cancelled = await until(
      'the model request to see the cancel',
      async () => (await records()).find((r) => r.state === 'cancelled'),
      30_000,
    );
    assert.equal(cancelled.streamed, 'FIRST HALF.');
    // The participant returned (VS Code keeps a cancelled request's result only when the handler returns within
    // a second of the cancel), as a cancelled answer, not an error.
    let turns: ExportedTurn[] = [];
    const result = await until(
      'the participant to return',
      async () => {
        turns = await exportedTurns();
        return turns.at(-1)?.result;
      },
      30_000,
      () => JSON.stringify(turns.at(-1)),
    );
    assert.equal(result.errorDetails, undefined, result.errorDetails?.message);
    assert.equal(result.metadata?.cancelled, true, JSON.stringify(result));
    shown = await transcript();
    assert.ok(shown.endsWith('Context Budget: FIRST HALF.'), tail(shown));
    assert.ok(!shown.includes('SECOND HALF'), tail(shown));
    assert.ok(!shown.includes('**Context Budget**'), 'no footer after a cancelled answer');
  });

  it('reads a workspace prompt pool, and reports a bad pool file clearly without failing the request', async function () {
    this.timeout(90_000);
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
      const answer = await ask('@budget audit the ledger rounding of invoices', [workspaceFile(file)], SHOW_SAVINGS);
      // The workspace pool's prompt is chosen (named in the footer) and its instruction is what the model got.
      assert.deepEqual(footer(answer).prompt, { title: 'Ledger audit', method: 'lexical' });
      assert.ok((await records())[0]!.messages[0]!.text.startsWith('TEAM LEDGER AUDIT INSTRUCTION.'));
      assert.match(answer, /^> Invalid prompt pool bad\.prompts\.json: prompts: a pool needs at least one prompt/);
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
      // auto stays with BM25 even with a model installed: the encoder is not yet measured better on a real model.
      const auto = await ask('@budget why does the total come out wrong', [workspaceFile(file)], SHOW_SAVINGS);
      assert.equal(footer(auto).prompt!.method, 'lexical', auto.slice(0, 400));
      await vscode.commands.executeCommand('cbTest.lm.reset');
      await setSetting('prompts.selector', 'encoder');
      const answer = await ask('@budget why does the total come out wrong', [workspaceFile(file)], SHOW_SAVINGS);
      const prompt = footer(answer).prompt!;
      assert.equal(prompt.method, 'encoder:attention', answer.slice(0, 400));
      // The per-prompt attention scores (one per prompt of the pool, each in (0, 1)) are not shown anywhere; the
      // unit test "encodes text to [tokens × 64] hidden states and runs IDP attention scoring end to end"
      // (test/unit/idp/encoder.test.ts) asserts them with this same fixture model.
      const chosen = builtinPool().prompts.find((p) => p.title === prompt.title);
      assert.ok(chosen, `the footer names a built-in prompt: ${prompt.title}`);
      assert.ok(
        (await records())[0]!.messages[0]!.text.startsWith(chosen.instruction),
        'the encoder-chosen prompt is the one sent',
      );
    } finally {
      await setSetting('compression.modelPath', undefined);
      await setSetting('prompts.selector', undefined);
    }
  });

  it('keeps the whole message within the configured share of the window, by the model’s own count', async function () {
    this.timeout(120_000);
    await setSetting('chat.contextShare', 0.3);
    try {
      const question = '@budget why does the total come out wrong, find the bug';
      const answer = await ask(question, [workspaceFile(file)], SHOW_SAVINGS);
      const [sent] = await records();
      // The provider's record counts every message it received with its own count (ceil(chars / 3)).
      const allowed = Math.floor(WINDOW * 0.3);
      assert.ok(sent!.tokens <= allowed, `the model received ${sent!.tokens} tokens; ${allowed} allowed`);
      // The frame is the whole message: the instruction, the context header and the question all arrived.
      const message = sentText(sent!);
      assert.ok(message.includes('Find the most likely cause of the problem'), 'the instruction was sent');
      assert.ok(message.includes('# Context (compressed to fit a token budget)'), 'the context header was sent');
      assert.ok(message.includes('why does the total come out wrong'), 'the question was sent');
      const shown = footer(answer);
      assert.equal(shown.used, 'request');
      assert.ok(shown.usedTokens <= allowed, `the footer's request is ${shown.usedTokens} tokens`);
      assert.equal(shown.usedTokens, sent!.tokens, 'the request figure is the model’s count of the message sent');
      // What ran on the reference, in the planner's words, under the footer's levels line.
      assert.match(answer, new RegExp(`\\n- \`${file}\`: (structural|truncated)[^\\n]*`));
    } finally {
      await setSetting('chat.contextShare', undefined);
    }
  });

  it('gives the model the full body of the function the question is about', async function () {
    this.timeout(120_000);
    const answer = await ask(
      '@budget why does ledgerTotal7 round the discounted total wrong?',
      [workspaceFile(file)],
      SHOW_SAVINGS,
    );
    const [sent] = await records();
    const message = sentText(sent!);
    const body = /export function ledgerTotal7\([\s\S]*?\n\}\n/.exec(bigModule())![0];
    assert.ok(message.includes(body), `ledgerTotal7's body was not sent whole: ${tail(message)}`);
    // The others' bodies were still compressed: the request stays within the share.
    assert.ok(sent!.tokens <= WINDOW * 0.5, `request is ${sent!.tokens} tokens`);
    assert.ok(
      !message.includes(/export function ledgerTotal3\([\s\S]*?\n\}\n/.exec(bigModule())![0]),
      'an unrelated body was compressed',
    );
    // The footer says what was kept whole (the unit's lines in the file).
    assert.match(answer, /kept whole for the question: ledger-big\.ts › ledgerTotal7:\d+-\d+/, tail(answer));
  });

  it('lets a tool-calling model expand an elided body by its id, within the budget, and counts it in the footer', async function () {
    this.timeout(120_000);
    // tool-caller (test provider): 8,000-token window, chars / 3; 15% of it forces the module's bodies out.
    const toolModel = { vendor: 'cb-test', id: 'tool-caller' };
    await until('tool-calling model', async () =>
      (await vscode.lm.selectChatModels(toolModel)).length ? true : undefined,
    );
    await setSetting('chat.contextShare', 0.15);
    try {
      const answer = await ask('@budget explain ledgerTotal', [workspaceFile(file)], SHOW_SAVINGS, toolModel);
      const sent = await records();
      const allowed = Math.floor(8000 * 0.15);
      assert.equal(sent.length, 3, `three rounds: ${sent.map((r) => r.streamed).join(' | ')}`);
      assert.deepEqual(sent[0]!.tools, ['contextBudget_expand'], 'the expand tool was offered');
      const first = sentText(sent[0]!);
      const id = /contextBudget_expand\("([a-z][0-9a-z]{7})"\)/.exec(first)?.[1];
      assert.ok(id, `the compressed request carries markers: ${tail(first)}`);
      assert.match(first, /call contextBudget_expand with the id/, 'the message says how to expand');
      // Round 2 carries the original the model asked for: a piece of the module that the first message left out.
      const original = sent[1]!.messages.at(-1)!.text;
      assert.ok(original.length > 40 && bigModule().includes(original), `the original came back: ${tail(original)}`);
      // Not in the compressed request, unless the module repeats it (its twelve bodies are the same text) or the
      // marker stands for a function kept whole for the question further down (its file leaves it closed).
      const copies = bigModule().split(original).length - 1;
      const excerpted = first.includes(`(kept whole for the question)\n${original.trimStart()}`);
      assert.ok(copies > 1 || excerpted || !first.includes(original), 'it was not in the compressed request');
      // The unknown id got the clear message, and the model's answer shows both results.
      assert.match(sent[2]!.messages.at(-1)!.text, /Unknown id #zzzzzzzz: no compressed context held here has it/);
      assert.match(answer, /TOOL ANSWER after 2 call\(s\)\. \[1\] /);
      assert.match(answer, /\[2\] Unknown id #zzzzzzzz: no compressed context held here has it\. Read the file/);
      // Every round, with what was added, stays within the share, by the model's own count.
      for (const r of sent) assert.ok(r.tokens <= allowed, `a round of ${r.tokens} tokens; ${allowed} allowed`);
      const used =
        /· request ([\d,]+) tokens = [\d.]+% of the 8,000-token window · 1 elided section expanded for the model/.exec(
          answer,
        );
      assert.ok(used, `the footer counts the expansion: ${tail(answer)}`);
      assert.ok(tokens(used[1]!) >= sent[2]!.tokens && tokens(used[1]!) <= allowed, used[1]);
    } finally {
      await setSetting('chat.contextShare', undefined);
    }
  });

  it('refuses an expansion that would take the request over its budget, and tells the model why', async function () {
    this.timeout(120_000);
    // The first function's body (≈1,400 tokens for tool-caller, chars / 3) is larger than the whole 1,200-token
    // share: its marker comes first in the request, so tool-caller asks for it and must get a refusal instead.
    const huge = 'reconcile-huge.ts';
    const body = Array.from(
      { length: 60 },
      (_, i) => `  const step${i} = entries.filter((e) => e.account === accounts[${i} % accounts.length]).length;\n`,
    ).join('');
    const small = (name: string) =>
      `export function ${name}(x: number): number {\n  return Math.round(x * 100) / 100;\n}\n`;
    const text = `export function reconcile(entries: { account: string }[], accounts: string[]): number {\n${body}  return entries.length;\n}\n\n${['cents', 'dollars', 'euros'].map(small).join('\n')}`;
    await vscode.workspace.fs.writeFile(workspaceFile(huge), new TextEncoder().encode(text));
    const toolModel = { vendor: 'cb-test', id: 'tool-caller' };
    await until('tool-calling model', async () =>
      (await vscode.lm.selectChatModels(toolModel)).length ? true : undefined,
    );
    await setSetting('chat.contextShare', 0.15);
    try {
      const answer = await ask('@budget explain these helpers', [workspaceFile(huge)], SHOW_SAVINGS, toolModel);
      const sent = await records();
      const allowed = Math.floor(8000 * 0.15);
      assert.equal(sent.length, 3, `three rounds: ${sent.map((r) => r.streamed).join(' | ')}`);
      assert.ok(!sentText(sent[0]!).includes('const step30 '), 'the body was elided from the first message');
      const refusal = sent[1]!.messages.at(-1)!.text;
      const m =
        /^Not expanded: the original \(([\d,]+) tokens\) would take this request over its budget of 1,?200 tokens \(([\d,]+) already used\)\. Answer from the context you have\.$/.exec(
          refusal,
        );
      assert.ok(m, `the model was told why: ${tail(refusal)}`);
      assert.ok(tokens(m[1]!) + tokens(m[2]!) > allowed, `${m[1]} + ${m[2]} really is over ${allowed}`);
      for (const r of sent) {
        assert.ok(!sentText(r).includes('const step30 '), 'the original was never sent');
        assert.ok(r.tokens <= allowed, `a round of ${r.tokens} tokens; ${allowed} allowed`);
      }
      assert.match(answer, /TOOL ANSWER after 2 call\(s\)\. \[1\] Not expanded: /);
      assert.ok(!/expanded for the model/.test(answer), `no expansion is counted: ${tail(answer)}`);
    } finally {
      await setSetting('chat.contextShare', undefined);
    }
  });

  it('counts a file attached twice (as #file and as a selection inside it) once', async function () {
    this.timeout(90_000);
    const range = { startLineNumber: 1, startColumn: 1, endLineNumber: 31, endColumn: 1 };
    const answer = await ask(
      '@budget /compress',
      [workspaceFile(file), { uri: workspaceFile(file), range }],
      SHOW_SAVINGS,
    );
    assert.equal((await records()).length, 0, 'no model call');
    const shown = footer(answer);
    assert.equal(shown.references, 2, 'both attachments arrived');
    // One source: the whole file, its original counted once.
    assert.deepEqual(
      shown.sources.map((s) => s.label),
      [file],
    );
    assert.equal(shown.originalTokens, count(`### ${file}\n${bigModule()}`));
    const block = /^(`{3,})text\n([\s\S]*?)\n\1\n/.exec(answer);
    assert.ok(block, tail(answer));
    const text = block[2]!;
    assert.equal(text.split(`### ${file}`).length - 1, 1, 'one section for the file');
    assert.ok(!text.includes(`### ${file}:1-31`), 'no second copy of the selected lines');
    assert.ok(shown.compressedTokens <= WINDOW * 0.5, JSON.stringify(shown));
    assert.match(answer, /merged with/, 'the explanation says the selection went in with the file');
  });
});

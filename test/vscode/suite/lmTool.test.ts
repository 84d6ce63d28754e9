import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { api, workspaceFile } from '../helpers';

const TOOL = 'contextBudget_compress';
// A caller-side counter unlike any bundled tokenizer, so the test shows the tool trusts the caller's count.
const count = (text: string) => Math.ceil(text.length / 3);

function pythonModule(): string {
  const parts = ['"""Inventory helpers."""\n'];
  for (let i = 0; i < 15; i++) {
    parts.push(`
def restock_level_${i}(item, history, safety=0.2):
    """Return how many units of item ${i} to reorder, from its sales history and a safety margin."""
    if not history:
        return 0
    average = sum(history) / len(history)
    peak = max(history)
    return int(round(average * (1 + safety) + (peak - average) / 2))
`);
  }
  return parts.join('');
}

async function invoke(
  input: object,
  tokenizationOptions?: vscode.LanguageModelToolTokenizationOptions,
): Promise<string> {
  const result = await vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined, tokenizationOptions });
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('contextBudget_compress language-model tool', () => {
  const file = 'inventory.py';
  before(async () => {
    await api();
    await vscode.workspace.fs.writeFile(workspaceFile(file), new TextEncoder().encode(pythonModule()));
  });

  it('is registered with its input schema', () => {
    const tool = vscode.lm.tools.find((t) => t.name === TOOL);
    assert.ok(tool, 'tool listed in vscode.lm.tools');
    assert.deepEqual(Object.keys((tool.inputSchema as { properties: object }).properties).sort(), [
      'budget',
      'protectIdentifiers',
      'query',
      'text',
      'uris',
    ]);
  });

  it('marks each cut with an id that contextBudget_expand turns back into the original; an unknown id gets a clear message', async () => {
    const text = await invoke({ uris: [file] }, { tokenBudget: 400, countTokens: async (t) => count(t) });
    assert.match(text, /call contextBudget_expand with the id/, 'the result says how to expand');
    const ids = [...text.matchAll(/contextBudget_expand\("([a-z][0-9a-z]{7})"\)/g)].map((m) => m[1]!);
    assert.ok(ids.length >= 3, `markers with ids: ${text.slice(0, 600)}`);
    const expand = async (id: string) => {
      const r = await vscode.lm.invokeTool('contextBudget_expand', { input: { id }, toolInvocationToken: undefined });
      return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    };
    for (const id of ids.slice(0, 3)) {
      const original = await expand(`#${id}`);
      assert.ok(original.length > 20 && pythonModule().includes(original), `#${id} → ${original.slice(0, 200)}`);
    }
    assert.match(
      await expand('zzzzzzzz'),
      /^Unknown id #zzzzzzzz: no compressed context held here has it\. Read the file it came from instead/,
    );
  });

  it('honours tokenizationOptions: the whole result fits tokenBudget as counted by the caller', async () => {
    const original = count(pythonModule());
    // Every cut is a marker naming its lines and the contextBudget_expand call (~20 tokens each): 700 keeps all
    // 15 signatures.
    const text = await invoke({ uris: [file] }, { tokenBudget: 700, countTokens: async (t) => count(t) });
    assert.ok(original > 700, `the file (${original}) is over the budget`);
    assert.ok(count(text) <= 700, `result is ${count(text)} tokens`);
    assert.match(
      text,
      /^Context Budget: 1 source\(s\) [\d,]+ → [\d,]+ tokens \(saved [\d,]+, \d+%\), budget 700 tokens counted with the caller's countTokens\./,
      'the caller’s counter crossed the API',
    );
    assert.ok(
      text.includes('def restock_level_0') && text.includes('def restock_level_14'),
      `signatures kept: ${text}`,
    );
    assert.ok(
      !text.includes(
        'peak = max(history)\n    return int(round(average * (1 + safety) + (peak - average) / 2))\n\ndef restock_level_14',
      ),
      'bodies elided',
    );
  });

  it('keeps what `query` asks about whole, with the explanation lines inside the caller’s budget', async () => {
    const text = await invoke(
      { uris: [file], query: 'how does restock_level_9 compute the reorder amount?' },
      { tokenBudget: 400, countTokens: async (t) => count(t) },
    );
    assert.ok(count(text) <= 400, `result is ${count(text)} tokens`);
    const body = /\ndef restock_level_9\([\s\S]*?\n(?=\n|$)/.exec(pythonModule())![0];
    assert.ok(text.includes(body.trim()), `restock_level_9 was not kept whole: ${text.slice(0, 1200)}`);
    // Under the summary line, what ran on each source (the planner's explanation).
    assert.match(text, /^Context Budget: .*\n- inventory\.py: [^\n]*kept whole for the question/);
  });

  it('takes the smaller of the input budget and the caller budget', async () => {
    const text = await invoke({ uris: [file], budget: 250 }, { tokenBudget: 1000, countTokens: async (t) => count(t) });
    assert.ok(count(text) <= 250, `result is ${count(text)} tokens`);
    assert.match(text, /budget 250 tokens counted with the caller's countTokens\./);
  });

  it('still answers a small budget: the summary line, and no marker cut in half', async () => {
    const text = await invoke({ uris: [file], budget: 70 }, { tokenBudget: 1000, countTokens: async (t) => count(t) });
    assert.ok(count(text) <= 70, `result is ${count(text)} tokens`);
    // The summary line, then the per-source lines where they fit beside what is kept (here the file's smallest
    // form, a marker of ~25 tokens, does not fit beside the summary: it is left out whole, and says so).
    assert.match(
      text,
      /^Context Budget: 1 source\(s\) [\d,]+ → [\d,]+ tokens .*budget 70 tokens counted with the caller's countTokens\.\n(- [^\n]*\n)*\n/,
    );
    for (const line of text.split('\n').filter((l) => l.includes('… lines'))) {
      assert.match(line, /contextBudget_expand\("[a-z][0-9a-z]{7}"\)/, `a whole marker: ${line}`);
    }
  });

  it('counts with the target model’s bundled tokenizer when the caller passes no counter', async () => {
    const o200k = await loadTokenizer('o200k_base');
    const text = await invoke({ text: pythonModule(), budget: 300 });
    assert.ok(o200k.count(pythonModule()) > 300);
    assert.ok(o200k.count(text) <= 300, `result is ${o200k.count(text)} o200k tokens`);
    assert.ok(text.includes('restock_level_'));
    assert.match(text, /^Context Budget: .* budget 300 tokens counted with o200k_base\./);
  });

  it('returns text untouched (and says so) when it already fits', async () => {
    const text = await invoke({ text: 'short note' }, { tokenBudget: 500, countTokens: async (t) => count(t) });
    assert.ok(text.endsWith('\n\nshort note'), JSON.stringify(text));
    assert.match(text, /saved 0, 0%/);
  });

  it('rejects an input with neither text nor uris with a clear error', async () => {
    await assert.rejects(invoke({ budget: 100 }), /contextBudget_compress needs `text` or `uris`/);
  });
});

// Budget selection (the product default): properties over generated inputs and the fixture texts.
import * as assert from 'node:assert/strict';
import { CancelledError } from '../../../src/core/tokens/count';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import type { BudgetResult } from '../../../src/core/llmlingua2/engine';
import { engine, loadCases, rng, type ModelKey } from './helpers';

const WORDS = [
  'the',
  'budget',
  'tokens',
  'naïve',
  'café',
  'Straße',
  '数据',
  '東京',
  'Привет',
  'ελληνικά',
  '😀',
  '☃',
  'Xylophone',
  'fn(x)',
  'a.b',
  '==',
  '->',
  '{',
  '}',
  '42',
  '3.14',
  'O(n²)',
  '#include',
  'foo_bar',
  "don't",
  '—',
  '…',
  '[UNK]',
];

function generate(rand: () => number, kind: 'mixed' | 'crlf' | 'longline'): string {
  const n = 50 + Math.floor(rand() * 400);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += WORDS[Math.floor(rand() * WORDS.length)];
    const r = rand();
    if (kind === 'longline') s += r < 0.1 ? '\t' : ' ';
    else if (kind === 'crlf') s += r < 0.15 ? '\r\n' : r < 0.2 ? '\r\n\r\n    ' : ' ';
    else s += r < 0.1 ? '\n' : r < 0.13 ? '\n\n' : r < 0.16 ? '  ' : ' ';
  }
  return s;
}

/** Kept words appear in the output, in order; returns false at the first that does not. */
function isOrderedSubsequence(r: BudgetResult, contextIndex: number): boolean {
  const out = r.compressed_prompt_list[contextIndex]!;
  let cursor = 0;
  for (const w of r.word_labels) {
    if (w.context !== contextIndex || !w.kept) continue;
    const at = out.indexOf(w.text, cursor);
    if (at < 0) return false;
    cursor = at + w.text.length;
  }
  return true;
}

function checkResult(r: BudgetResult, contexts: string[], tokenizer: Tokenizer, label: string): void {
  assert.equal(r.compressed_tokens, tokenizer.count(r.compressed_prompt), `${label}: reported count is exact`);
  if (!r.all_fits) {
    assert.ok(r.compressed_tokens <= r.budget, `${label}: ${r.compressed_tokens} > budget ${r.budget}`);
  } else {
    assert.equal(r.compressed_prompt, contexts.join('\n\n'), `${label}: untouched when everything fits`);
  }
  contexts.forEach((_, c) => assert.ok(isOrderedSubsequence(r, c), `${label}: kept words in order`));
  for (const w of r.word_labels) if (w.forced) assert.ok(w.kept, `${label}: forced word "${w.text}" kept`);
  // Every non-space character of the input lies in some word (nothing vanishes as [UNK]).
  contexts.forEach((text, c) => {
    const covered = new Uint8Array(text.length);
    for (const w of r.word_labels) if (w.context === c) covered.fill(1, w.start, w.end);
    for (let i = 0; i < text.length; i++) {
      if (!covered[i] && !/[\s\u200b]/.test(text[i]!)) {
        assert.fail(`${label}: char ${JSON.stringify(text[i])} at ${i} in no word`);
      }
    }
  });
}

describe('llmlingua2 budget selection', () => {
  let cl100k: Tokenizer;
  before(async () => {
    cl100k = await loadTokenizer('cl100k_base');
  });

  for (const m of ['bert', 'xlmr'] as ModelKey[]) {
    it(`${m}: generated unicode / CRLF / long-line inputs keep every property`, async function () {
      this.timeout(60_000);
      const e = await engine(m);
      const rand = rng(m === 'bert' ? 11 : 12);
      for (let k = 0; k < 12; k++) {
        const kind = (['mixed', 'crlf', 'longline'] as const)[k % 3]!;
        const text = generate(rand, kind);
        const origin = cl100k.count(text);
        const budget = Math.floor(origin * (0.2 + 0.6 * rand()));
        const r = await e.compressToBudget({
          contexts: [text],
          budget,
          tokenizer: cl100k,
          forceTokens: ['42', '{', '}'],
          forceReserveDigit: k % 2 === 0,
        });
        checkResult(r, [text], cl100k, `${kind} #${k}`);
        assert.equal(r.all_fits, false);
        assert.ok(
          r.compressed_tokens >= budget * 0.98,
          `${kind} #${k}: ${r.compressed_tokens} not within 2% of ${budget}`,
        );
        if (kind === 'crlf') {
          assert.ok(!/\r(?!\n)/.test(r.compressed_prompt), 'no stray CR from a collapsed span');
          assert.ok(!/(?<!\r)\n/.test(r.compressed_prompt), 'CRLF line endings stay CRLF');
        }
      }
    });

    it(`${m}: fixture texts at several budgets and contexts, exact budgets within 2%`, async function () {
      this.timeout(60_000);
      const e = await engine(m);
      const { texts } = loadCases();
      const names = ['chat.txt', 'code.py', 'code.ts', 'docs.md', 'math.txt', 'meeting.txt', 'multilingual.txt'];
      for (const budget of [60, 150, 400, 1000]) {
        const contexts = names.map((n) => texts[n]!);
        const r = await e.compressToBudget({ contexts, budget, tokenizer: cl100k });
        checkResult(r, contexts, cl100k, `7 contexts @${budget}`);
        assert.ok(r.compressed_tokens >= budget * 0.98, `${r.compressed_tokens} vs ${budget}`);
        assert.equal(r.compressed_prompt_list.length, 7);
      }
      // Line structure: code keeps its line breaks where spans were dropped.
      const code = texts['code.py']!;
      const r = await e.compressToBudget({ contexts: [code], rate: 0.5, tokenizer: cl100k });
      assert.ok(r.compressed_prompt.split('\n').length >= code.split('\n').length * 0.5, 'lines survive');
    });
  }

  it('empty and whitespace-only input, and input that already fits, run no model', async () => {
    const e = await engine('bert');
    const runs = e.modelRuns;
    for (const text of ['', '   \n\t', 'short text']) {
      const r = await e.compressToBudget({ contexts: [text], budget: 100, tokenizer: cl100k });
      assert.equal(r.compressed_prompt, text);
      assert.equal(r.all_fits, true);
    }
    const zero = await e.compressToBudget({
      contexts: ['some words here', 'and more words'],
      budget: 0,
      tokenizer: cl100k,
    });
    assert.equal(zero.compressed_tokens, 0);
    assert.equal(zero.compressed_prompt, '');
    assert.deepEqual(zero.notes, []);
    assert.ok(e.modelRuns - runs <= 2);
  });

  it('dropped spans collapse to one space, or one newline when they held a line break', async () => {
    const e = await engine('bert');
    const text = 'keep alpha beta gamma keep\ndelta\n\nepsilon keep';
    const r = await e.compressToBudget({ contexts: [text], budget: 6, tokenizer: cl100k, forceTokens: ['keep'] });
    assert.equal(r.compressed_tokens <= 6, true);
    const kept = r.word_labels.filter((w) => w.kept).map((w) => w.text);
    assert.deepEqual(kept.filter((w) => w === 'keep').length, 3);
    // Between the 2nd and 3rd "keep" the dropped span had newlines: the output has exactly one there.
    const out = r.compressed_prompt;
    const i2 = out.indexOf('keep', out.indexOf('keep') + 1);
    const between = out.slice(i2 + 4, out.lastIndexOf('keep'));
    if (!r.word_labels.some((w) => w.kept && (w.text === 'delta' || w.text === 'epsilon'))) assert.equal(between, '\n');
  });

  it('recompressing after a one-line edit reruns only the changed chunks', async function () {
    this.timeout(60_000);
    const e = await engine('xlmr');
    const long = loadCases().texts.LONG!;
    const text = [long, long.replace(/e/g, 'E'), long.toUpperCase()].join('\n\n');
    const first = await e.compressToBudget({ contexts: [text], rate: 0.4, tokenizer: cl100k });
    const lines = text.split('\n');
    lines[40] = lines[40] + ' (edited: one more clause here)';
    const edited = lines.join('\n');
    const second = await e.compressToBudget({ contexts: [edited], rate: 0.4, tokenizer: cl100k });
    console.log(`      chunks ${second.chunks.total}, served from cache ${second.chunks.cached}`);
    assert.ok(first.chunks.total >= 10);
    assert.ok(second.chunks.total - second.chunks.cached <= 2, JSON.stringify(second.chunks));
  });

  it('honours cancellation and reports progress', async () => {
    const e = await engine('bert');
    const text = loadCases().texts.LONG!.split('').reverse().join('');
    const seen: number[] = [];
    await assert.rejects(
      e.compressToBudget({
        contexts: [text],
        rate: 0.3,
        tokenizer: cl100k,
        cancellation: {
          get isCancellationRequested() {
            return seen.length >= 2;
          },
        },
        onProgress: (done) => seen.push(done),
      }),
      CancelledError,
    );
    assert.deepEqual(seen, [1, 2]);
  });
});

describe('budget selection: forced words alone over the budget', () => {
  it('keeps the forced words the model ranks highest, not the first ones, and says so', async () => {
    const { selectWithinBudget } = await import('../../../src/core/llmlingua2/budget');
    const o200k = await loadTokenizer('o200k_base');
    const text = Array.from({ length: 40 }, (_, i) => `id_${i.toString().padStart(3, '0')}`).join(' ');
    const words = [...text.matchAll(/\S+/g)].map((m, i) => ({
      context: 0,
      start: m.index,
      end: m.index + m[0].length,
      pKeep: 1,
      forced: true,
      protected: true,
      // The model likes the later ids best.
      modelPKeep: i / 40,
    }));
    const budget = Math.floor(o200k.count(text) / 4);
    const r = selectWithinBudget([text], words, budget, o200k);
    assert.ok(r.tokens <= budget, `${r.tokens} > ${budget}`);
    const kept = words.filter((_, i) => r.kept[i]).map((w) => text.slice(w.start, w.end));
    assert.ok(kept.length > 0 && kept.length < words.length, `${kept.length} kept`);
    assert.ok(
      kept.every((w) => Number(w.slice(3)) >= 40 - kept.length),
      `the highest ranked: ${kept.join(' ')}`,
    );
    assert.match(r.notes.join(' '), /protected identifiers alone exceed the budget \(40 of them\)/);
  });
});

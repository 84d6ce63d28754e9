import * as assert from 'node:assert/strict';
import { CancelledError, countTokens, splitForCounting } from '../../../src/core/tokens/count';
import { loadTokenizer, TOKENIZER_IDS } from '../../../src/core/tokens/tokenizers';

function sampleText(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(
      i % 7 === 0
        ? ''
        : i % 11 === 0
          ? ' \t'
          : `${'  '.repeat(i % 4)}const value${i} = compute("héllo wörld ✓", ${i * 31}); // line ${i};`,
    );
  }
  return out.join(i0(lines) ? '\r\n' : '\n');
}
const i0 = (n: number) => n % 2 === 1;

describe('token counting', () => {
  it('known counts for each tokenizer', async () => {
    // Published ids of "hello world": tiktoken's o200k_base and cl100k_base; Llama 3 shares cl100k's first 100k.
    const expected = { o200k_base: [24912, 2375], cl100k_base: [15339, 1917], llama3: [15339, 1917] };
    for (const id of ['o200k_base', 'cl100k_base', 'llama3'] as const) {
      const t = await loadTokenizer(id);
      assert.deepEqual(t.encode('hello world'), expected[id], id);
      assert.equal(t.count('Hello world! Context budgets matter.'), 7, id);
      assert.equal(t.approximate, false);
    }
    const claude = await loadTokenizer('claude');
    assert.equal(claude.approximate, true);
    assert.ok(claude.count('Hello world! Context budgets matter.') > 0);
  });

  it('piecewise counting equals counting the whole text, for every tokenizer', async () => {
    for (const lines of [3000, 3001]) {
      const text = sampleText(lines);
      for (const id of TOKENIZER_IDS) {
        const t = await loadTokenizer(id);
        const pieces = splitForCounting(text, 4096, t.cutRule);
        assert.ok(pieces.length > 10 || (id === 'claude' && lines % 2 === 1), `${id}: the text was split`);
        assert.equal(pieces.join(''), text, 'pieces reassemble the text');
        assert.equal(
          pieces.reduce((s, p) => s + t.count(p), 0),
          t.count(text),
          `${id}, ${lines % 2 ? 'CRLF' : 'LF'}`,
        );
      }
    }
  });

  it('keeps a single giant line whole', () => {
    const text = 'x'.repeat(10_000) + '\n' + 'y'.repeat(10);
    const pieces = splitForCounting(text, 1000);
    assert.deepEqual(pieces, [text.slice(0, 10_001), 'y'.repeat(10)]);
    assert.equal(splitForCounting('a\r\nb'.repeat(1000), 100, 'lone-newline').length, 1, 'CRLF has no lone newline');
    assert.ok(splitForCounting('a\r\n\r\n  b'.repeat(1000), 100, 'newline-run').length > 10);
    assert.deepEqual(splitForCounting('', 10), ['']);
  });

  it('stops with CancelledError when cancelled', async () => {
    const t = await loadTokenizer('o200k_base');
    const token = { isCancellationRequested: false };
    const pending = countTokens(sampleText(20_000), t, token);
    token.isCancellationRequested = true;
    await assert.rejects(pending, CancelledError);
  });
});

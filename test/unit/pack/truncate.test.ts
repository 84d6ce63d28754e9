// The last resort on its own: segments follow a cut, and the final safety cut never exceeds the budget.
import { strict as assert } from 'node:assert';
import type { Segment } from '../../../src/core/compressor';
import { cutSegments, cutSegmentsDropping, truncateToTokens } from '../../../src/core/pack/truncate';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';

describe('budget packer: truncation', () => {
  // Source "abcdefghij"; output "abc{…}ij" (d..h elided as "{…}"), then a dropped tail.
  const segments: Segment[] = [
    { start: 0, end: 3, status: 'kept' },
    { start: 3, end: 8, status: 'elided', replacement: '{…}' },
    { start: 8, end: 10, status: 'kept' },
    { start: 10, end: 12, status: 'dropped' },
  ];

  it('cuts inside a kept segment; the rest of the source starts where the output stops', () => {
    assert.deepEqual(cutSegments(segments, 2), {
      segments: [{ start: 0, end: 2, status: 'kept' }],
      produced: 2,
      cutAt: 2,
    });
  });

  it('never splits an elided segment: a cut inside its replacement leaves the whole range out', () => {
    assert.deepEqual(cutSegments(segments, 4), {
      segments: [{ start: 0, end: 3, status: 'kept' }],
      produced: 3,
      cutAt: 3,
    });
    assert.deepEqual(cutSegmentsDropping(segments, 4), [
      { start: 0, end: 3, status: 'kept' },
      { start: 3, end: 12, status: 'dropped' },
    ]);
  });

  it('cuts at a segment boundary without splitting a segment', () => {
    assert.deepEqual(cutSegments(segments, 6), {
      segments: [
        { start: 0, end: 3, status: 'kept' },
        { start: 3, end: 8, status: 'elided', replacement: '{…}' },
      ],
      produced: 6,
      cutAt: 8,
    });
  });

  it('cuts the joined text to at most the budget, as long as it can', async () => {
    const tokenizer = await loadTokenizer('cl100k_base');
    const text = 'one two three four five six seven eight nine ten '.repeat(20);
    for (const budget of [0, 1, 7, 50]) {
      const cut = truncateToTokens(text, budget, tokenizer);
      assert.ok(text.startsWith(cut.text));
      assert.equal(cut.tokens, tokenizer.count(cut.text));
      assert.ok(cut.tokens <= budget);
      assert.ok(tokenizer.count(text.slice(0, cut.text.length + 1)) > budget, `longest prefix for ${budget}`);
    }
  });
});

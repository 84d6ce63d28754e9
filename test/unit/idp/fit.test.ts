// fitToBudget (src/chat/pipeline.ts): the chat participant and the tool plan with a bundled tokenizer and let the
// target model's own count decide; here the "model" counts characters / 3, well above o200k for this text.
import * as assert from 'node:assert/strict';
import { fitToBudget } from '../../../src/chat/pipeline';
import { packSources, type PackSource } from '../../../src/core/pack';
import { createStructuralCompressor } from '../../../src/core/structural';
import { CancelledError } from '../../../src/core/tokens/count';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';

const modelCount = async (t: string) => Math.ceil(t.length / 3);
const structural = createStructuralCompressor({ readWasm });

function source(n: number): PackSource {
  const fns = Array.from(
    { length: n },
    (_, i) => `export function step${i}(x: number): number {\n  // doubles then adds ${i}\n  return x * 2 + ${i};\n}\n`,
  );
  return {
    id: 'a.ts',
    label: 'a.ts',
    text: fns.join('\n'),
    languageId: 'typescript',
    priority: 50,
    header: '### a.ts\n',
  };
}

describe('fitToBudget: packing against the target model’s own count', () => {
  it('shrinks the plan until the model’s count fits, and keeps the pack’s structure', async () => {
    const tokenizer = await loadTokenizer('o200k_base');
    const src = source(20);
    // At 300 the signatures level is 284 o200k tokens but 366 for the model: the first plan must be retried.
    const budget = 300;
    const fit = await fitToBudget(
      [src],
      budget,
      modelCount,
      (s, b, t, c) => packSources(s, { budget: b, tokenizer: t, structural, ...(c ? { cancellation: c } : {}) }),
      tokenizer,
    );
    assert.ok(fit.tokens <= budget, `${fit.tokens} > ${budget}`);
    assert.equal(fit.tokens, await modelCount(fit.pack.text));
    assert.ok(
      fit.attempts.length >= 2,
      `the first plan (in o200k units) overshoots the model's count: ${fit.attempts}`,
    );
    assert.equal(fit.originalTokens, await modelCount(src.header + src.text));
    assert.equal(fit.sourceTokens.get('a.ts'), fit.originalTokens);
    // Signatures no longer fit the model's count, so the retry had to go past that level (the packer picks how).
    assert.ok(!['full', 'no-comments', 'signatures'].includes(fit.pack.sources[0]!.level), fit.pack.sources[0]!.level);
    assert.ok(fit.pack.text.startsWith('### a.ts\nexport function step0'));
  });

  it('fails with a clear message when nothing fits, and stops on cancellation', async () => {
    const tokenizer = await loadTokenizer('o200k_base');
    // A packer that never gets smaller: the loop must give up rather than spin.
    const stubborn = async () => ({
      text: 'x'.repeat(3000),
      totalTokens: 1000,
      budget: 0,
      originalTokens: 1000,
      sources: [],
      notes: [],
    });
    await assert.rejects(
      fitToBudget([source(2)], 100, modelCount, stubborn, tokenizer),
      /could not fit the context into 100 tokens of the model/,
    );
    await assert.rejects(
      fitToBudget([source(2)], 100, modelCount, stubborn, tokenizer, { isCancellationRequested: true }),
      (e: unknown) => e instanceof CancelledError,
    );
  });
});

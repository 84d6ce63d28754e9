import * as assert from 'node:assert/strict';
import { createLLMLingua2Compressor } from '../../../src/core/llmlingua2/compressor';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { engine, loadCases } from './helpers';

describe('llmlingua2 Compressor adapter', () => {
  it('returns text within budget and ordered segments covering the source', async () => {
    const tokenizer = await loadTokenizer('cl100k_base');
    const c = createLLMLingua2Compressor(() => engine('bert'));
    const text = loadCases().texts['code.ts']!;
    let progress = 0;
    const r = await c.compress({ text, budget: 120, tokenizer, forceTokens: ['export'], onProgress: () => progress++ });
    assert.equal(c.id, 'llmlingua2');
    assert.equal(r.method, 'llmlingua2');
    assert.ok(r.compressedTokens <= 120 && r.compressedTokens === tokenizer.count(r.text));
    assert.ok(progress >= 1);
    let cursor = 0;
    for (const s of r.segments) {
      assert.equal(s.start, cursor, 'contiguous');
      assert.ok(s.end > s.start);
      cursor = s.end;
    }
    assert.equal(cursor, text.length);
    const keptWords = r.segments.filter((s) => s.status === 'kept' && s.pKeep !== undefined);
    assert.ok(keptWords.some((s) => text.slice(s.start, s.end) === 'export'));
    const fits = await c.compress({ text: 'tiny', budget: 50, tokenizer });
    assert.equal(fits.method, 'none');
    assert.equal(fits.text, 'tiny');
  });
});

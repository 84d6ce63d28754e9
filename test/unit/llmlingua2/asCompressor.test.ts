import * as assert from 'node:assert/strict';
import { createLLMLingua2Compressor } from '../../../src/core/llmlingua2/asCompressor';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { loadEngineFromFolder } from '../../../src/node/llmlingua2/folder';
import { eventually, ManualTimers } from '../../support/manualTimers';
import { engine, FOLDERS, loadCases } from './helpers';

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

  describe('idle unload', () => {
    /** A real engine per load, counting loads and disposals. */
    function loader() {
      const n = { loads: 0, disposed: 0 };
      const load = async () => {
        n.loads++;
        const e = await loadEngineFromFolder(FOLDERS.bert, { skipWarmup: true });
        return { compressToBudget: e.compressToBudget.bind(e), dispose: () => (n.disposed++, e.dispose()) };
      };
      return { n, load };
    }

    it('frees the engine after the idle time and loads it again on the next request, same result', async () => {
      const tokenizer = await loadTokenizer('cl100k_base');
      const { n, load } = loader();
      const timers = new ManualTimers();
      const c = createLLMLingua2Compressor(load, { unloadAfterMs: () => 40, timers });
      const text = loadCases().texts['code.ts']!;
      const first = await c.compress({ text, budget: 120, tokenizer });
      assert.ok(c.loaded);
      timers.advance(39);
      assert.ok(c.loaded, 'still loaded 39 ms after the request');
      timers.advance(1);
      assert.equal(c.loaded, false);
      await eventually('the engine to be disposed', () => n.disposed === 1);
      assert.deepEqual(n, { loads: 1, disposed: 1 });
      const again = await c.compress({ text, budget: 120, tokenizer });
      assert.equal(again.text, first.text);
      assert.equal(n.loads, 2);
      await c.dispose();
      assert.equal(n.disposed, 2);
    });

    it('never unloads while a request runs, and keeps the model with unloadAfterMs 0', async () => {
      const tokenizer = await loadTokenizer('cl100k_base');
      const text = loadCases().texts.LONG!;
      const { n, load } = loader();
      const timers = new ManualTimers();
      const c = createLLMLingua2Compressor(load, { unloadAfterMs: () => 1, timers });
      // The two requests overlap: the timer starts only when the last one ends.
      await Promise.all([
        c.compress({ text, budget: 200, tokenizer }),
        c.compress({ text: text + ' x', budget: 200, tokenizer }),
      ]);
      assert.equal(timers.sets, 1, 'one idle timer, set when the second request ended');
      assert.deepEqual(n, { loads: 1, disposed: 0 });
      timers.advance(1);
      await eventually('the engine to be disposed', () => n.disposed === 1);
      const kept = loader();
      const keptTimers = new ManualTimers();
      const k = createLLMLingua2Compressor(kept.load, { unloadAfterMs: () => 0, timers: keptTimers });
      await k.compress({ text, budget: 200, tokenizer });
      assert.equal(keptTimers.sets, 0, 'no idle timer with unloadAfterMs 0');
      assert.ok(k.loaded);
      await k.dispose();
    });

    it('a request during the idle wait restarts it', async () => {
      const tokenizer = await loadTokenizer('cl100k_base');
      const { n, load } = loader();
      const timers = new ManualTimers();
      const c = createLLMLingua2Compressor(load, { unloadAfterMs: () => 120, timers });
      const text = loadCases().texts['code.ts']!;
      await c.compress({ text, budget: 120, tokenizer });
      timers.advance(80);
      await c.compress({ text, budget: 100, tokenizer });
      timers.advance(80);
      assert.ok(c.loaded, '160 ms after the first request, 80 ms after the second: still loaded');
      assert.equal(timers.pending, 1, 'the first timer was cleared');
      timers.advance(40);
      assert.equal(c.loaded, false);
      await eventually('the engine to be disposed', () => n.disposed === 1);
      assert.deepEqual(n, { loads: 1, disposed: 1 });
    });

    it('loads a new engine when its worker died', async () => {
      const tokenizer = await loadTokenizer('cl100k_base');
      let loads = 0;
      const { load } = loader();
      const c = createLLMLingua2Compressor(async () => {
        loads++;
        const e = await load();
        // The first engine reports its worker gone after one request.
        let used = false;
        return {
          ...e,
          get closed() {
            return loads === 1 && used ? new Error('worker exited') : undefined;
          },
          compressToBudget: (...a: Parameters<typeof e.compressToBudget>) => ((used = true), e.compressToBudget(...a)),
        };
      });
      await c.compress({ text: 'a b c d e f', budget: 2, tokenizer });
      const r = await c.compress({ text: 'a b c d e f', budget: 2, tokenizer });
      assert.ok(r.compressedTokens <= 2);
      assert.equal(loads, 2);
      await c.dispose();
    });

    it('tries a model that failed to load again on the next request', async () => {
      const tokenizer = await loadTokenizer('cl100k_base');
      let tries = 0;
      const { load } = loader();
      const c = createLLMLingua2Compressor(() => (++tries === 1 ? Promise.reject(new Error('no model.onnx')) : load()));
      await assert.rejects(c.compress({ text: 'a b c d e f', budget: 2, tokenizer }), /no model\.onnx/);
      const r = await c.compress({ text: 'a b c d e f', budget: 2, tokenizer });
      assert.ok(r.compressedTokens <= 2);
      assert.equal(tries, 2);
      await c.dispose();
    });
  });
});

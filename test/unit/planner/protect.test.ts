// --protect when the protected words alone exceed the budget: the model keeps as many as fit, the most important
// first, over the whole text (not its top), and the source's explanation says how many it kept. On the tiny real
// reference model (test/fixtures/llmlingua2), a build log with a timestamp, path or URL on every line.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLLMLingua2Compressor } from '../../../src/core/llmlingua2/asCompressor';
import { planContext } from '../../../src/core/planner/index';
import { createStructuralCompressor } from '../../../src/core/structural/index';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { engine } from '../llmlingua2/helpers';

const LOG = readFileSync(join(__dirname, '../../fixtures/llmlingua2/build60.log'), 'utf8');

describe('planner: protected identifiers over the budget', function () {
  this.timeout(120_000);
  const structural = createStructuralCompressor({ readWasm });

  for (const share of [0.04, 0.2]) {
    it(`at ${share * 100}% of the log: the model keeps the most important ids from the whole log and says how many`, async () => {
      const o200k = await loadTokenizer('o200k_base');
      const budget = Math.floor(o200k.count(LOG) * share);
      const result = await planContext({
        sources: [{ id: 'build60.log', text: LOG, languageId: 'log', priority: 50 }],
        budget,
        compressor: 'llmlingua2',
        protectIdentifiers: true,
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
        llmlingua2: async () => createLLMLingua2Compressor(() => engine('xlmr')),
      });
      const s = result.sources[0]!;
      assert.ok(result.tokens <= budget, `${result.tokens} > ${budget}`);
      assert.ok(result.tokens >= 0.7 * budget, `only ${result.tokens} of ${budget}`);
      assert.match(s.level, /^llmlingua2@/, s.explanation);
      const m = /(\d+) of (\d+) protected identifiers kept, the most important first/.exec(s.explanation);
      assert.ok(m, s.explanation);
      assert.ok(Number(m[1]) > 0 && Number(m[1]) < Number(m[2]), s.explanation);
      assert.deepEqual(s.summary.protectedKept, { kept: Number(m[1]), total: Number(m[2]) });
      // Not the top of the log: kept timestamps come from its second half too.
      const stamps = [...result.context.matchAll(/2026-03-14T09:(\d\d):/g)].map((x) => Number(x[1]));
      const lastMinute = Math.max(...[...LOG.matchAll(/2026-03-14T09:(\d\d):/g)].map((x) => Number(x[1])));
      assert.ok(
        stamps.some((minute) => minute >= (12 + lastMinute) / 2),
        result.context,
      );
    });
  }

  it('without a model, protect never cuts a kept line through its identifiers (plain markers)', async () => {
    const o200k = await loadTokenizer('o200k_base');
    const lines = new Set(LOG.split('\n'));
    // Lines of a plan's context that are a log line kept in part (`… […]`).
    const cut = async (budget: number, protectIdentifiers: boolean) => {
      const r = await planContext({
        sources: [{ id: 'build60.log', text: LOG, languageId: 'log', priority: 50 }],
        budget,
        compressor: 'structural',
        ...(protectIdentifiers ? { protectIdentifiers } : {}),
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
      });
      assert.ok(r.tokens <= budget, `${r.tokens} > ${budget}`);
      return r.context.split('\n').filter((l) => l.includes('[…]') && !lines.has(l)).length;
    };
    let without = 0;
    for (const budget of [120, 200, 330]) {
      assert.equal(await cut(budget, true), 0, `budget ${budget}`);
      without += await cut(budget, false);
    }
    // The same budgets cut some line in part without protect: the check above can fail.
    assert.ok(without > 0);
  });
});

describe('planner: a log with a model installed (auto)', function () {
  this.timeout(120_000);
  const structural = createStructuralCompressor({ readWasm });

  it('keeps its error lines whole at a small share instead of a harsh model rate', async () => {
    const o200k = await loadTokenizer('o200k_base');
    const budget = Math.floor(o200k.count(LOG) * 0.05);
    const result = await planContext({
      // No language: what the CLI and the tools give a .log file (text counts as prose).
      sources: [{ id: 'build60.log', text: LOG, priority: 50 }],
      budget,
      compressor: 'auto',
      count: (t) => o200k.count(t),
      planning: o200k,
      structural,
      llmlingua2: async () => createLLMLingua2Compressor(() => engine('xlmr')),
    });
    assert.ok(result.tokens <= budget && result.tokens >= 0.7 * budget, `${result.tokens} of ${budget}`);
    const errors = LOG.split('\n').filter((l) => /\bERROR\b/.test(l));
    const kept = result.context.split('\n').filter((l) => errors.includes(l));
    assert.ok(kept.length >= Math.min(2, errors.length), result.context);
    assert.doesNotMatch(result.sources[0]!.level, /^llmlingua2@0\.[0-4]/, result.sources[0]!.explanation);
  });
});

import * as assert from 'node:assert/strict';
import { budgetUsage, effectiveBudget } from '../../../src/core/budget';
import {
  formatChange,
  formatCost,
  formatPercent,
  formatSaved,
  formatTokens,
  formatWholePercent,
} from '../../../src/core/format';
import { CATALOG, findCatalogModel } from '../../../src/core/tokens/catalog';
import { checkCountable, looksBinary, utf8Length } from '../../../src/core/tokens/guard';
import { catalogTarget } from '../../../src/core/tokens/target';

describe('budget and catalog', () => {
  it('budget is window minus reserve unless set, and never above the window', () => {
    const target = { contextWindow: 8192 };
    assert.equal(effectiveBudget(target, { reserveTokens: 4096 }), 4096);
    assert.equal(effectiveBudget(target, { reserveTokens: 4096, budgetTokens: 1000 }), 1000);
    assert.equal(effectiveBudget(target, { reserveTokens: 0, budgetTokens: 99_999 }), 8192);
    assert.equal(effectiveBudget(target, { reserveTokens: 10_000 }), 4096, 'the reserve is capped at half the window');
    assert.equal(effectiveBudget({ contextWindow: 2000 }, { reserveTokens: 4096 }), 1000);
  });

  it('levels: ok below 80%, warning from 80%, error above 100%', () => {
    const t = { contextWindow: 1000, inputPricePerMTok: 2 };
    const s = { reserveTokens: 0 };
    assert.equal(budgetUsage(799, t, s).level, 'ok');
    assert.equal(budgetUsage(800, t, s).level, 'warning');
    assert.equal(budgetUsage(1000, t, s).level, 'warning');
    assert.equal(budgetUsage(1001, t, s).level, 'error');
    assert.equal(budgetUsage(500_000, t, s).costUsd, 1);
    assert.equal(budgetUsage(5, { contextWindow: 10 }, s).costUsd, undefined);
  });

  it('formats', () => {
    assert.equal(formatPercent(0.0007), '0.1%');
    assert.equal(formatPercent(0.456), '46%');
    assert.equal(formatCost(0.00027), '$0.0003');
    assert.equal(formatCost(1.234), '$1.23');
    assert.equal(formatCost(undefined), 'n/a');
    assert.equal(formatCost(null), 'n/a');
    assert.equal(formatCost(0), '$0');
    assert.equal(formatTokens(123_904), '123,904');
    assert.equal(formatChange(1950, 812), '1,950 → 812');
    assert.equal(formatWholePercent(0.5), '50%');
    assert.deepEqual(formatSaved(1950, 812), { tokens: '1,138', percent: '58%' });
    assert.deepEqual(formatSaved(100, 103), { tokens: '0', percent: '0%' }, 'a packed result a little larger saved 0');
    assert.deepEqual(formatSaved(0, 0), { tokens: '0', percent: '0%' });
  });

  it('catalog has windows and tokenizers from the bundled data', async () => {
    assert.ok(CATALOG.length >= 15);
    assert.equal(findCatalogModel('gpt-4o')?.contextWindow, 128_000);
    assert.equal(findCatalogModel('gpt-4o')?.tokenizer, 'o200k_base');
    assert.equal(findCatalogModel('gpt-4')?.tokenizer, 'cl100k_base');
    assert.equal(findCatalogModel('claude-sonnet-4')?.tokenizer, 'claude');
    assert.equal(new Set(CATALOG.map((m) => m.id)).size, CATALOG.length, 'ids are unique');
    const target = await catalogTarget(findCatalogModel('gpt-4o')!);
    assert.equal(await target.count('Hello world! Context budgets matter.'), 7);
  });

  it('guards binary and oversized text with a message', () => {
    assert.equal(looksBinary('plain text\nwith lines'), false);
    assert.equal(looksBinary('PK\u0003\u0004\u0000'), true);
    assert.equal(looksBinary('\ufffd'.repeat(50) + 'x'.repeat(100)), true);
    assert.equal(utf8Length('aé✓😀'), 1 + 2 + 3 + 4);
    assert.equal(checkCountable('x'.repeat(2048), 1024)?.kind, 'too-large');
    assert.match(checkCountable('x'.repeat(2048), 1024)!.message, /2\.0 KB is over the 1\.0 KB limit/);
    assert.equal(checkCountable('fine', 1024), undefined);
  });
});

// Unified diffs: files → hunks → lines. Changed lines and headers survive the first cut, headers the second, and
// each cut says what it stood for.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planContext } from '../../../src/core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../../../src/core/structural/index';
import { looksLikeDiff } from '../../../src/core/structural/diff';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';

const diff = readFileSync(join(__dirname, '../../fixtures/devtexts/change.diff'), 'utf8');
const lines = diff.split('\n');
const headers = lines.filter((l) => /^(diff --git|--- |\+\+\+ |@@ )/.test(l));
const changed = lines.filter((l) => /^[+-]/.test(l) && !/^(--- |\+\+\+ )/.test(l));

describe('structural: unified diffs', () => {
  const structural = createStructuralCompressor({ readWasm });

  it('is recognised by extension and, with no language, by its content', () => {
    assert.equal(languageIdForPath('fix.patch'), 'diff');
    assert.equal(languageIdForPath('change.diff'), 'diff');
    assert.ok(looksLikeDiff(diff));
    assert.ok(!looksLikeDiff('# Notes\n\nA paragraph - with a dash.\n'));
  });

  it('changes only keeps every header and changed line; headers only counts what each hunk changed', async () => {
    for (const languageId of ['diff', undefined]) {
      const a = await structural.analyse(diff, languageId);
      assert.equal(a.kind, 'diff');
      const [, , changes, outline] = a.levels;
      for (const l of [...headers, ...changed]) assert.ok(changes!.text.split('\n').includes(l), `kept: ${l}`);
      assert.match(changes!.text, / … \d+ unchanged lines\n/);
      for (const l of headers) assert.ok(outline!.text.split('\n').includes(l), `header kept: ${l}`);
      const added = changed.filter((l) => l.startsWith('+')).length;
      const removed = changed.filter((l) => l.startsWith('-')).length;
      assert.ok(outline!.text.includes(` … ${added} added, ${removed} removed\n`), outline!.text);
      assert.ok(!changed.some((l) => outline!.text.split('\n').includes(l)), 'no changed line at headers only');
    }
  });

  it('a budget between its levels is filled, file and hunk headers first', async () => {
    const o200k = await loadTokenizer('o200k_base');
    const budget = Math.floor(o200k.count(diff) * 0.5);
    const result = await planContext({
      sources: [{ id: 'change.diff', text: diff, languageId: 'diff', priority: 50 }],
      budget,
      compressor: 'structural',
      count: (t) => o200k.count(t),
      planning: o200k,
      structural,
    });
    assert.ok(result.tokens <= budget && result.tokens >= 0.85 * budget, `${result.tokens} of ${budget}`);
    for (const h of headers) assert.ok(result.text.includes(h), `header kept: ${h}`);
  });
});

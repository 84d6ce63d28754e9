// Reversible plans: over every fixture file and random budgets, each marker occurs once, ids are unique, and putting
// each original back in place of its marker restores the input byte for byte.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandElisions, markerIds } from '../../../src/core/elisions';
import { planContext, type PlanResult, type PlanSource } from '../../../src/core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../../../src/core/structural/index';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { rng } from '../../support/rng';

const FIXTURES = join(__dirname, '../../fixtures');
const FILES = [
  ...readdirSync(join(FIXTURES, 'structural')).map((f) => join('structural', f)),
  ...readdirSync(join(FIXTURES, 'devtexts')).map((f) => join('devtexts', f)),
];

function assertRoundTrip(result: PlanResult, original: string, label: string): void {
  const ids = result.elisions.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, `${label}: ids unique`);
  for (const e of result.elisions) {
    assert.match(e.id, /^[a-z][0-9a-z]{7}$/, `${label}: id shape`);
    assert.equal(result.text.split(e.marker).length, 2, `${label}: ${e.marker} occurs exactly once`);
  }
  assert.equal(expandElisions(result.text, result.elisions), original, `${label}: expands to the input`);
}

describe('planner: reversible elisions', function () {
  this.timeout(120_000);
  const structural = createStructuralCompressor({ readWasm });
  let o200k: Tokenizer;
  before(async () => {
    o200k = await loadTokenizer('o200k_base');
  });
  /** Structural plans counted in o200k (target and planning alike). */
  const plan = (sources: PlanSource[], budget: number, reversible = true) =>
    planContext({
      sources,
      budget,
      compressor: 'structural',
      count: (t) => o200k.count(t),
      planning: o200k,
      structural,
      ...(reversible ? { reversible } : {}),
    });

  it('every fixture file at random budgets: markers once, ids unique, expanding restores the file', async () => {
    const random = rng(20261130);
    let cases = 0;
    let elided = 0;
    for (const file of FILES) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const languageId = languageIdForPath(file) ?? 'plaintext';
      const full = o200k.count(text);
      for (let k = 0; k < 6; k++) {
        // From a tail marker's worth of room up to the whole file.
        const budget = Math.floor(40 + random() * Math.max(0, full - 40));
        const result = await plan([{ id: file, text, languageId, priority: 1 }], budget);
        assert.ok(result.tokens <= budget, `${file} @${budget}: ${result.tokens}`);
        assertRoundTrip(result, text, `${file} @${budget}`);
        if (result.tokens < full) assert.ok(result.elisions.length > 0, `${file} @${budget}: a cut has a marker`);
        cases++;
        elided += result.elisions.length;
      }
    }
    console.log(`      ${cases} plans over ${FILES.length} files, ${elided} elisions, every one restored`);
  });

  it('several sources: each file comes back whole between its header and the next, a squeezed one from its marker', async () => {
    const files = ['structural/sample.ts', 'structural/handlers.py', 'devtexts/prose.md'];
    const texts = files.map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
    for (const budget of [700, 420]) {
      const result = await plan(
        files.map((f, i) => ({
          id: f,
          text: texts[i]!,
          languageId: languageIdForPath(f) ?? 'plaintext',
          priority: 3 - i,
          header: `==> ${f} <==\n`,
        })),
        budget,
      );
      assert.ok(result.tokens <= budget);
      const joined = files.map((f, i) => `==> ${f} <==\n${texts[i]}`).join('\n\n');
      assertRoundTrip(result, joined, `three files @${budget}`);
      if (budget === 420) {
        // The lowest-priority file is cut to its marker alone: no lines, yet the model can ask for all of it.
        const prose = result.sources[2]!;
        assert.equal(prose.level, 'selected', JSON.stringify(result.sources.map((s) => s.level)));
        assert.match(prose.text, /^\[… #[a-z][0-9a-z]{7} \d+ lines\]\n$/);
      }
    }
  });

  it('several files sharing a licence header and code: every marker in the text is listed once, and all expand back', async () => {
    const random = rng(20261207);
    const licence = `${'// Copyright 2026 The Authors. Licensed under the Apache License, Version 2.0.\n'.repeat(6)}\n`;
    const names = ['structural/sample.ts', 'structural/sample.js', 'structural/sample.ts'];
    const texts = names.map(
      (f, i) => licence + readFileSync(join(FIXTURES, f), 'utf8') + (i === 2 ? '\n// copy\n' : ''),
    );
    const sources = names.map((f, i) => ({
      id: `src/file${i}.${f.split('.').pop()}`,
      text: texts[i]!,
      languageId: languageIdForPath(f) ?? 'plaintext',
      priority: 10 - i,
      header: `==> src/file${i} <==\n`,
    }));
    const joined = sources.map((s) => s.header + s.text).join('\n\n');
    const full = o200k.count(joined);
    for (let k = 0; k < 24; k++) {
      const budget = Math.floor(120 + random() * (full - 120));
      const result = await plan(sources, budget);
      const label = `three files sharing text @${budget}`;
      assert.ok(result.tokens <= budget, label);
      const listed = new Set(result.elisions.map((e) => e.id));
      for (const id of markerIds(result.text)) assert.ok(listed.has(id), `${label}: marker ${id} has an entry`);
      assert.equal(markerIds(result.text).length, new Set(markerIds(result.text)).size, `${label}: ids unique`);
      assertRoundTrip(result, joined, label);
    }
  });

  it('with a question: a body kept whole as an excerpt still has the entry for the marker left in its file', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    for (const budget of [150, 250, 400]) {
      const result = await planContext({
        sources: [{ id: 'sample.ts', text, languageId: 'typescript', priority: 1 }],
        budget,
        question: 'how does newSessionId build the id?',
        compressor: 'structural',
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
        reversible: true,
      });
      const listed = new Set(result.elisions.map((e) => e.id));
      for (const id of markerIds(result.text)) assert.ok(listed.has(id), `@${budget}: marker ${id} has an entry`);
    }
  });

  it('without reversible, the output carries no ids and no elisions', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    const result = await plan([{ id: 'a', text, languageId: 'typescript', priority: 1 }], 200, false);
    assert.deepEqual(result.elisions, []);
    assert.doesNotMatch(result.text, /… #[a-z][0-9a-z]{7}/);
  });
});

// Reversible plans: over every fixture file and random budgets, each marker occurs once, ids are unique, and putting
// each original back in place of its marker restores the input byte for byte.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_EXPAND_TOOL, declaredNames, expandElisions, lineRange, markerIds } from '../../../src/core/elisions';
import { planContext, type PlanRequest, type PlanResult, type PlanSource } from '../../../src/core/planner/index';
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
  /** Reversible structural plans counted in o200k (target and planning alike); `options` add to or override that. */
  const plan = (sources: PlanSource[], budget: number, options: Partial<PlanRequest> = {}) =>
    planContext({
      sources,
      budget,
      compressor: 'structural',
      count: (t) => o200k.count(t),
      planning: o200k,
      structural,
      reversible: true,
      ...options,
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

  it('every marker names its source lines, the functions its region declares, and the reader’s expand call', async () => {
    let markers = 0;
    let named = 0;
    for (const file of FILES.filter((f) => f.startsWith('structural/'))) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const languageId = languageIdForPath(file) ?? 'plaintext';
      const full = o200k.count(text);
      for (const share of [0.25, 0.5, 0.8]) {
        const budget = Math.floor(full * share);
        const result = await plan([{ id: file, text, languageId, priority: 1 }], budget, {
          expandTool: 'contextBudget_expand',
        });
        const label = `${file} @${budget}`;
        assertRoundTrip(result, text, label);
        assert.equal(markerIds(result.text).length, result.elisions.length, `${label}: every marker listed once`);
        for (const e of result.elisions) {
          const q = languageId === 'json' ? '\\"' : '"';
          assert.ok(e.marker.includes(`contextBudget_expand(${q}${e.id}${q})`), `${label}: call in ${e.marker}`);
          // The lines are the source's own: the original sits there in the file.
          assert.ok(e.location, `${label}: ${e.id} located`);
          assert.equal(e.location.source, file);
          const { startLine, endLine } = e.location;
          let at = text.indexOf(e.original);
          while (at >= 0 && lineRange(text, at, at + e.original.length).startLine !== startLine) {
            at = text.indexOf(e.original, at + 1);
          }
          assert.ok(at >= 0, `${label}: ${e.id}'s original starts on line ${startLine}`);
          assert.deepEqual(lineRange(text, at, at + e.original.length), { startLine, endLine });
          const lines = startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
          assert.ok(
            e.marker.includes(`… ${lines}`) || e.marker.includes(`, ${lines}`) || e.marker.includes(`[${lines}`),
            `${label}: "${lines}" in ${e.marker}`,
          );
          const declared = languageId === 'markdown' || languageId === 'json' ? [] : declaredNames(e.original);
          if (declared.length) {
            assert.ok(
              declared.some((n) => e.marker.includes(n)),
              `${label}: one of ${declared.join(', ')} in ${e.marker}`,
            );
            named++;
          }
          markers++;
        }
      }
    }
    console.log(`      ${markers} markers over the structural fixtures, ${named} naming the functions they hide`);
    assert.ok(named > 10, 'regions that declare functions are named');
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
        assert.match(prose.text, /^\[… lines 1–\d+ elided — expand\("[a-z][0-9a-z]{7}"\)\]\n$/);
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

  it('two sources with the same id and different text get their own ids and both expand back', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    const sources = [text, `${text}\n// the second selection\n`].map((t) => ({
      id: 'index.ts',
      text: t,
      languageId: 'typescript',
      priority: 1,
      header: '==> index.ts <==\n',
    }));
    const joined = sources.map((s) => s.header + s.text).join('\n\n');
    for (const share of [0.2, 0.4, 0.6]) {
      const budget = Math.floor(o200k.count(joined) * share);
      const result = await plan(sources, budget);
      const ids = markerIds(result.text);
      assert.equal(new Set(ids).size, ids.length, `@${budget}: ids unique`);
      assertRoundTrip(result, joined, `same id @${budget}`);
    }
  });

  it('with a question: a body kept whole as an excerpt still has the entry for the marker left in its file', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    for (const budget of [150, 250, 400]) {
      const result = await plan([{ id: 'sample.ts', text, languageId: 'typescript', priority: 1 }], budget, {
        question: 'how does newSessionId build the id?',
      });
      const listed = new Set(result.elisions.map((e) => e.id));
      for (const id of markerIds(result.text)) assert.ok(listed.has(id), `@${budget}: marker ${id} has an entry`);
      // The marker of what an excerpt shows whole points below instead of offering the expand call.
      let pointing = 0;
      for (const e of result.elisions) {
        const at = text.indexOf(e.original);
        const end = at + e.original.length;
        const inside = result.focus.some(
          (f) => end > f.start && end <= f.end && (at >= f.start || !declaredNames(text.slice(at, f.start)).length),
        );
        if (!inside) continue;
        assert.match(e.marker, /kept whole below #[a-z0-9]{8}/, `@${budget}: ${e.marker}`);
        assert.doesNotMatch(e.marker, /expand\(/);
        pointing++;
      }
      if (budget === 400) assert.ok(pointing > 0, result.text);
    }
    // Two copies of a file with a question: the excerpt goes in once.
    const twice = await plan(
      [
        { id: 'a/sample.ts', text, languageId: 'typescript', priority: 1 },
        { id: 'b/sample.ts', text, languageId: 'typescript', priority: 1 },
      ],
      400,
      { question: 'how does newSessionId build the id?' },
    );
    const excerpts = twice.focus.map((f) => text.slice(f.start, f.end));
    assert.equal(new Set(excerpts).size, excerpts.length, JSON.stringify(twice.focus));
  });

  it('random multi-file plans with duplicated content, with and without a question: every file comes back', async () => {
    const random = rng(20261207);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const questions = ['how is the cache evicted?', 'where are errors retried?', 'what does the handler return?'];
    let cases = 0;
    let withQuestion = 0;
    for (let run = 0; run < 40; run++) {
      const picked = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(FILES));
      // The same content under another name (a copy, a vendored file): ids must still differ.
      if (random() < 0.6) picked.push(picked[0]!);
      const texts = picked.map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
      const sources = picked.map((f, i) => ({
        id: `${i}/${f}`,
        text: texts[i]!,
        languageId: languageIdForPath(f) ?? 'plaintext',
        priority: 10 - i,
        header: `==> ${i}/${f} <==\n`,
      }));
      const joined = sources.map((x) => `${x.header}${x.text}`).join('\n\n');
      const full = o200k.count(joined);
      const budget = Math.floor(full * (0.15 + random() * 0.7));
      const question = random() < 0.5 ? pick(questions) : undefined;
      const result = await plan(sources, budget, question ? { question } : {});
      const label = `run ${run}: ${picked.join(', ')} @${budget}${question ? ` asking "${question}"` : ''}`;
      assert.ok(result.tokens <= budget, label);
      assert.equal(markerIds(result.context).length, result.elisions.length, `${label}: every marker listed once`);
      // With a question, excerpts repeat parts of their files after them: each file's part of the output (between
      // its header and the next) expands to the file.
      const expanded = expandElisions(result.context, result.elisions);
      for (const [i, x] of sources.entries()) {
        if (result.sources[i]!.level === 'omitted') continue;
        const at = expanded.indexOf(x.header);
        assert.ok(at >= 0, `${label}: header ${i}`);
        assert.ok(expanded.startsWith(x.text, at + x.header.length), `${label}: file ${i} comes back whole`);
      }
      if (!question) assertRoundTrip(result, joined, label);
      cases++;
      if (question) withQuestion++;
    }
    assert.ok(withQuestion >= 10 && cases - withQuestion >= 10, `${withQuestion} of ${cases} with a question`);
  });

  it('small budgets under a long frame: no marker is cut in half; what does not fit is left out whole', async () => {
    let checked = 0;
    for (const file of ['structural/sample.ts', 'structural/sample.py', 'devtexts/prose.md', 'devtexts/ci.log']) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const languageId = languageIdForPath(file) ?? 'plaintext';
      for (const frameWords of [20, 40, 60]) {
        const frame = 'summary '.repeat(frameWords);
        for (let budget = frameWords + 5; budget <= frameWords + 60; budget += 5) {
          const result = await plan([{ id: file, text, languageId, priority: 1 }], budget, {
            frame: (c) => frame + c,
          });
          const label = `${file} @${budget} after ${frameWords} frame words`;
          assert.ok(result.tokens <= budget, label);
          // Every line that starts a marker carries its whole expand call, and every marker is listed.
          for (const line of result.context.split('\n').filter((l) => l.includes('…'))) {
            assert.match(line, /expand\("[a-z][0-9a-z]{7}"\)/, `${label}: ${line}`);
          }
          assert.equal(markerIds(result.context).length, result.elisions.length, label);
          if (!result.context) assert.equal(result.sources[0]!.level, 'omitted', label);
          checked++;
        }
      }
    }
    assert.ok(checked >= 120);
  });

  it('without reversible, the output carries no ids and no elisions', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    const result = await plan([{ id: 'a', text, languageId: 'typescript', priority: 1 }], 200, { reversible: false });
    assert.deepEqual(result.elisions, []);
    assert.deepEqual(markerIds(result.text), []);
    assert.doesNotMatch(result.text, /elided — |… #[a-z][0-9a-z]{7}/);
  });

  it('for a reader without an expand tool, markers name their lines and functions with no id, and fill alike', async () => {
    for (const file of ['sample.ts', 'sample.py', 'sample.go']) {
      const text = readFileSync(join(FIXTURES, 'structural', file), 'utf8');
      const languageId = { ts: 'typescript', py: 'python', go: 'go' }[file.split('.')[1]!]!;
      const sources = [{ id: file, text, languageId, priority: 1 }];
      const lines = text.split('\n').length;
      for (const budget of [150, 300]) {
        const located = await plan(sources, budget, { expandTool: NO_EXPAND_TOOL });
        const withIds = await plan(sources, budget);
        assert.deepEqual(located.elisions, []);
        assert.deepEqual(markerIds(located.text), []);
        const markers = [...located.text.matchAll(/… lines? (\d+)(?:–(\d+))?(?: \(([^)]*)\))? elided/g)];
        assert.ok(markers.length > 0, located.text);
        for (const m of markers) assert.ok(Number(m[1]) <= Number(m[2] ?? m[1]) && Number(m[2] ?? m[1]) <= lines);
        assert.ok(
          markers.some((m) => m[3]),
          `some marker names a function: ${located.text}`,
        );
        assert.ok(located.tokens <= budget);
        // Without ids the markers cost less: the same budget holds at least as much of the file.
        assert.ok(located.tokens >= 0.7 * budget, `${file} at ${budget}: ${located.tokens}`);
        assert.ok(withIds.elisions.length > 0);
      }
    }
    // With a question: the marker of a function kept whole below says so.
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    const focused = await plan([{ id: 'sample.ts', text, languageId: 'typescript', priority: 1 }], 400, {
      expandTool: NO_EXPAND_TOOL,
      question: 'how does newSessionId build the id?',
    });
    assert.match(focused.text, /… lines? \d+(–\d+)? kept whole below \*\//, focused.text);
    assert.deepEqual(markerIds(focused.text), []);
  });
});

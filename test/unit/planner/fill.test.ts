// Filling the budget: on inputs larger than the budget, the planner uses most of it (unit by unit, not one level per
// file), in the o200k count, blind and with a question, plain and reversible; the kept units are whole.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planContext } from '../../../src/core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../../../src/core/structural/index';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';

const FIXTURES = join(__dirname, '../../fixtures');
const FILES = ['structural', 'devtexts', 'retention'].flatMap((d) =>
  readdirSync(join(FIXTURES, d))
    .filter((f) => f !== 'questions.json')
    .map((f) => join(d, f)),
);
const SHARES = [0.5, 0.3, 0.1, 0.03];

describe('planner: filling the budget', function () {
  this.timeout(300_000);
  const structural = createStructuralCompressor({ readWasm });
  let o200k: Tokenizer;
  before(async () => {
    o200k = await loadTokenizer('o200k_base');
  });

  it('uses at least 70% of the budget on every fixture at 50/30/10/3% (median at least 90%), never over it', async () => {
    const fills: number[] = [];
    const low: string[] = [];
    for (const file of FILES) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const languageId = languageIdForPath(file);
      const total = o200k.count(text);
      for (const reversible of [false, true]) {
        for (const share of SHARES) {
          const budget = Math.floor(total * share);
          // A budget below a marker's worth says nothing about filling. A reversible marker names its lines and the
          // expand call (about 19 o200k tokens, docs/markers.md): below three of those a plan is its markers.
          if (budget < (reversible ? 60 : 40)) continue;
          const question = share === 0.3 ? 'how are errors retried?' : undefined;
          const result = await planContext({
            sources: [{ id: file, text, ...(languageId ? { languageId } : {}), priority: 50 }],
            budget,
            ...(question ? { question } : {}),
            compressor: 'structural',
            count: (t) => o200k.count(t),
            planning: o200k,
            structural,
            ...(reversible ? { reversible: true } : {}),
          });
          const label = `${file} at ${share * 100}%${reversible ? ', reversible' : ''}: ${result.tokens} of ${budget}`;
          assert.ok(result.tokens <= budget, `over budget: ${label}`);
          fills.push(result.tokens / budget);
          if (result.tokens < 0.7 * budget) low.push(label);
        }
      }
    }
    fills.sort((a, b) => a - b);
    const median = fills[fills.length >> 1]!;
    console.log(
      `      ${fills.length} plans: median fill ${(median * 100).toFixed(0)}%, minimum ${(fills[0]! * 100).toFixed(0)}%`,
    );
    assert.deepEqual(low, [], 'plans under 70% of the budget');
    assert.ok(median >= 0.9, `median fill ${median}`);
  });

  it('with a question, what the relevant function calls and what calls it rank above unrelated functions', async () => {
    // Five functions of one size: the question is about parseOrder; it calls checkTotals, and submitOrder calls it.
    const body = (lines: string[]) => lines.map((l) => `  ${l}`).join('\n');
    const fn = (name: string, lines: string[]) =>
      `export function ${name}(input: string): string {\n${body(lines)}\n}\n`;
    const filler = (tag: string) =>
      Array.from({ length: 12 }, (_, i) => `const ${tag}${i} = input.slice(${i}, ${i + 3}).toUpperCase();`);
    const text = [
      fn('formatBadge', [...filler('badge'), 'return badge0;']),
      fn('parseOrder', [...filler('order'), 'return checkTotals(order0);']),
      fn('renderFooter', [...filler('footer'), 'return footer0;']),
      fn('checkTotals', [...filler('total'), 'return total0;']),
      fn('submitOrder', [...filler('submit'), 'return parseOrder(submit0);']),
    ].join('\n');
    const outline = text.replace(/\{\n[\s\S]*?\n\}/g, '{ /* … */ }');
    const oneBody = o200k.count(fn('x', [...filler('order'), 'return order0;']));
    // Room for the outline and about three bodies: the question's own, then its two neighbours.
    const budget = o200k.count(outline) + Math.floor(3.3 * oneBody);
    const result = await planContext({
      sources: [{ id: 'orders.ts', text, languageId: 'typescript', priority: 50 }],
      budget,
      question: 'how does parseOrder read the input?',
      compressor: 'structural',
      count: (t) => o200k.count(t),
      planning: o200k,
      structural,
    });
    // Kept whole: its last statement is there (what is left may open one more body in part, first lines only).
    const kept = (name: string, last: string) =>
      result.context.includes(`${name}(input: string): string {\n  const`) && result.context.includes(last);
    assert.ok(kept('parseOrder', 'return checkTotals(order0);'), result.context);
    assert.ok(kept('checkTotals', 'return total0;'), `the callee is kept: ${result.context}`);
    assert.ok(kept('submitOrder', 'return parseOrder(submit0);'), `the caller is kept: ${result.context}`);
    assert.ok(
      !kept('formatBadge', 'return badge0;') && !kept('renderFooter', 'return footer0;'),
      `unrelated bodies are not kept whole: ${result.context}`,
    );
  });

  it('a file names the same totals at every budget ("of 7 comments"): units inside closed ones count', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.ts'), 'utf8');
    const full = o200k.count(text);
    const totals = new Map<string, Set<number>>();
    for (const share of [0.35, 0.5, 0.65, 0.8]) {
      const result = await planContext({
        sources: [{ id: 'sample.ts', text, languageId: 'typescript', priority: 50 }],
        budget: Math.floor(full * share),
        compressor: 'structural',
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
      });
      for (const u of result.sources[0]!.summary.units) {
        if (!totals.has(u.kind)) totals.set(u.kind, new Set());
        totals.get(u.kind)!.add(u.total);
      }
    }
    assert.ok(totals.size > 0, 'some units were counted');
    for (const [kind, seen] of totals) assert.equal(seen.size, 1, `${kind}: totals ${[...seen].join(', ')}`);
  });

  it('a source at its level with no unit opened still counts them: "0 of N function bodies kept"', async () => {
    const text = readFileSync(join(FIXTURES, 'structural/sample.go'), 'utf8');
    const levels = (await structural.analyse(text, 'go')).levels;
    // Just the signatures level: no body fits in the one token left.
    const budget = o200k.count(levels[2]!.text) + 1;
    const result = await planContext({
      sources: [{ id: 'sample.go', text, languageId: 'go', priority: 50 }],
      budget,
      compressor: 'structural',
      count: (t) => o200k.count(t),
      planning: o200k,
      structural,
    });
    const s = result.sources[0]!;
    assert.equal(s.level, 'signatures', s.explanation);
    const bodies = s.summary.units.find((u) => u.kind === 'function bodies');
    assert.ok(bodies && bodies.kept === 0 && bodies.total > 0, `${JSON.stringify(s.summary.units)} ${s.explanation}`);
    assert.match(s.explanation, /0 of \d+ function bodies kept/);
  });

  it('exported units open before private ones: Go capitals, CommonJS exports', async () => {
    const body = (name: string) =>
      `  total := 0\n  for i := 0; i < 10; i++ {\n    total += i * len("${name}")\n  }\n  return total\n`;
    const names = ['alpha', 'Bravo', 'charlie', 'Delta', 'echo', 'Foxtrot'];
    const go = `package p\n\n${names.map((n) => `func ${n}() int {\n${body(n)}}\n`).join('\n')}`;
    const js = names
      .map(
        (n, i) =>
          `${i % 2 ? `exports.${n} = function ${n}()` : `function ${n}()`} {\n  let total = 0;\n  for (let i = 0; i < 10; i++) total += i * '${n}'.length;\n  return total;\n}\n`,
      )
      .join('\n');
    for (const [text, languageId] of [
      [go, 'go'],
      [js, 'javascript'],
    ] as const) {
      const levels = (await structural.analyse(text, languageId)).levels;
      const signatures = o200k.count(levels[2]!.text);
      // Room for about half the bodies.
      const budget = Math.floor(signatures + (o200k.count(text) - signatures) / 2);
      const result = await planContext({
        sources: [{ id: `x.${languageId}`, text, languageId, priority: 50 }],
        budget,
        compressor: 'structural',
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
      });
      const opened = names.filter(
        (n) => result.context.includes(`len("${n}")`) || result.context.includes(`'${n}'.length`),
      );
      const exported = opened.filter((n) => names.indexOf(n) % 2 === 1);
      assert.ok(opened.length > 0 && opened.length < names.length, `${languageId}: ${opened.join(', ')}`);
      // Earlier units are worth slightly more: without the export rule the first three (two private) would open.
      assert.ok(exported.length > opened.length - exported.length, `${languageId}: opened ${opened.join(', ')}`);
    }
  });

  it('a budget between two levels keeps every declaration and fills to within 10% of the budget', async () => {
    for (const file of ['structural/sample.ts', 'structural/handlers.py', 'structural/server.go']) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const languageId = languageIdForPath(file)!;
      const analysis = await structural.analyse(text, languageId);
      const [, , signatures, outline] = analysis.levels.map((l) => o200k.count(l.text));
      const budget = Math.floor((signatures! + outline!) / 2);
      const result = await planContext({
        sources: [{ id: file, text, languageId, priority: 50 }],
        budget,
        compressor: 'structural',
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
      });
      const label = `${file}: ${result.tokens} of ${budget} (outline ${outline}, signatures ${signatures})`;
      assert.ok(result.tokens <= budget && result.tokens >= 0.9 * budget, label);
      // Every line of the outline that declares something is still there.
      const outlineText = analysis.levels[3]!.text;
      for (const line of outlineText.split('\n')) {
        if (/^\s*(export |pub |public )?(class|def|func|function|interface|type|struct)\b/.test(line)) {
          const head = line.trim().slice(0, 40);
          assert.ok(result.text.includes(head), `${label}: lost '${head}'`);
        }
      }
      assert.match(result.sources[0]!.explanation, /\d+ of \d+ (function bodies|statements|comments) kept/, label);
    }
  });
});

// The planner: deduplication, question focus, honest explanations, the fit loop against the target's own count,
// and retention of answering lines over the labelled set (test/fixtures/retention).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Compressor } from '../../../src/core/compressor';
import { identifierTerms } from '../../../src/core/idp/lexical';
import { ENGLISH_NOTES, dedupeSources, noteText, planContext, type PlanRequest } from '../../../src/core/planner/index';
import { createStructuralCompressor } from '../../../src/core/structural/index';
import { CancelledError } from '../../../src/core/tokens/count';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { prefixModel } from '../../support/prefixModel';
import { RETENTION_DIR, measureRetention } from './retentionSet';

const structural = createStructuralCompressor({ readWasm });
const read = (file: string) => readFileSync(join(RETENTION_DIR, file), 'utf8');

/** The lines from the one starting with `first` to the next line that is exactly `last` (indentation kept). */
function block(text: string, first: string, last: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim().startsWith(first));
  const j = lines.findIndex((l, k) => k > i && l === last);
  return lines.slice(i, j + 1).join('\n');
}

describe('planner', function () {
  this.timeout(60_000);
  let o200k: Tokenizer;
  let base: Pick<PlanRequest, 'count' | 'planning' | 'structural' | 'compressor'>;
  before(async () => {
    o200k = await loadTokenizer('o200k_base');
    base = { count: (t) => o200k.count(t), planning: o200k, structural, compressor: 'structural' };
  });

  it('never sends binary input, even when everything would fit', async () => {
    const r = await planContext({
      ...base,
      sources: [
        { id: 'notes.md', text: '# Notes\n\nShort.\n', languageId: 'markdown', priority: 50 },
        { id: 'blob.bin', text: 'PK\u0003\u0004\u0000\u0000binary\u0000data', priority: 50 },
      ],
      budget: 1000,
    });
    assert.ok(!r.text.includes('binary'), JSON.stringify(r.text));
    assert.ok(r.text.includes('Short.'));
    assert.equal(r.sources.find((s) => s.id === 'blob.bin')!.level, 'omitted');
    assert.equal(r.untouched, false);
  });

  describe('dedupe', () => {
    it('counts a document attached twice, and a range inside it, once, at the highest priority', () => {
      const text = 'export const a = 1;\nexport const b = 2;\n';
      const { sources, notes } = dedupeSources([
        { id: 'service.ts', text, priority: 50, origin: { uri: 'file:///w/service.ts' } },
        {
          id: 'selection',
          text: text.slice(0, 19),
          priority: 100,
          origin: { uri: 'file:///w/service.ts', start: 0, end: 19 },
        },
        { id: 'service.ts (chat)', text, priority: 40, origin: { uri: 'file:///w/service.ts' } },
      ]);
      assert.equal(sources.length, 1);
      assert.equal(sources[0]!.text, text);
      assert.equal(sources[0]!.priority, 100);
      assert.deepEqual(sources[0]!.mergedFrom, ['selection', 'service.ts (chat)']);
      assert.deepEqual(notes[0], { kind: 'attached', label: 'service.ts', times: 3, ranges: 1 });
      assert.match(noteText(notes[0]!), /service\.ts attached 3 times .*counted once/);
    });

    it('merges overlapping and touching ranges by offsets; keeps apart ranges that do not meet', () => {
      const doc = 'abcdefghijklmnopqrstuvwxyz';
      const range = (id: string, start: number, end: number, priority = 50) => ({
        id,
        text: doc.slice(start, end),
        priority,
        origin: { uri: 'doc', start, end },
      });
      const { sources, notes } = dedupeSources([
        range('r1', 2, 8),
        range('r2', 5, 12, 80),
        range('r3', 12, 15),
        range('r4', 20, 24),
      ]);
      assert.deepEqual(
        sources.map((s) => [s.text, s.priority, s.origin]),
        [
          ['cdefghijklmno', 80, { uri: 'doc', start: 2, end: 15 }],
          ['uvwx', 50, { uri: 'doc', start: 20, end: 24 }],
        ],
      );
      assert.deepEqual(sources[0]!.mergedFrom, ['r1', 'r3']);
      assert.match(noteText(notes[0]!), /overlapping ranges of doc merged/);
    });

    it('dedupes the same id and text without an origin; keeps different texts', () => {
      const { sources } = dedupeSources([
        { id: 'x', text: 'same', priority: 1 },
        { id: 'x', text: 'same', priority: 9 },
        { id: 'x', text: 'other', priority: 1 },
      ]);
      assert.deepEqual(
        sources.map((s) => [s.text, s.priority]),
        [
          ['same', 9],
          ['other', 1],
        ],
      );
    });

    it('a plan over duplicates sends the document once', async () => {
      const text = read('invoice.ts');
      const result = await planContext({
        ...base,
        budget: 100_000,
        sources: [
          { id: 'a', text, priority: 50, origin: { uri: 'invoice.ts' } },
          { id: 'b', text, priority: 40, origin: { uri: 'invoice.ts' } },
        ],
      });
      assert.equal(result.untouched, true);
      assert.equal(result.context, text);
      assert.equal(result.sources.length, 1);
    });
  });

  describe('focus', () => {
    it('splits identifiers: camelCase, acronyms, snake_case, dotted names and paths, and keeps them whole', () => {
      const t = identifierTerms(
        'parseHTTPReply max_retry_count os.path.join src/core/pack.ts TokenBucket.retryAfterMs',
      );
      for (const expected of ['http', 'repli', 'parsehttpreply', 'max_retry_count', 'retri', 'os.path.join', 'join']) {
        assert.ok(t.includes(expected), `${expected} in ${t.join(' ')}`);
      }
      assert.ok(t.includes('src/core/pack.ts') && t.includes('pack') && t.includes('retryafterms'));
    });

    for (const [file, languageId, question, first, last] of [
      [
        'invoice.ts',
        'typescript',
        'What is the largest percent discount that discountCents applies?',
        'export function discountCents',
        '}',
      ],
      [
        'cache.py',
        'python',
        'Does get_or_load cache a None result from the loader?',
        'def get_or_load',
        '        return loaded',
      ],
    ] as const) {
      it(`keeps the function a question is about whole at 30% of the tokens (${languageId})`, async () => {
        const text = read(file);
        const body = block(text, first, last);
        const request = { ...base, budget: 0, rate: 0.3, sources: [{ id: file, text, languageId, priority: 50 }] };
        const blind = await planContext(request);
        assert.ok(!blind.context.includes(body), 'blind compression to 30% drops the body');
        const result = await planContext({ ...request, question });
        assert.ok(result.tokens <= result.budget);
        assert.ok(result.context.includes(body), result.context);
        assert.ok(result.focus.some((u) => text.slice(u.start, u.end).includes(body)));
        assert.match(result.sources[0]!.explanation, /kept whole for the question: /);
        // The excerpt's label names the function it holds.
        const name = /(?:function|def) (\w+)/.exec(first)![1]!;
        assert.match(
          result.context,
          new RegExp(`### ${file} › (\\w+\\.)?${name}:\\d+-\\d+ \\(kept whole for the question\\)\n`),
        );
      });

      it(`sends an excerpted function once: its source leaves it closed when the fill has room (${languageId})`, async () => {
        const text = read(file);
        const body = block(text, first, last);
        const result = await planContext({
          ...base,
          budget: 0,
          rate: 0.7,
          question,
          sources: [{ id: file, text, languageId, priority: 50 }],
        });
        assert.ok(
          result.focus.some((u) => text.slice(u.start, u.end).includes(body)),
          'kept whole for the question',
        );
        // The body's last lines are the excerpt's; the source around it stands at its marker.
        const tail = body.split('\n').slice(-3).join('\n');
        assert.equal(result.context.split(tail).length - 1, 1, result.context);
      });
    }
  });

  it('returns its notes as data too, so a surface words them in its own language', async () => {
    const text = read('runbook.md');
    const result = await planContext({
      ...base,
      budget: 100_000,
      sources: [
        { id: 'a', label: 'runbook.md', text, priority: 50, origin: { uri: 'file:///w/runbook.md' } },
        { id: 'b', label: 'runbook.md', text, priority: 40, origin: { uri: 'file:///w/runbook.md' } },
      ],
    });
    assert.deepEqual(
      result.noteData.map((n) => n.kind),
      ['attached', 'fits'],
    );
    assert.deepEqual(
      result.notes,
      result.noteData.map((n) => noteText(n)),
    );
    const words = { ...ENGLISH_NOTES, fits: (t: number, b: number) => `passt: ${t} ≤ ${b}` };
    assert.match(noteText(result.noteData[1]!, words), /^passt: \d+ ≤ 100000$/);
  });

  describe('honest labels', () => {
    const md = () => read('runbook.md');
    it("'structural' never runs a model, even when one is offered", async () => {
      let called = 0;
      const model: Compressor = {
        id: 'llmlingua2',
        compress: () => {
          called++;
          return Promise.reject(new Error('must not run'));
        },
      };
      const result = await planContext({
        ...base,
        budget: 200,
        sources: [{ id: 'runbook.md', text: md(), languageId: 'markdown', priority: 50 }],
        llmlingua2: () => {
          called++;
          return Promise.resolve(model);
        },
      });
      assert.equal(called, 0);
      assert.match(result.sources[0]!.explanation, /no model run/);
      assert.ok(result.tokens <= 200);
    });

    it("a failing LLMLingua-2 compressor's reason reaches the explanation and the notes", async () => {
      const result = await planContext({
        ...base,
        compressor: 'auto',
        budget: 300,
        sources: [{ id: 'runbook.md', text: md(), languageId: 'markdown', priority: 50 }],
        llmlingua2: () => Promise.reject(new Error('model.onnx not found')),
      });
      assert.match(result.sources[0]!.explanation, /llmlingua2 failed \(model\.onnx not found\); not offered/);
      assert.ok(result.notes.some((n) => /llmlingua2 failed \(model\.onnx not found\)/.test(n)));
      assert.match(result.sources[0]!.explanation, /^structural \(prose\): /);
    });

    it('names the level a truncated source was cut from', async () => {
      const model = prefixModel();
      const text = md();
      const result = await planContext({
        ...base,
        compressor: 'llmlingua2',
        // 4%: under every fixed rate; the budget's own share is offered, and this stub model keeps a prefix over it.
        budget: Math.floor(o200k.count(text) * 0.04),
        sources: [{ id: 'runbook.md', text, languageId: 'markdown', priority: 50 }],
        llmlingua2: () => Promise.resolve(model),
      });
      const s = result.sources[0]!;
      assert.ok(s.cutFrom, 'the level it was cut from is kept');
      if (s.level === 'selected') {
        // The structural floor won: its most important lines were chosen, and the explanation says from which level.
        const names: Record<string, string> = {
          'no-comments': 'normalised',
          signatures: 'first sentences',
          outline: 'section leads',
        };
        assert.match(
          s.explanation,
          new RegExp(`^structural \\(prose\\): ${names[s.cutFrom]}, then its most important (lines|sentences)`),
        );
        return;
      }
      assert.equal(s.level, 'truncated', s.explanation);
      const rate = /@([\d.]+)$/.exec(s.cutFrom)?.[1];
      assert.match(
        s.explanation,
        rate
          ? new RegExp(`^truncated after LLMLingua-2 at rate ${rate.replace('.', '\\.')}( |$)`)
          : /^truncated after structural/,
      );
    });

    it('a budget between two LLMLingua-2 rates is offered as a rate of its own, and filled', async () => {
      const text = md();
      const budget = Math.floor(o200k.count(text) * 0.25);
      const result = await planContext({
        ...base,
        compressor: 'llmlingua2',
        budget,
        sources: [{ id: 'runbook.md', text, languageId: 'markdown', priority: 50 }],
        llmlingua2: () => Promise.resolve(prefixModel()),
      });
      const s = result.sources[0]!;
      assert.match(s.level, /^llmlingua2@0\.2\d$/, s.explanation);
      assert.ok(result.tokens <= budget && result.tokens >= 0.85 * budget, `${result.tokens} of ${budget}`);
    });

    it('names the LLMLingua-2 rate that ran', async () => {
      const model = prefixModel();
      const text = md();
      const result = await planContext({
        ...base,
        compressor: 'llmlingua2',
        budget: Math.floor(o200k.count(text) * 0.45),
        sources: [{ id: 'runbook.md', text, languageId: 'markdown', priority: 50 }],
        llmlingua2: () => Promise.resolve(model),
      });
      assert.match(result.sources[0]!.explanation, /^LLMLingua-2 at rate 0\.(33|5)/);
    });
  });

  describe('fit loop', () => {
    it('fits a frame and a target that counts twice the planning tokenizer, and says so', async () => {
      const text = read('scheduler.go');
      const frame = (c: string) => `Answer from this context.\n\n${c}\n\nQuestion: how do jobs back off?`;
      const result = await planContext({
        ...base,
        budget: 500,
        count: async (t) => 2 * o200k.count(t),
        frame,
        sources: [{ id: 'scheduler.go', text, languageId: 'go', priority: 50 }],
      });
      assert.equal(result.text, frame(result.context));
      assert.equal(result.tokens, 2 * o200k.count(result.text));
      assert.ok(result.tokens <= 500);
      assert.ok(
        result.sources[0]!.targetTokens > 0 &&
          result.sources[0]!.originalTargetTokens > result.sources[0]!.targetTokens,
      );
    });

    it('runs the model once per text and rate, however many fit attempts the target forces', async () => {
      const runs = new Map<string, number>();
      const model = prefixModel({ onRun: (key) => runs.set(key, (runs.get(key) ?? 0) + 1) });
      const text = read('runbook.md');
      const result = await planContext({
        ...base,
        compressor: 'llmlingua2',
        // The original counts as planned, anything shorter twice: the first plan is over, so the loop replans.
        count: async (t) => (t.length < text.length ? 2 : 1) * o200k.count(t),
        budget: Math.floor(o200k.count(text) * 0.7),
        sources: [{ id: 'runbook.md', text, languageId: 'markdown', priority: 50 }],
        llmlingua2: () => Promise.resolve(model),
      });
      assert.ok(result.attempts.length > 1, `attempts ${result.attempts}`);
      assert.ok(runs.size > 0, 'the model ran');
      assert.deepEqual([...new Set(runs.values())], [1], JSON.stringify([...runs]));
    });

    it('refuses with the numbers when the frame alone is over budget', async () => {
      await assert.rejects(
        planContext({
          ...base,
          budget: 5,
          frame: (c) => `A long instruction that alone takes more than five tokens.\n${c}`,
          sources: [{ id: 'a', text: read('auth.py'), languageId: 'python', priority: 1 }],
        }),
        /frame alone .* takes \d+ tokens, over the budget of 5/,
      );
    });

    it('stops with CancelledError when cancelled', async () => {
      const cancellation = { isCancellationRequested: false };
      await assert.rejects(
        planContext({
          ...base,
          budget: 100,
          cancellation,
          count: (t) => {
            cancellation.isCancellationRequested = true;
            return o200k.count(t);
          },
          sources: [{ id: 'a', text: read('auth.py'), languageId: 'python', priority: 1 }],
        }),
        CancelledError,
      );
    });
  });

  it('retention: the question keeps more answering lines at 30% of the tokens than blind compression', async () => {
    const rows = await measureRetention([0.3]);
    const blind = rows.find((r) => !r.withQuestion)!;
    const focused = rows.find((r) => r.withQuestion)!;
    // Measured: 0/36 blind, 34/36 with the question; the margin leaves room for tuning either way.
    assert.ok(
      focused.kept >= blind.kept + 18,
      `blind ${blind.kept}/${blind.total}, focused ${focused.kept}/${focused.total}`,
    );
    assert.ok(focused.kept / focused.total >= 0.6);
  });
});

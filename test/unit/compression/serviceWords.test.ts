// CompressionService words what the planner returns as data with the surface's words (the extension's: German
// under a German VS Code): the packer's notes about a source, the model's runtime, and what ran on each source for
// the savings view's method row; a model's notes about the rungs it tried go to the log, not to the user.
import * as assert from 'node:assert/strict';
import { CompressionService, outcomeOf, type SurfaceWords } from '../../../src/compression/service';
import type { Compressor } from '../../../src/core/compressor';
import { ENGLISH, explainWhat } from '../../../src/core/planner/explain';
import { ENGLISH_NOTES } from '../../../src/core/planner/notes';
import { createStructuralCompressor } from '../../../src/core/structural';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { methodText } from '../../../src/webviewProtocol';
import { prefixModel } from '../../support/prefixModel';

const structural = createStructuralCompressor({ readWasm });
const count = async (t: string) => Math.ceil(t.length / 4);

/** Words that say which word they are: «name:English». */
function tagged<T extends object>(words: T): T {
  return Object.fromEntries(
    Object.entries(words).map(([name, f]) => [
      name,
      (...args: unknown[]) => `«${name}:${(f as (...a: unknown[]) => string)(...args)}»`,
    ]),
  ) as T;
}
const WORDS: SurfaceWords = { sources: tagged(ENGLISH), notes: tagged(ENGLISH_NOTES) };

/** A stand-in model that keeps a prefix and says what the real one says about its runtime and its rungs. */
const model: Compressor = prefixModel({
  defaultRate: 0.5,
  notes: ['protected identifiers (12 tokens) kept outside the rate', 'LLMLingua-2 ran on a stub'],
});

function service(words?: SurfaceWords, log?: string[]): CompressionService {
  return new CompressionService(
    {
      structural: {
        info: () => ({ id: 'structural', label: 'Structural', available: true, detail: '' }),
        get: async () => structural,
      },
      llmlingua2: {
        info: () => ({ id: 'llmlingua2', label: 'LLMLingua-2', available: true, detail: '' }),
        get: async () => model,
      },
    },
    undefined,
    words,
    (lines) => log?.push(...lines),
  );
}

const broken = Array.from({ length: 30 }, (_, i) => `export function f${i}(x: number {\n  return x * ${i};\n}\n`).join(
  '\n',
);
const prose = 'The upload retries after a timeout. '.repeat(60);

describe('CompressionService words the planner’s data with the surface’s words', () => {
  it("the analyser's notes and the model's runtime in the surface's words; the model's rung notes in the log", async () => {
    const log: string[] = [];
    const plan = await service(WORDS, log).plan({
      sources: [
        { id: 'a.ts', text: broken, languageId: 'typescript', priority: 50 },
        { id: 'n.md', text: prose, languageId: 'markdown', priority: 50 },
      ],
      budget: 300,
      compressor: 'auto',
      target: { count },
    });
    const syntax = plan.notes.find((n) => n.startsWith('a.ts: '));
    assert.match(syntax ?? '', /^a\.ts: «syntaxErrors:input has \d+ syntax errors; levels may keep more than usual»$/);
    assert.ok(plan.notes.includes('«modelRan:LLMLingua-2 ran on a stub»'), plan.notes.join(' | '));
    assert.ok(
      plan.notes.every((n) => /^(a\.ts|n\.md): «|^«/.test(n)),
      `every note in the surface's words: ${plan.notes.join(' | ')}`,
    );
    assert.ok(!plan.notes.some((n) => /outside the rate/.test(n)), plan.notes.join(' | '));
    assert.ok(log.includes('LLMLingua-2: protected identifiers (12 tokens) kept outside the rate'), log.join('\n'));
    assert.deepEqual(
      plan.noteData.filter((n) => n.kind === 'modelRan' || n.kind === 'source'),
      [{ kind: 'modelRan', runtime: 'a stub' }],
      'the notes as data: none left as English text',
    );
    assert.ok(plan.noteData.some((n) => n.kind === 'input' && n.label === 'a.ts' && n.note.kind === 'syntaxErrors'));
  });

  it("the method row says what ran in the surface's words, not the method's id", async () => {
    const job = {
      sources: [{ id: 'a.ts', text: broken, languageId: 'typescript', priority: 50 }],
      budget: 200,
      compressor: 'structural' as const,
      target: { count },
    };
    const plan = await service(WORDS).plan(job);
    const outcome = outcomeOf(plan, false);
    assert.match(outcome.method, /structural:/, 'the id stays for whoever reads it');
    assert.equal(outcome.sources[0]!.what, explainWhat(plan.sources[0]!.summary, WORDS.sources));
    assert.equal(methodText(outcome), outcome.sources[0]!.what);
    assert.match(methodText(outcome), /^«(structural|selected):.* \(«noModel:no model run»\)$/);
    // English where the service has no words of its own.
    const english = outcomeOf(await service().plan(job), false);
    assert.match(methodText(english), /^structural: .*\(no model run\)$/);
    assert.doesNotMatch(methodText(english), /structural:signatures/);
  });
});

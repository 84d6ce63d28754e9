// CompressionService.plan, the one call every surface makes: it plans with a bundled tokenizer and lets the
// target model's own count decide; here the "model" counts characters / 3, well above o200k for this text.
// (It replaced src/chat/pipeline.ts's fitToBudget, which this file tested; the planner's own tests are its.)
import * as assert from 'node:assert/strict';
import { CompressionService, type CompressorProvider } from '../../../src/compression/service';
import type { PlanSource } from '../../../src/core/planner';
import { createStructuralCompressor } from '../../../src/core/structural';
import { CancelledError } from '../../../src/core/tokens/count';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { prefixModel } from '../../support/prefixModel';

const modelCount = async (t: string) => Math.ceil(t.length / 3);
const structural = createStructuralCompressor({ readWasm });

function service(model?: CompressorProvider['get']): CompressionService {
  return new CompressionService({
    structural: {
      info: () => ({ id: 'structural', label: 'Structural', available: true, detail: '' }),
      get: async () => structural,
    },
    llmlingua2: {
      info: () => ({ id: 'llmlingua2', label: 'LLMLingua-2', available: !!model, detail: '' }),
      get: model ?? (async () => assert.fail('no model is installed')),
    },
  });
}

function source(n: number): PlanSource {
  const fns = Array.from(
    { length: n },
    (_, i) => `export function step${i}(x: number): number {\n  // doubles then adds ${i}\n  return x * 2 + ${i};\n}\n`,
  );
  return {
    id: 'a.ts',
    label: 'a.ts',
    text: fns.join('\n'),
    languageId: 'typescript',
    priority: 50,
    header: '### a.ts\n',
  };
}

describe('CompressionService.plan: the planner against the target model’s own count', () => {
  it('shrinks the plan until the model’s count fits, and keeps the pack’s structure', async () => {
    const src = source(20);
    // At 300 the signatures level is 284 o200k tokens but 366 for the model: the first plan must be retried.
    const budget = 300;
    const plan = await service().plan({
      sources: [src],
      budget,
      compressor: 'auto',
      target: { count: modelCount },
    });
    assert.ok(plan.tokens <= budget, `${plan.tokens} > ${budget}`);
    assert.equal(plan.tokens, await modelCount(plan.text));
    assert.ok(
      plan.attempts.length >= 2,
      `the first plan (in o200k units) overshoots the model's count: ${plan.attempts}`,
    );
    assert.equal(plan.originalTokens, await modelCount(src.header + src.text));
    assert.equal(plan.sources[0]!.originalTargetTokens, await modelCount(src.text));
    // Signatures no longer fit the model's count, so the retry had to go past that level (the packer picks how).
    assert.ok(!['full', 'no-comments', 'signatures'].includes(plan.sources[0]!.level), plan.sources[0]!.level);
    assert.ok(plan.text.startsWith('### a.ts\nexport function step0'));
    assert.match(plan.sources[0]!.explanation, /^(structural|truncated)/);
  });

  it('a frame around the context fits too, and cancellation stops the plan', async () => {
    const frame = (context: string) => `INSTRUCTION\n\n${context}\n\nQUESTION`;
    const plan = await service().plan({
      sources: [source(20)],
      budget: 300,
      compressor: 'auto',
      target: { count: modelCount },
      frame,
    });
    assert.equal(plan.text, frame(plan.context));
    assert.ok(plan.tokens <= 300 && plan.tokens === (await modelCount(plan.text)), String(plan.tokens));
    await assert.rejects(
      service().plan({
        sources: [source(2)],
        budget: 10,
        compressor: 'auto',
        target: { count: modelCount },
        cancellation: { isCancellationRequested: true },
      }),
      (e: unknown) => e instanceof CancelledError,
    );
  });

  it('"structural" never loads the model, and the model’s own notes reach the result', async () => {
    let loads = 0;
    const prose = { id: 'n.md', text: 'The upload retries. '.repeat(60), languageId: 'markdown', priority: 50 };
    const model = async () => {
      loads++;
      return prefixModel({ defaultRate: 0.5, notes: ['LLMLingua-2 ran on a stub'] });
    };
    const structuralOnly = await service(model).plan({
      sources: [prose],
      budget: 100,
      compressor: 'structural',
      target: { count: modelCount },
    });
    assert.equal(loads, 0, 'the model was not loaded');
    assert.ok(!structuralOnly.sources[0]!.method.startsWith('llmlingua2'), structuralOnly.sources[0]!.method);
    const auto = await service(model).plan({
      sources: [prose],
      budget: 100,
      compressor: 'auto',
      target: { count: modelCount },
    });
    assert.equal(loads, 1, 'auto loads the model for prose');
    assert.ok(auto.notes.includes('LLMLingua-2 ran on a stub'), auto.notes.join(' | '));
  });
});

// Packer properties: never over budget, priorities respected, deterministic, explainable; extra compressors and
// last resorts (truncation, omission) behave.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompressionRequest, CompressionResult, Compressor } from '../../../src/core/compressor';
import { packSources, type PackResult, type PackSource } from '../../../src/core/pack/index';
import { createStructuralCompressor, languageIdForPath } from '../../../src/core/structural/index';
import { CancelledError } from '../../../src/core/tokens/count';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { rng } from '../../support/rng';

const FIXTURES = join(__dirname, '../../fixtures/structural');
const FILES = [
  'sample.ts',
  'sample.py',
  'sample.go',
  'Sample.java',
  'sample.md',
  'sample.json',
  'sample.rs',
  'sample.css',
];
const structural = createStructuralCompressor({ readWasm });
const ORDER = ['full', 'no-comments', 'signatures', 'outline', 'truncated', 'omitted'];

function source(file: string, priority: number, id = file): PackSource {
  return {
    id,
    text: readFileSync(join(FIXTURES, file), 'utf8'),
    languageId: languageIdForPath(file)!,
    priority,
    header: `// ${id}\n`,
  };
}

function rebuild(text: string, segments: PackResult['sources'][number]['segments']): string {
  return segments
    .map((s) => (s.status === 'kept' ? text.slice(s.start, s.end) : s.status === 'elided' ? s.replacement : ''))
    .join('');
}

describe('budget packer', function () {
  this.timeout(60_000);
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer('o200k_base');
  });

  it('keeps everything in full, without analysing, when the context fits', async () => {
    const refusing = {
      ...structural,
      analyse: () => Promise.reject(new Error('should not analyse')),
    };
    const sources = [source('sample.ts', 100), source('sample.py', 50)];
    const result = await packSources(sources, { budget: 100_000, tokenizer, structural: refusing });
    assert.deepEqual(
      result.sources.map((s) => s.level),
      ['full', 'full'],
    );
    assert.equal(result.text, `// sample.ts\n${sources[0]!.text}\n\n// sample.py\n${sources[1]!.text}`);
    assert.equal(result.totalTokens, tokenizer.count(result.text));
    assert.match(result.sources[0]!.reason, /fits/);
  });

  it('property: never over budget, exact count, segments rebuild each source, for random sources and budgets', async () => {
    const random = rng(42);
    for (let run = 0; run < 24; run++) {
      const n = 1 + Math.floor(random() * 4);
      const sources: PackSource[] = [];
      for (let i = 0; i < n; i++) {
        const file = FILES[Math.floor(random() * FILES.length)]!;
        sources.push(source(file, [40, 50, 80, 100][Math.floor(random() * 4)]!, `${file}#${i}`));
      }
      const full = tokenizer.count(sources.map((s) => s.header + s.text).join('\n\n'));
      const budget = Math.floor(random() * full * 1.05);
      const result = await packSources(sources, { budget, tokenizer, structural });
      const context = `run ${run}: budget ${budget}, full ${full}, levels ${result.sources.map((s) => s.level).join(',')}`;
      assert.ok(result.totalTokens <= budget, context);
      assert.equal(result.totalTokens, tokenizer.count(result.text), context);
      for (const [i, s] of result.sources.entries()) {
        assert.ok(s.reason.length > 0, `${context}: no reason for ${s.id}`);
        assert.equal(rebuild(sources[i]!.text, s.segments), s.text, `${context}: segments of ${s.id}`);
        if (s.level !== 'omitted' && s.text) assert.ok(result.text.includes(s.text), `${context}: ${s.id} missing`);
      }
    }
  });

  it('property: a higher-priority copy is never more compressed than a lower-priority copy of the same text', async () => {
    const random = rng(7);
    for (let run = 0; run < 12; run++) {
      const file = FILES[Math.floor(random() * FILES.length)]!;
      const sources = [source(file, 40, 'low'), source(file, 100, 'high'), source(file, 70, 'mid')];
      const full = tokenizer.count(sources.map((s) => s.header + s.text).join('\n\n'));
      const budget = Math.floor(random() * full);
      const result = await packSources(sources, { budget, tokenizer, structural });
      const rank = (id: string) => {
        const s = result.sources.find((x) => x.id === id)!;
        // Lines selected from the floor are a last resort like a truncation.
        const i = ORDER.indexOf(s.level === 'selected' ? 'truncated' : s.level);
        return i >= 0 ? i : 2.5; // extra compressors sit between; none here
      };
      const context = `${file} budget ${budget}: ${result.sources.map((s) => `${s.id}=${s.level}`).join(' ')}`;
      assert.ok(rank('high') <= rank('mid') && rank('mid') <= rank('low'), context);
      // Last resorts take the lowest priority first: if mid is cut, low is gone.
      if (rank('mid') >= 4) assert.equal(rank('low'), 5, context);
      if (rank('high') >= 4) assert.equal(rank('mid'), 5, context);
    }
  });

  it('is deterministic: the same input gives the same output', async () => {
    const sources = [
      source('sample.ts', 100),
      source('sample.go', 50),
      source('sample.md', 50),
      source('sample.py', 40),
    ];
    const a = await packSources(sources, { budget: 1500, tokenizer, structural });
    const b = await packSources(sources, {
      budget: 1500,
      tokenizer,
      structural: createStructuralCompressor({ readWasm }),
    });
    assert.deepEqual(a, b);
  });

  it('explains each choice and compresses the lowest priority first', async () => {
    const sources = [source('sample.ts', 100, 'selection'), source('sample.go', 40, 'reference')];
    const full = tokenizer.count(sources.map((s) => s.header + s.text).join('\n\n'));
    const progress: number[] = [];
    const result = await packSources(sources, {
      budget: Math.floor(full * 0.8),
      tokenizer,
      structural,
      onProgress: (done, total) => progress.push(done / total),
    });
    assert.ok(progress.length >= 2 && progress[progress.length - 1] === 1, `progress ${progress.join(',')}`);
    const [selection, reference] = result.sources;
    assert.equal(selection!.level, 'full');
    assert.notEqual(reference!.level, 'full');
    assert.match(reference!.reason, /least lossy level that fits|filled unit by unit/);
    assert.match(selection!.reason, /kept in full/);
    assert.ok(
      result.log.some((n) => n.startsWith('reference (priority 40)')),
      result.log.join('\n'),
    );
    assert.deepEqual(
      reference!.candidates.map((c) => c.level),
      ['full', 'no-comments', 'signatures', 'outline'],
    );
  });

  it('truncates or omits only as a last resort, and says so', async () => {
    const sources = [source('sample.ts', 100, 'selection'), source('sample.rs', 40, 'reference')];
    const result = await packSources(sources, { budget: 200, tokenizer, structural });
    assert.ok(result.totalTokens <= 200);
    const reference = result.sources[1]!;
    assert.ok(['selected', 'truncated', 'omitted'].includes(reference.level), reference.level);
    assert.match(reference.reason, /last resort|did not fit/);
    assert.ok(result.log.some((n) => /last resort/.test(n)));
    // The selection only loses what it must: at most its outline, never cut before the reference is gone.
    if (reference.level !== 'omitted') assert.ok(!['selected', 'truncated'].includes(result.sources[0]!.level));
  });

  it('omits binary sources with the reason, and packs the rest', async () => {
    const binary: PackSource = { id: 'image.png', text: '\u0089PNG\r\n\u001a\n\u0000\u0000'.repeat(50), priority: 100 };
    const sources = [binary, source('sample.go', 50)];
    const full = tokenizer.count(sources.map((s) => (s.header ?? '') + s.text).join('\n\n'));
    const result = await packSources(sources, { budget: full - 1, tokenizer, structural });
    assert.equal(result.sources[0]!.level, 'omitted');
    assert.match(result.sources[0]!.reason, /binary content/);
    assert.equal(result.sources[1]!.level, 'full');
    // Even with room to spare, binary content is not sent.
    const roomy = await packSources(sources, { budget: 100_000, tokenizer, structural });
    assert.equal(roomy.sources[0]!.level, 'omitted');
    assert.ok(!roomy.text.includes('PNG'));
    assert.equal(roomy.text, `// sample.go\n${sources[1]!.text}`);
  });

  it('offers extra compressors through the Compressor interface and picks them when cheaper', async () => {
    // A stand-in for LLMLingua-2: keeps the first `rate` share of each line's words.
    const calls: CompressionRequest[] = [];
    const wordDropper: Compressor = {
      id: 'fake-lingua',
      async compress(request): Promise<CompressionResult> {
        calls.push(request);
        const text = request.text
          .split('\n')
          .map((l) => {
            const words = l.split(' ');
            return words.slice(0, Math.ceil(words.length * (request.rate ?? 1))).join(' ');
          })
          .join('\n');
        return {
          text,
          originalTokens: request.tokenizer.count(request.text),
          compressedTokens: request.tokenizer.count(text),
          method: 'fake-lingua',
          segments: [{ start: 0, end: request.text.length, status: 'elided', replacement: text }],
          notes: [],
        };
      },
    };
    const prose = source('sample.md', 50, 'readme');
    prose.compressors = [{ compressor: wordDropper, rates: [0.6], lossPerToken: 0.2 }];
    const full = tokenizer.count(prose.header + prose.text);
    const result = await packSources([prose], { budget: Math.floor(full * 0.75), tokenizer, structural });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.rate, 0.6);
    const packed = result.sources[0]!;
    assert.ok(packed.candidates.some((c) => c.method === 'fake-lingua'));
    assert.equal(
      packed.method,
      'fake-lingua',
      packed.candidates.map((c) => `${c.method}:${c.tokens}/${c.loss}`).join(' '),
    );
    assert.ok(result.totalTokens <= Math.floor(full * 0.75));
  });

  it('stops with CancelledError when cancelled', async () => {
    const token = { isCancellationRequested: false };
    const sources = [source('sample.ts', 100), source('sample.go', 50)];
    await assert.rejects(
      packSources(sources, {
        budget: 300,
        tokenizer,
        structural,
        cancellation: token,
        onProgress: () => (token.isCancellationRequested = true),
      }),
      CancelledError,
    );
  });

  it('a budget of zero packs nothing and stays within it', async () => {
    const result = await packSources([source('sample.ts', 100)], { budget: 0, tokenizer, structural });
    assert.equal(result.totalTokens, 0);
    assert.equal(result.text, '');
    assert.equal(result.sources[0]!.level, 'omitted');
  });
});

// JSON, prose, unknown languages, hostile input (binary, minified, 2 MB), cancellation and Unicode offsets.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createStructuralCompressor,
  languageIdForPath,
  looksBinary,
  UnsupportedInputError,
} from '../../../src/core/structural/index';
import { CancelledError } from '../../../src/core/tokens/count';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { rng } from '../../support/rng';

const FIXTURES = join(__dirname, '../../fixtures/structural');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const compressor = createStructuralCompressor({ readWasm });

describe('structural: JSON, prose and fallback', () => {
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer('o200k_base');
  });

  it('JSON: every level is valid JSON with the same top-level keys, and tokens go down', async () => {
    const text = read('sample.json');
    const analysis = await compressor.analyse(text, 'json');
    assert.equal(analysis.kind, 'json');
    const keys = Object.keys(JSON.parse(text));
    let previous = Infinity;
    for (const level of analysis.levels) {
      const parsed = JSON.parse(level.text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(parsed), keys, level.level);
      const tokens = tokenizer.count(level.text);
      assert.ok(tokens <= previous, `${level.level} grew`);
      previous = tokens;
    }
    const sampled = JSON.parse(analysis.levels[2]!.text) as { models: unknown[] };
    assert.equal(sampled.models.length, 2, 'first model and a count marker');
    assert.match(String(sampled.models[1]), /4 more items/);
    assert.ok(tokenizer.count(analysis.levels[3]!.text) < 0.6 * tokenizer.count(text));
  });

  it('JSON with comments (jsonc) drops them and stays parseable once comments are gone', async () => {
    const text = '{\n  // the port\n  "port": 8080, /* inline */ "host": "localhost"\n}\n';
    const analysis = await compressor.analyse(text, 'jsonc');
    const noComments = analysis.levels[1]!.text;
    assert.doesNotMatch(noComments, /the port|inline/);
    assert.deepEqual(JSON.parse(noComments), { port: 8080, host: 'localhost' });
  });

  it('Markdown: headings survive every level; the outline keeps one lead sentence per section', async () => {
    const text = read('sample.md');
    const analysis = await compressor.analyse(text, 'markdown');
    assert.equal(analysis.kind, 'prose');
    assert.deepEqual(
      analysis.levels.map((l) => l.method),
      ['none', 'prose:normalised', 'prose:first-sentences', 'prose:section-leads'],
    );
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    for (const level of analysis.levels) {
      for (const h of headings) assert.ok(level.text.includes(h), `${level.level} lost ${h}`);
    }
    assert.doesNotMatch(analysis.levels[1]!.text, /badges are added/, 'HTML comment dropped');
    assert.doesNotMatch(analysis.levels[1]!.text, /\n\n\n/, 'blank-line runs collapsed');
    const leads = analysis.levels[2]!.text;
    assert.match(leads, /Context Budget counts tokens the way your target model does\. …/);
    assert.doesNotMatch(leads, /It shows what the text/);
    const outline = analysis.levels[3]!.text;
    assert.doesNotMatch(outline, /Select text to see the cost/, 'second paragraph of a section dropped');
    assert.ok(tokenizer.count(outline) < tokenizer.count(leads));
  });

  it('plain text without sentence ends keeps the first line of each paragraph as its lead', async () => {
    const text = 'alpha beta gamma\ndelta epsilon zeta\neta theta\n\niota kappa\nlambda mu\n';
    const analysis = await compressor.analyse(text, 'plaintext');
    assert.equal(analysis.levels[2]!.text, 'alpha beta gamma …\n\niota kappa …\n');
    assert.equal(analysis.levels[3]!.text, 'alpha beta gamma …\n');
  });

  it('unknown language: whitespace normalised and repeated lines collapsed, labelled as a fallback', async () => {
    const line = 'WARN retrying connection to db-1 (attempt failed)';
    const text = `start   \n\n\n\n${Array(50).fill(line).join('\n')}\nend\n`;
    const analysis = await compressor.analyse(text, 'elixir');
    assert.equal(analysis.kind, 'fallback');
    assert.equal(analysis.levels.length, 2);
    assert.match(analysis.notes.join(' '), /no grammar for 'elixir'/);
    const out = analysis.levels[1]!.text;
    assert.equal(out, `start\n\n${line}\n… 49 more identical lines\nend\n`);
    assert.equal(analysis.levels[1]!.method, 'fallback:normalised');
  });

  it('accepts common aliases for language ids (Markdown fence tags)', async () => {
    const py = await compressor.analyse('def f():\n    return 1\n', 'py');
    assert.equal(py.kind, 'tree');
    assert.equal(py.levels[2]!.text, 'def f():\n    ...\n');
    assert.equal((await compressor.analyse('echo hi\n', 'Bash')).kind, 'tree');
    assert.equal((await compressor.analyse('# T\n\nText.\n', 'md')).kind, 'prose');
  });

  it('compress() picks the least lossy level that fits and says so', async () => {
    const text = read('sample.go');
    const full = tokenizer.count(text);
    const generous = await compressor.compress({ text, languageId: 'go', tokenizer, budget: full });
    assert.equal(generous.method, 'none');
    assert.equal(generous.text, text);
    const tight = await compressor.compress({ text, languageId: 'go', tokenizer, rate: 0.5 });
    assert.ok(tight.compressedTokens <= Math.floor(full * 0.5));
    assert.equal(tight.compressedTokens, tokenizer.count(tight.text));
    assert.equal(tight.method, 'structural:signatures');
    assert.ok(tight.notes.some((n) => n.includes('offline structural compression')));
    const impossible = await compressor.compress({ text, languageId: 'go', tokenizer, budget: 5 });
    assert.equal(impossible.method, 'structural:outline');
    assert.ok(impossible.notes.some((n) => /no level reaches 5 tokens/.test(n)));
  });
});

describe('structural: hostile and large input', () => {
  let tokenizer: Tokenizer;
  before(async () => {
    tokenizer = await loadTokenizer('o200k_base');
  });

  it('binary input is refused with a clear message, not a crash', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const text = bytes.toString('latin1').repeat(64);
    assert.ok(looksBinary(text));
    await assert.rejects(
      compressor.compress({ text, languageId: 'typescript', tokenizer, budget: 10 }),
      (err: unknown) => err instanceof UnsupportedInputError && /binary content/.test(err.message),
    );
  });

  it('minified JavaScript still compresses by structure, with a note', async () => {
    const fn = (i: number) => `function f${i}(a,b){var c=a+b;for(var i=0;i<c;i++){a+=i*b}return a}`;
    const text = Array.from({ length: 400 }, (_, i) => fn(i)).join(';');
    const analysis = await compressor.analyse(text, 'javascript');
    assert.match(analysis.notes.join(' '), /minified/);
    const signatures = analysis.levels[2]!.text;
    assert.ok(signatures.includes('function f399(a,b){ /* … */ }'));
    assert.ok(signatures.length < text.length / 2);
  });

  it('keeps CRLF line breaks while collapsing blank runs and dropping comments', async () => {
    const text =
      'import x from "x";\r\n\r\n\r\n\r\n// note  \r\nexport function f(a: number): number {\r\n  return a;\r\n}\r\n';
    const analysis = await compressor.analyse(text, 'typescript');
    assert.equal(
      analysis.levels[1]!.text,
      'import x from "x";\r\n\r\nexport function f(a: number): number {\r\n  return a;\r\n}\r\n',
    );
    assert.equal(
      analysis.levels[2]!.text,
      'import x from "x";\r\n\r\nexport function f(a: number): number { /* … */ }\r\n',
    );
  });

  it('keeps UTF-16 offsets right around astral characters and CJK', async () => {
    const text =
      "const greeting = '👋🏽 你好 𝒳';\n// note 😀\nexport function add(a: number, b: number): number {\n  return a + b; // 加\n}\n";
    const analysis = await compressor.analyse(text, 'typescript');
    assert.equal(
      analysis.levels[2]!.text,
      "const greeting = '👋🏽 你好 𝒳';\nexport function add(a: number, b: number): number { /* … */ }\n",
    );
  });

  it('broken input (fixtures cut at random points) never crashes and keeps segments consistent', async () => {
    const random = rng(12345);
    const files = [
      'sample.ts',
      'sample.py',
      'sample.go',
      'sample.rs',
      'Sample.java',
      'sample.c',
      'sample.cpp',
      'Sample.cs',
      'sample.rb',
      'sample.php',
      'sample.sh',
      'sample.ps1',
      'sample.css',
      'sample.json',
      'sample.md',
    ];
    for (const file of files) {
      const text = read(file);
      for (let k = 0; k < 4; k++) {
        // Cut out a random slice: unbalanced braces, strings and comments.
        const a = Math.floor(random() * text.length);
        const b = Math.min(text.length, a + Math.floor(random() * 200));
        const broken = text.slice(0, a) + text.slice(b);
        const analysis = await compressor.analyse(broken, languageIdForPath(file));
        for (const level of analysis.levels) {
          const rebuilt = level.segments
            .map((s) =>
              s.status === 'kept' ? broken.slice(s.start, s.end) : s.status === 'elided' ? s.replacement : '',
            )
            .join('');
          assert.equal(rebuilt, level.text, `${file} cut ${a}-${b} ${level.level}`);
        }
      }
    }
  });

  describe('a 2 MB TypeScript file', function () {
    this.timeout(120_000);
    let big: string;
    before(() => {
      const base = read('sample.ts');
      const parts: string[] = [];
      let length = 0;
      // Distinct names per copy so the file is not one repeated block.
      for (let i = 0; length < 2 * 1024 * 1024; i++) {
        const part = base.replace(/\b(SessionStore|newSessionId|readAll|Message|Eviction)\b/g, `$1${i}`);
        parts.push(part);
        length += part.length;
      }
      big = parts.join('\n');
    });

    it('compresses with monotone progress to completion', async () => {
      const seen: number[] = [];
      let total = 0;
      const started = Date.now();
      const result = await compressor.compress({
        text: big,
        languageId: 'typescript',
        tokenizer,
        budget: 250_000,
        onProgress: (done, t) => {
          seen.push(done);
          total = t;
        },
      });
      const ms = Date.now() - started;
      assert.ok(seen.length >= 10, `only ${seen.length} progress reports`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, 'progress went backwards');
      assert.equal(seen[seen.length - 1], total);
      assert.ok(result.compressedTokens <= 250_000);
      assert.ok(result.originalTokens > 400_000);
      console.log(
        `      2 MB: ${result.originalTokens} → ${result.compressedTokens} tokens (${result.method}) in ${ms} ms`,
      );
    });

    it('stops with CancelledError when cancelled mid-way', async () => {
      const token = { isCancellationRequested: false };
      let reports = 0;
      await assert.rejects(
        compressor.compress({
          text: big,
          languageId: 'typescript',
          tokenizer,
          budget: 1000,
          cancellation: token,
          onProgress: (done, total) => {
            reports++;
            // Cancel once the tree walk is under way (after parsing).
            if (done / total > 0.35) token.isCancellationRequested = true;
          },
        }),
        CancelledError,
      );
      assert.ok(reports > 0);
    });
  });
});

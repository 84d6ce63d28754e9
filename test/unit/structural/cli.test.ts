// `context-budget compress` end to end, as a child process: stdout carries only the text, stderr the summary.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { runCli } from '../../support/cli';

const ROOT = join(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures/structural');

const cli = (args: string[], input?: string) => runCli(['compress', ...args], { input });

describe('context-budget compress (CLI)', function () {
  this.timeout(60_000);

  it('prints only the compressed text on stdout, within budget, and the levels on stderr', async () => {
    const files = ['sample.ts', 'sample.py'].map((f) => join(FIXTURES, f));
    const { code, stdout, stderr } = await cli([...files, '--budget', '600']);
    assert.equal(code, 0, stderr);
    const tokenizer = await loadTokenizer('o200k_base');
    // The CLI adds a final newline for the terminal; the budget applies to the text itself.
    assert.ok(tokenizer.count(stdout.replace(/\n$/, '')) <= 600);
    assert.ok(stdout.startsWith(`==> ${files[0]} <==\n`));
    assert.doesNotMatch(stdout, /tokens saved|budget/);
    assert.match(stderr, /→ .* tokens \(\d+% saved\), budget 600/);
    assert.match(stderr, /offline structural compression \(no model\)/);
    assert.match(stderr, /sample\.py\s+(no-comments|signatures|outline|selected)\s/);
  });

  it('--json gives a structured result; --rate sets the budget from the original size', async () => {
    // Marker ids are scoped by the file's name as given, and an id's token count varies with its letters: a relative
    // name keeps the ids, and so the level chosen near its edge, the same wherever the repository is cloned.
    const { code, stdout } = await runCli(
      // JSON output is reversible: each marker's id costs a few tokens, so the same level needs a little more room.
      ['compress', 'sample.go', '--rate', '0.6', '--json', '--tokenizer', 'cl100k_base'],
      { cwd: FIXTURES },
    );
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as {
      budget: number;
      totalTokens: number;
      tokenizer: string;
      mode: string;
      sources: Array<{ level: string; candidates: unknown[]; reason: string }>;
      text: string;
    };
    assert.equal(out.tokenizer, 'cl100k_base');
    assert.equal(out.mode, 'offline-structural');
    assert.ok(out.totalTokens <= out.budget);
    assert.equal(out.sources[0]!.level, 'signatures');
    assert.ok(out.sources[0]!.reason.length > 0);
    // The CLI's markers name a neutral expand("id"): its JSON lists each original under "elisions".
    assert.match(
      out.text,
      /func \(c \*Cache\) Get\(key string\) \(\[\]byte, bool\) \{ \/\* … lines \d+–\d+ elided — expand\("[a-z][0-9a-z]{7}"\) \*\/ \}/,
    );
  });

  it('reads stdin with --language, and a single file gets no header', async () => {
    const text = readFileSync(join(FIXTURES, 'sample.rs'), 'utf8');
    const { code, stdout } = await cli(['-', '--language', 'rust', '--budget', '100000'], text);
    assert.equal(code, 0);
    assert.equal(stdout, text);
  });

  it('gives clear errors: missing file, binary file, bad arguments', async () => {
    const missing = await cli([join(FIXTURES, 'does-not-exist.ts'), '--budget', '10']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does-not-exist\.ts: no such file/);

    const dir = mkdtempSync(join(tmpdir(), 'cb-cli-'));
    const png = join(dir, 'image.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const binary = await cli([png, '--budget', '10']);
    assert.equal(binary.code, 1);
    assert.match(binary.stderr, /image\.png: binary file, skipped/);

    const both = await cli([png, '--budget', '10', '--rate', '0.5']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /'--rate <R>' cannot be used with option '--budget <N>'/);
  });

  it('--compressor offers an installed LLMLingua-2 model for prose (tiny random-weight fixture model)', async () => {
    const model = join(ROOT, 'test/fixtures/llmlingua2/tiny-bert-base-multilingual-cased-ref');
    const { code, stdout, stderr } = await cli([
      join(FIXTURES, 'sample.md'),
      '--budget',
      '150',
      '--compressor',
      model,
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    const out = JSON.parse(stdout) as {
      totalTokens: number;
      sources: Array<{ candidates: Array<{ level: string; method: string }> }>;
    };
    assert.ok(out.totalTokens <= 150);
    const offered = out.sources[0]!.candidates.filter((c) => c.method === 'llmlingua2').map((c) => c.level);
    assert.ok(offered.length > 0, JSON.stringify(out.sources[0]!.candidates));
    // The fixed rates, and the budget's own share between them (150 of this file's tokens).
    assert.ok(
      offered.every((l) => /^llmlingua2@0\.\d+$/.test(l)) && offered.includes('llmlingua2@0.5'),
      offered.join(','),
    );
  });

  it('--protect keeps every identifier of a CI log that plain model compression drops (same budget)', async () => {
    const model = join(ROOT, 'test/fixtures/llmlingua2/tiny-bert-base-multilingual-cased-ref');
    const log = join(ROOT, 'test/fixtures/devtexts/ci.log');
    const ids = [
      'ord_8f3a2c91',
      'src/payments/stripe.py',
      '12.0.0-rc1',
      'https://api.stripe.com/v1/charges',
      'svc_payments',
      '--no-audit',
      './packages/api/package.json',
      'https://github.com/acme/shop/actions/runs/8123456789',
    ];
    const args = [log, '--language', 'plaintext', '--budget', '140', '--compressor', model];
    const plain = await cli(args);
    const kept = await cli([...args, '--protect']);
    assert.equal(kept.code, 0, kept.stderr);
    const tokenizer = await loadTokenizer('o200k_base');
    assert.ok(tokenizer.count(kept.stdout.replace(/\n$/, '')) <= 140);
    assert.deepEqual(
      ids.filter((id) => !kept.stdout.includes(id)),
      [],
      kept.stdout,
    );
    assert.ok(
      ids.some((id) => !plain.stdout.includes(id)),
      `without --protect something is lost:\n${plain.stdout}`,
    );
    assert.match(kept.stderr, /llmlingua2@/);
  });

  it('--json lists every elision: each marker once in the text, and putting the originals back gives the file', async () => {
    for (const [file, budget] of [
      ['sample.py', '150'],
      ['sample.md', '120'],
      ['sample.json', '90'],
    ] as const) {
      const path = join(FIXTURES, file);
      const { code, stdout, stderr } = await cli([path, '--budget', budget, '--json']);
      assert.equal(code, 0, stderr);
      const out = JSON.parse(stdout) as {
        text: string;
        elisions: Array<{ id: string; marker: string; original: string }>;
      };
      assert.ok(out.elisions.length > 0, `${file}: something was elided`);
      let text = out.text;
      for (const e of out.elisions) {
        assert.equal(out.text.split(e.marker).length, 2, `${file}: ${e.marker} once`);
        const q = file.endsWith('.json') ? '\\"' : '"';
        assert.ok(e.marker.includes(`expand(${q}${e.id}${q})`), e.marker);
        text = text.replace(e.marker, () => e.original);
      }
      assert.equal(text, readFileSync(path, 'utf8'), `${file}: byte for byte`);
    }
  });

  it('hands --request over to the LLMLingua-2 request contract', async () => {
    const { code, stderr } = await cli(['--request', '-']);
    // llmlingua2Contract requires --compressor; its own message proves the hand-over.
    assert.equal(code, 2);
    assert.match(stderr, /--compressor DIR is required/);
  });
});

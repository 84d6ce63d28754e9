// The CLI as a Unix tool, run as a user runs it: the built dist/cli.js under plain Node. Folders, .gitignore,
// binaries, closed pipes, flag validation and exit codes, help per subcommand, one meaning per flag, invalid UTF-8,
// the size limit, code on stdin, and what goes to stderr.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { BUILT_CLI, ensureBuilt, runBuiltCli as cli } from '../../support/cli';

const ROOT = join(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures/structural');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

/** A project folder: code, a nested folder, .gitignore files at two levels, a binary and ignored files. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cb-unix-'));
  mkdirSync(join(dir, 'src/gen'), { recursive: true });
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, '.gitignore'), 'build/\n*.log\n');
  writeFileSync(join(dir, 'src/.gitignore'), 'gen/\n');
  writeFileSync(join(dir, 'src/a.ts'), readFileSync(join(FIXTURES, 'sample.ts')));
  writeFileSync(join(dir, 'src/b.py'), readFileSync(join(FIXTURES, 'sample.py')));
  writeFileSync(join(dir, 'src/gen/out.ts'), 'export const generated = 1;\n');
  writeFileSync(join(dir, 'build/bundle.js'), 'var x = 1;\n');
  writeFileSync(join(dir, 'debug.log'), 'log line\n');
  writeFileSync(join(dir, 'logo.png'), PNG);
  writeFileSync(join(dir, 'README.md'), '# Project\n\nA small project.\n');
  return dir;
}

describe('context-budget as a Unix tool (built dist/cli.js)', function () {
  this.timeout(120_000);
  before(() => ensureBuilt());

  it('reads a folder recursively, honouring .gitignore at every level; binaries are skipped with a note', async () => {
    const dir = project();
    const r = await cli(['count', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { files: Array<{ file: string; tokens?: number; error?: string }> };
    const rel = out.files.map((f) => f.file.slice(dir.length + 1));
    // As git sees it: the .gitignore files themselves are part of the project.
    assert.deepEqual(rel, ['.gitignore', 'README.md', 'logo.png', 'src/.gitignore', 'src/a.ts', 'src/b.py']);
    assert.equal(out.files.find((f) => f.file.endsWith('logo.png'))!.error, 'binary file');
    assert.match(r.stderr, /1 of 6 file\(s\) skipped/);
    // A file met again (a shell's `dir/**` lists folders and their files) is counted once, where it came first.
    const again = await cli(['count', dir, join(dir, 'src'), join(dir, 'src/b.py'), '--json']);
    assert.deepEqual(
      (JSON.parse(again.stdout) as typeof out).files.map((f) => f.file),
      out.files.map((f) => f.file),
    );
    // A folder among other arguments is expanded, never fatal; the folder's binary keeps its header and reason.
    const c = await cli(['compress', join(FIXTURES, 'sample.go'), dir, '--budget', '100000']);
    assert.equal(c.code, 0, c.stderr);
    assert.ok(c.stdout.startsWith(`==> ${join(FIXTURES, 'sample.go')} <==\n`));
    assert.match(c.stdout, /==> .*src\/b\.py <==\n/);
    assert.match(c.stdout, /==> .*logo\.png <==\n\(skipped: binary file\)/);
    assert.doesNotMatch(c.stdout, /generated|bundle\.js|log line/);
  });

  it('a folder inside a git repository honours the .gitignore files above it and .git/info/exclude', async () => {
    // As `git ls-files --others --exclude-standard pkg/sub` lists it: the rules of the repository's top, of pkg/
    // and of pkg/sub itself (where a deeper `!keep.log` brings back what the top ignores), and .git/info/exclude.
    const repo = mkdtempSync(join(tmpdir(), 'cb-repo-'));
    const sub = join(repo, 'pkg/sub');
    mkdirSync(join(repo, '.git/info'), { recursive: true });
    mkdirSync(join(sub, 'build'), { recursive: true });
    mkdirSync(join(sub, 'tmp'));
    writeFileSync(join(repo, '.git/info/exclude'), 'secret.txt\n');
    writeFileSync(join(repo, '.gitignore'), 'build/\n*.log\n');
    writeFileSync(join(repo, 'pkg/.gitignore'), 'tmp/\n');
    writeFileSync(join(sub, '.gitignore'), '!keep.log\n');
    for (const file of ['a.ts', 'build/out.js', 'tmp/scratch.ts', 'debug.log', 'keep.log', 'secret.txt']) {
      writeFileSync(join(sub, file), 'export const x = 1;\n');
    }
    const files = async (args: string[], cwd?: string) => {
      const r = await cli(['count', ...args, '--json'], cwd ? { cwd } : {});
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { files: Array<{ file: string }> }).files.map((f) => f.file);
    };
    assert.deepEqual(
      (await files([sub])).map((f) => f.slice(sub.length + 1)),
      ['.gitignore', 'a.ts', 'keep.log'],
    );
    // Named relative to the folder the CLI runs in; from the repository's top, .git/info/exclude applies too.
    assert.deepEqual(await files(['sub'], join(repo, 'pkg')), ['sub/.gitignore', 'sub/a.ts', 'sub/keep.log']);
    assert.deepEqual(
      (await files([repo])).map((f) => f.slice(repo.length + 1)),
      ['.gitignore', 'pkg/.gitignore', 'pkg/sub/.gitignore', 'pkg/sub/a.ts', 'pkg/sub/keep.log'],
    );
  });

  it('one call reads at most 5,000 files and 64 MB (the environment sets them): past either, exit 1 and one line', async () => {
    const dir = project();
    for (const [env, message] of [
      [{ CONTEXT_BUDGET_MAX_FILES: '3' }, `${dir}: more than 3 files to read, the limit for one call`],
      [{ CONTEXT_BUDGET_MAX_TOTAL: '1k' }, `: reading it would pass 1.0 KB in total, the limit for one call`],
      [{ CONTEXT_BUDGET_MAX_FILES: '0' }, `CONTEXT_BUDGET_MAX_FILES must be a positive whole number, got '0'`],
    ] as const) {
      for (const command of [
        ['count', dir],
        ['compress', dir, '--budget', '1000'],
      ]) {
        const r = await cli(command, { env });
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.ok(r.stderr.startsWith('context-budget: ') && r.stderr.includes(message), r.stderr);
      }
    }
    assert.match((await cli(['count', dir], { env: { CONTEXT_BUDGET_MAX_FILES: '6' } })).stderr, /1 of 6 file/);
  });

  /** `context-budget ARGS | head -1` through a shell: the exit status of the pipe (head's) and what came out. */
  const throughHead = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const quoted = args.map((a) => `"${a}"`).join(' ');
      // pipefail: the status is the CLI's own, not head's.
      const sh = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BUILT_CLI}" ${quoted} | head -1`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      sh.stdout.on('data', (d) => (stdout += d));
      sh.stderr.on('data', (d) => (stderr += d));
      sh.on('close', (code) => resolve({ code, stderr, stdout }));
    });

  it('a closed pipe ends the process quietly: compress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-pipe-'));
    const big = join(dir, 'big.ts');
    // About 600 KB of output: far more than a pipe holds, so writes continue after head has gone.
    writeFileSync(big, readFileSync(join(FIXTURES, 'sample.ts'), 'utf8').repeat(300));
    const r = await throughHead(['compress', big, '--budget', '10000000', '--max-size', '10M']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.split('\n')[0], readFileSync(join(FIXTURES, 'sample.ts'), 'utf8').split('\n')[0]);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\.js:\d+/);
  });

  it('a closed pipe ends the process quietly: count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-pipe-count-'));
    // 3,000 table lines (about 200 KB): more than a pipe holds.
    for (let i = 0; i < 3000; i++) writeFileSync(join(dir, `file-${String(i).padStart(4, '0')}.txt`), `line ${i}\n`);
    const r = await throughHead(['count', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\S*file-0000\.txt\s+\d+\n$/);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\.js:\d+/);
  });

  it('--budget must be a positive whole number and --rate in (0, 1]: a one-line error and exit 2', async () => {
    const file = join(FIXTURES, 'sample.ts');
    for (const bad of [
      ['--budget', '0'],
      ['--budget='],
      ['--budget', '-5'],
      ['--budget', '1.5'],
      ['--budget', 'ten'],
      // Plain decimal digits only.
      ['--budget', '1e3'],
      ['--budget', '0x10'],
      ['--budget', ' 12'],
      ['--rate', '0x1'],
      ['--rate', '0'],
      ['--rate', '1.01'],
      ['--rate', '-0.5'],
    ]) {
      const r = await cli(['compress', file, ...bad]);
      assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /--(budget|rate) must be/);
      assert.equal(r.stdout, '');
    }
    const none = await cli(['compress', file]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give one of --budget N or --rate R/);
    const unknown = await cli(['compress', file, '--budget', '10', '--bogus']);
    assert.equal(unknown.code, 2);
    const command = await cli(['squeeze']);
    assert.equal(command.code, 2);
    const language = await cli(['compress', file, '--budget', '100', '--language', 'bogus']);
    assert.equal(language.code, 2);
    assert.match(language.stderr, /unknown language 'bogus' \(known: typescript, .*python, .*markdown, .*diff\)/);
    const alias = await cli(['compress', file, '--budget', '100', '--language', 'ts']);
    assert.equal(alias.code, 0, alias.stderr);
  });

  it('--help on every subcommand exits 0 and names every flag', async () => {
    const flags: Record<string, string[]> = {
      count: ['--model', '--json', '--reserve', '--max-size'],
      compress: [
        '--budget',
        '--rate',
        '--model',
        '--tokenizer',
        '--query',
        '--protect',
        '--compressor',
        '--backend',
        '--language',
        '--json',
        '--max-size',
      ],
      mcp: ['--model', '--max-size'],
    };
    for (const [command, names] of Object.entries(flags)) {
      const r = await cli([command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      for (const flag of names) assert.ok(r.stdout.includes(flag), `${command} --help names ${flag}`);
      assert.match(r.stdout, /Exit codes: 0 success, 1 failure/);
    }
    // Anywhere among the arguments, before anything else is judged: a bad value, the machine contract.
    for (const args of [
      ['compress', '--request', 'x', '--help'],
      ['compress', '--budget', '0', '--help'],
      ['count', '--bogus', '-h'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: context-budget ${args[0]} `));
    }
    // The machine contract's own flags are named too.
    const help = await cli(['compress', '--help']);
    for (const flag of ['--request', '--budget-tokenizer', '--threads']) assert.ok(help.stdout.includes(flag), flag);
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    for (const command of Object.keys(flags)) assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
  });

  it('--model is the target model everywhere; an LLMLingua-2 folder goes to --compressor, and a mix-up says so', async () => {
    const file = join(FIXTURES, 'sample.ts');
    const folder = join(ROOT, 'test/fixtures/llmlingua2/tiny-bert-base-multilingual-cased-ref');
    const wrongModel = await cli(['compress', file, '--budget', '100', '--model', folder]);
    assert.equal(wrongModel.code, 2);
    assert.match(wrongModel.stderr, /is a folder \(an LLMLingua-2 model folder goes to --compressor DIR\)/);
    const wrongCompressor = await cli(['compress', file, '--budget', '100', '--compressor', 'gpt-4o']);
    assert.equal(wrongCompressor.code, 2);
    assert.match(wrongCompressor.stderr, /'gpt-4o' is a target model id \(that goes to --model\)/);
    // The target's tokenizer counts in compress as in count.
    const claude = await cli(['compress', file, '--budget', '200', '--model', 'claude-sonnet-4', '--json']);
    assert.equal(claude.code, 0, claude.stderr);
    assert.equal((JSON.parse(claude.stdout) as { tokenizer: string }).tokenizer, 'claude');
  });

  it('invalid UTF-8 is a warning naming the file; one --max-size limit for both commands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-utf8-'));
    const latin1 = join(dir, 'latin1.txt');
    // Mostly ASCII with a few Latin-1 bytes: text, not binary, but not UTF-8.
    writeFileSync(
      latin1,
      Buffer.from(`${'The menu of the day.\n'.repeat(20)}Dessert: cr\xe8me br\xfbl\xe9e\n`, 'latin1'),
    );
    const r = await cli(['count', latin1]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning: .*latin1\.txt: invalid UTF-8/);
    // Named twice: read, warned about and printed once (one source: no headers).
    const twice = await cli(['compress', latin1, latin1, '--budget', '300']);
    assert.equal(twice.code, 0, twice.stderr);
    assert.equal(twice.stderr.match(/invalid UTF-8/g)?.length, 1, twice.stderr);
    assert.doesNotMatch(twice.stdout, /==> /);

    const big = join(dir, 'big.ts');
    writeFileSync(big, 'export const x = 1;\n'.repeat(200)); // 4,000 bytes
    for (const command of [['count'], ['compress', '--budget', '50']]) {
      const over = await cli([...command, big, '--max-size', '1k']);
      assert.equal(over.code, 1, over.stderr);
      assert.match(over.stdout + over.stderr, /3\.9 KB is over the 1\.0 KB limit \(raise it with --max-size\)/);
      const raised = await cli([...command, big, '--max-size', '1M']);
      assert.equal(raised.code, 0, raised.stderr);
    }
    // Met inside a folder, a file over the limit is skipped with a note, not a failure.
    writeFileSync(join(dir, 'small.ts'), 'export const y = 2;\n');
    for (const command of [['count'], ['compress', '--budget', '300']]) {
      const inFolder = await cli([...command, dir, '--max-size', '1k']);
      assert.equal(inFolder.code, 0, inFolder.stderr);
      assert.match(inFolder.stdout + inFolder.stderr, /big\.ts\s.*over the 1\.0 KB limit/);
    }
    const badSize = await cli(['count', big, '--max-size', 'lots']);
    assert.equal(badSize.code, 2);
  });

  it('recognises code on stdin from its content; --language overrides', async () => {
    const python = readFileSync(join(FIXTURES, 'sample.py'), 'utf8');
    const r = await cli(['compress', '-', '--budget', '250', '--json'], { input: python });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { sources: Array<{ candidates: Array<{ method: string }> }> };
    // Code levels (signatures from the syntax tree) exist only for a language the parser knows; prose gets others.
    assert.ok(
      out.sources[0]!.candidates.some((c) => c.method === 'structural:signatures'),
      JSON.stringify(out.sources[0]),
    );
    const asText = await cli(['compress', '-', '--budget', '250', '--json', '--language', 'plaintext'], {
      input: python,
    });
    const plain = JSON.parse(asText.stdout) as typeof out;
    assert.equal(asText.code, 0, asText.stderr);
    assert.ok(!plain.sources[0]!.candidates.some((c) => c.method.startsWith('structural:')));
    assert.ok(plain.sources[0]!.candidates.some((c) => c.method.startsWith('prose:')));
  });

  it('real code and a git diff on stdin get structural compression and no LLMLingua-2 hint', async () => {
    const stdin = join(ROOT, 'test/fixtures/stdin');
    for (const [file, method] of [
      ['sessions_head.py', /(^|:)structural:/],
      ['logging_head.py', /(^|:)structural:/],
      ['textwrap.diff', /(^|:)diff:/],
    ] as const) {
      const input = readFileSync(join(stdin, file), 'utf8');
      const r = await cli(['compress', '-', '--budget', '150'], { input });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /\(no model run\)/, file);
      assert.doesNotMatch(r.stderr, /LLMLingua-2|--compressor/, file);
      const json = await cli(['compress', '-', '--budget', '150', '--json'], { input });
      const out = JSON.parse(json.stdout) as { sources: Array<{ method: string }> };
      assert.match(out.sources[0]!.method, method, `${file}: ${out.sources[0]!.method}`);
    }
  });

  it('text output: every marker names the lines it stands for (and the functions inside), with no id to expand', async () => {
    const file = join(FIXTURES, 'sample.ts');
    const source = readFileSync(file, 'utf8').split('\n');
    const r = await cli(['compress', file, '--budget', '200']);
    assert.equal(r.code, 0, r.stderr);
    const markers = r.stdout.split('\n').filter((l) => l.includes('…'));
    assert.ok(markers.length > 0, r.stdout);
    for (const m of markers) {
      const at = /… lines? (\d+)(?:–(\d+))?(?: \([^)]*\))? (?:elided|truncated)/.exec(m);
      assert.ok(at, `marker without its lines: ${m}`);
      const [first, last] = [Number(at[1]), Number(at[2] ?? at[1])];
      assert.ok(first >= 1 && first <= last && last <= source.length, m);
      assert.doesNotMatch(m, /expand\(/, m);
    }
  });

  it('stderr: one summary line and one line per source; no model hint for code; omitted files keep their header', async () => {
    const files = ['sample.ts', 'sample.py', 'sample.go', 'lru.rs'].map((f) => join(FIXTURES, f));
    const r = await cli(['compress', ...files, '--budget', '400']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1 + files.length, r.stderr);
    assert.match(lines[0]!, /tokens \(\d+% saved\), budget 400/);
    assert.doesNotMatch(r.stderr, /LLMLingua-2 model|note:/);
    const omitted = files.filter((f) => new RegExp(`${f}\\s+omitted`).test(r.stderr));
    assert.ok(omitted.length > 0, r.stderr);
    for (const f of omitted) assert.ok(r.stdout.includes(`==> ${f} <==\n(omitted: no room in the budget)`), r.stdout);
    // A budget too small for a header per skipped and omitted file: one line each counts them, within the budget;
    // stderr still names them.
    const o200k = await loadTokenizer('o200k_base');
    const dir = project();
    const small = await cli(['compress', dir, '--budget', '60']);
    assert.equal(small.code, 0, small.stderr);
    assert.ok(o200k.count(small.stdout.replace(/\n$/, '')) <= 60, small.stdout);
    assert.match(small.stdout, /\n\nomitted \(no room in the budget\): [^\n]+\nskipped: [^\n]+\n$/);
    assert.match(small.stderr, /logo\.png\s+skipped\s+binary file/);
    // With a little more room, the line names them.
    const more = await cli(['compress', dir, '--budget', '100']);
    assert.equal(more.code, 0, more.stderr);
    assert.ok(more.stdout.includes(`\n\nomitted (no room in the budget): ${dir}/`), more.stdout);
    assert.ok(o200k.count(more.stdout.replace(/\n$/, '')) <= 100, more.stdout);
    // Prose gets the hint.
    const md = await cli(['compress', join(FIXTURES, 'sample.md'), '--budget', '60']);
    assert.match(md.stderr, /pass --compressor DIR/);
  });

  it('many omitted files at a small budget: one line names as many as fit and counts the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-many-'));
    const ts = readFileSync(join(FIXTURES, 'sample.ts'));
    for (let i = 1; i <= 32; i++) writeFileSync(join(dir, `f${String(i).padStart(2, '0')}.ts`), ts);
    const r = await cli(['compress', dir, '--budget', '300']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await loadTokenizer('o200k_base')).count(r.stdout.replace(/\n$/, '')) <= 300, r.stdout);
    const omitted = r.stderr.split('\n').filter((l) => /\somitted\s/.test(l)).length;
    const line = /\n\nomitted \(no room in the budget\): (.+), … and (\d+) more\n$/.exec(r.stdout);
    assert.ok(line, r.stdout);
    assert.equal(line[1]!.split(', ').length + Number(line[2]), omitted);
    assert.ok(line[1]!.split(', ').every((f) => f.startsWith(join(dir, 'f'))));
  });

  it('a budget that holds nothing of the input is an error naming one that does, never an empty success', async () => {
    for (const args of [[join(FIXTURES, 'sample.ts')], [project()]]) {
      const r = await cli(['compress', ...args, '--budget', '8']);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.stdout, '');
      const m =
        /^compress: budget 8 is too small: nothing of the input fits; the smallest budget that keeps something is (\d+) \(--budget \1\)\n$/.exec(
          r.stderr,
        );
      assert.ok(m, r.stderr);
      const enough = await cli(['compress', ...args, '--budget', m[1]!]);
      assert.equal(enough.code, 0, enough.stderr);
      assert.notEqual(enough.stdout.trim(), '');
    }
  });

  it('exit codes: 1 for a file that cannot be read, after reading the others', async () => {
    const r = await cli(['count', join(FIXTURES, 'sample.ts'), join(FIXTURES, 'missing.ts')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /missing\.ts\s+skipped: no such file/);
    assert.match(r.stdout, /sample\.ts\s+[\d,]+/);
  });
});

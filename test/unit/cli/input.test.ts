// Reading the CLI's and the MCP server's inputs: a file met more than once is read once, where it first appears;
// git's ignore rules as git applies them; the per-call limits; cancellation.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputLimitError, MAX_FILES_ENV, readInputs } from '../../../src/cli/input';

describe('readInputs', () => {
  it('reads each file once, in first-occurrence order (named twice, in a named folder, through a link)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-inputs-'));
    mkdirSync(join(dir, 'src/pkg'), { recursive: true });
    writeFileSync(join(dir, 'src/pkg/sessions.py'), 'import os\n');
    writeFileSync(join(dir, 'src/a.ts'), 'export const a = 1;\n');
    symlinkSync(join(dir, 'src/a.ts'), join(dir, 'link.ts'));
    // What bash's globstar gives for `src/**`: the folder, its subfolder and the file, each an argument.
    const inputs = await readInputs([
      join(dir, 'src/a.ts'),
      join(dir, 'src'),
      join(dir, 'src/pkg'),
      join(dir, 'src/pkg/sessions.py'),
      join(dir, 'link.ts'),
      join(dir, 'src/./a.ts'),
      join(dir, 'missing.ts'),
      join(dir, 'missing.ts'),
    ]);
    assert.deepEqual(
      inputs.map((i) => i.file.slice(dir.length + 1)),
      ['src/a.ts', 'src/pkg/sessions.py', 'missing.ts'],
    );
    assert.ok('error' in inputs[2]!);
  });

  it('a repository inside a folder has its own rules; a `.git` file (submodule, worktree) points to its git dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-inputs-'));
    // The outer repository ignores *.log; the inner one is a submodule whose git dir lies elsewhere.
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.gitignore'), '*.log\n');
    mkdirSync(join(dir, 'modules/inner/info'), { recursive: true });
    writeFileSync(join(dir, 'modules/inner/info/exclude'), 'local.txt\n');
    mkdirSync(join(dir, 'vendor/inner'), { recursive: true });
    writeFileSync(join(dir, 'vendor/inner/.git'), `gitdir: ${join(dir, 'modules/inner')}\n`);
    for (const file of ['app.log', 'vendor/inner/run.log', 'vendor/inner/local.txt', 'vendor/inner/lib.py']) {
      writeFileSync(join(dir, file), 'x = 1\n');
    }
    const read = async (folder: string) => (await readInputs([folder])).map((i) => i.file.slice(dir.length + 1));
    assert.deepEqual(await read(join(dir, 'vendor')), ['vendor/inner/lib.py', 'vendor/inner/run.log']);
    assert.deepEqual(await read(join(dir, 'vendor/inner')), ['vendor/inner/lib.py', 'vendor/inner/run.log']);
    assert.deepEqual(await read(join(dir, 'modules')), ['modules/inner/info/exclude']);
  });

  it('one call reads at most maxFiles files and maxTotalBytes bytes: past either, an error naming the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-inputs-'));
    mkdirSync(join(dir, 'src'));
    for (const name of ['a', 'b', 'c', 'd', 'e']) writeFileSync(join(dir, 'src', `${name}.ts`), 'x'.repeat(100));
    const src = join(dir, 'src');
    assert.equal((await readInputs([src], { maxFiles: 5 })).length, 5);
    await assert.rejects(readInputs([src], { maxFiles: 4 }), (err: Error) => {
      assert.ok(err instanceof InputLimitError);
      assert.equal(
        err.message,
        `${src}: more than 4 files to read, the limit for one call (CONTEXT_BUDGET_MAX_FILES raises it): ` +
          'name narrower folders or files',
      );
      return true;
    });
    // Named files count too; a file met twice counts once.
    await assert.rejects(readInputs([join(src, 'a.ts'), src], { maxFiles: 4 }), /more than 4 files/);
    assert.equal((await readInputs([join(src, 'a.ts'), src, join(src, 'a.ts')], { maxFiles: 5 })).length, 5);
    assert.equal((await readInputs([src], { maxTotalBytes: 500 })).length, 5);
    await assert.rejects(
      readInputs([src], { maxTotalBytes: 450 }),
      new RegExp(`^Error: ${join(src, 'e.ts')}: reading it would pass 450 B in total, the limit for one call`),
    );
    // The environment sets the default (the CLI and the MCP server have no flag for it).
    process.env[MAX_FILES_ENV] = '3';
    try {
      await assert.rejects(readInputs([src]), /more than 3 files/);
      process.env[MAX_FILES_ENV] = 'many';
      await assert.rejects(readInputs([src]), /CONTEXT_BUDGET_MAX_FILES must be a positive whole number, got 'many'/);
    } finally {
      delete process.env[MAX_FILES_ENV];
    }
  });

  it('an aborted signal stops listing and reading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-inputs-'));
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(readInputs([dir], { signal: ac.signal }), { name: 'AbortError' });
    await assert.rejects(readInputs([join(dir, 'a.ts')], { signal: ac.signal }), { name: 'AbortError' });
    assert.equal((await readInputs([dir], { signal: new AbortController().signal })).length, 1);
  });
});

// Reading the CLI's inputs: a file met more than once is read once, where it first appears.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../../../src/cli/input';

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
});

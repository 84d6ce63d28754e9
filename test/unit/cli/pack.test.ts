// `npm pack` makes an installable package: installed offline into a fresh folder, its `context-budget` bin counts a
// file and serves MCP to the SDK's client (the bundled CLI needs no dependencies at run time).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { ensureBuilt } from '../../support/cli';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack: the context-budget package', function () {
  this.timeout(300_000);
  let work: string;
  let bin: string;

  before(async () => {
    await ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'cb-pack-'));
    await run(npm, ['pack', '--pack-destination', work], { cwd: ROOT });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const app = join(work, 'app');
    mkdirSync(app);
    await run(npm, ['init', '-y'], { cwd: app });
    // Offline, no optional dependency (onnxruntime-node is only for --compressor with --backend cpu).
    await run(
      npm,
      ['install', join(work, tarball), '--offline', '--omit=optional', '--no-audit', '--no-fund', '--ignore-scripts'],
      { cwd: app },
    );
    bin = join(app, 'node_modules/.bin/context-budget');
    assert.ok(existsSync(bin), 'the bin is linked');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds the CLI and what it loads at run time, and no sources or tests', async () => {
    const pkg = join(work, 'app/node_modules/context-budget');
    for (const f of ['dist/cli.js', 'dist/tokenizers.js', 'dist/tree-sitter/tree-sitter-python.wasm', 'README.md']) {
      assert.ok(existsSync(join(pkg, f)), f);
    }
    for (const f of ['src', 'test', 'dist/extension.js', 'dist/test', 'node_modules']) {
      assert.ok(!existsSync(join(pkg, f)), `${f} is not packed`);
    }
  });

  it('the installed bin counts and serves MCP to the SDK client', async () => {
    const file = join(work, 'sample.py');
    const source = 'def add(a, b):\n    """Adds."""\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n';
    writeFileSync(file, source);
    const { stdout } = await run(bin, ['count', file, '--json']);
    const o200k = await loadTokenizer('o200k_base');
    assert.equal((JSON.parse(stdout) as { total: number }).total, o200k.count(source));

    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    // Its cache of ids' places in the test's folder, not the user's ~/.cache.
    const env = { ...getDefaultEnvironment(), CONTEXT_BUDGET_CACHE_DIR: join(work, 'cache') };
    await client.connect(new StdioClientTransport({ command: bin, args: ['mcp'], cwd: work, env, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['compress_context', 'count_tokens', 'expand_elision']);
      const r = (await client.callTool({
        name: 'compress_context',
        arguments: { paths: ['sample.py'], budget: 120 },
      })) as {
        content: Array<{ text?: string }>;
        isError?: boolean;
      };
      const text = r.content.map((c) => c.text ?? '').join('');
      assert.ok(!r.isError, text);
      assert.ok(o200k.count(text) <= 120, text);
      // The grammar loaded from the package's own dist/tree-sitter: Python was parsed, not cut as text.
      assert.match(text, /def add\(a, b\)/);
    } finally {
      await client.close();
    }
  });
});

// src/core runs anywhere (Node, worker threads, web workers, the browser host): the lint rule that keeps vscode and
// Node built-ins out of it, checked through ESLint's own API on a file path inside src/core.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
const CORE_FILE = path.join(ROOT, 'src/core/lintProbe.ts');

async function restricted(code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: CORE_FILE });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: src/core imports', () => {
  for (const code of [
    "import type * as vscode from 'vscode';\nexport type U = vscode.Uri;\n",
    "import { readFile } from 'node:fs';\nexport const r = readFile;\n",
    "import { Worker } from 'worker_threads';\nexport const w = Worker;\n",
  ]) {
    it(`reports ${code.split('\n')[0]}`, async function () {
      this.timeout(60_000);
      const messages = await restricted(code);
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.match(messages[0]!, /src\/core runs in Node, workers and browsers/);
    });
  }

  it('allows imports of core modules and packages', async function () {
    this.timeout(60_000);
    const code = "import { Rpc } from './rpc';\nimport * as z from 'zod';\nexport const x = [Rpc, z];\n";
    assert.deepEqual(await restricted(code), []);
  });
});

// src/core runs anywhere (Node, worker threads, web workers, the browser host): the lint rules that keep vscode and
// Node built-ins out of it, static imports and import() alike, checked through ESLint's own API on a file path inside
// src/core.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
const CORE_FILE = path.join(ROOT, 'src/core/lintProbe.ts');

async function restricted(code: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: CORE_FILE });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('lint: src/core imports', () => {
  for (const code of [
    "import type * as vscode from 'vscode';\nexport type U = vscode.Uri;\n",
    "import { readFile } from 'node:fs';\nexport const r = readFile;\n",
    "import { Worker } from 'worker_threads';\nexport const w = Worker;\n",
    // import() of a Node built-in, with the scheme, bare, or a subpath
    "export const r = () => import('node:fs/promises');\n",
    "export const r = () => import('path');\n",
    "export const r = () => import('fs/promises');\n",
    // the native model runtime is Node-only too (src/node/ortNode.ts loads it); vscode exists only in the host
    "export const r = () => import('onnxruntime-node');\n",
    "export const r = () => import('vscode');\n",
    // a specifier that is not a string literal hides what it loads
    'export const r = (name: string) => import(name);\n',
    'export const r = (lang: string) => import(`./grammars/${lang}`);\n',
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

  it('allows import() of packages that run anywhere, named by a string literal', async function () {
    this.timeout(60_000);
    // Names that start like a built-in's are packages, not built-ins.
    const code =
      "export const x = () => [import('onnxruntime-web'), import('./rpc'), import('path-browserify'), import('os-name')];\n";
    assert.deepEqual(await restricted(code), []);
  });
});

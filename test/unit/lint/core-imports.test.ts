// src/core runs anywhere (Node, worker threads, web workers, the browser host): the lint rules that keep vscode and
// Node built-ins out of it, static imports and import() alike, checked through ESLint's own API on a file path inside
// src/core.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
const CORE_FILE = path.join(ROOT, 'src/core/lintProbe.ts');
/** Three folders below src/ (the climb out of core is deeper there). */
const DEEP_CORE_FILE = path.join(ROOT, 'src/core/llmlingua2/tokenizer/lintProbe.ts');
const RULES = ['no-restricted-imports', 'no-restricted-syntax', 'no-restricted-globals'];

async function restricted(code: string, filePath = CORE_FILE): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath });
  return result!.messages.filter((m) => RULES.includes(m.ruleId ?? '')).map((m) => m.message);
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
    // static imports of Node-only packages, and their subpaths
    "import * as ort from 'onnxruntime-node';\nexport const o = ort;\n",
    "import { InferenceSession } from 'onnxruntime-node/dist/index.js';\nexport const s = InferenceSession;\n",
    "import { chromium } from 'playwright-core';\nexport const c = chromium;\n",
    "export const r = () => import('playwright-core');\n",
    // host globals: Node's and the DOM's, bare or through globalThis
    'export const home = process.env.HOME;\n',
    "export const b = Buffer.from('x');\n",
    "export const f = require('fs');\n",
    'export const here = __dirname;\n',
    'export const t = document.title;\n',
    'export const l = window.location.href;\n',
    'export const p = globalThis.process;\n',
    "export const p = globalThis['Buffer'];\n",
    // ... cast, or through an alias: Node's globals are refused as a property of anything
    'export const p = (globalThis as any).process;\n',
    'export const p = (globalThis as unknown as { Buffer: unknown }).Buffer;\n',
    'const g: any = globalThis;\nexport const home = g.process.env.HOME;\n',
    "const g: any = globalThis;\nexport const r = g['require'];\n",
    'const g: any = globalThis;\nexport const r = g[`__dirname`];\n',
    'const g: any = globalThis;\nexport const r = g?.require;\n',
    'const { process: p } = globalThis as any;\nexport const home = p.env.HOME;\n',
    // the DOM's through a cast globalThis
    'export const t = (globalThis as any).document.title;\n',
    "export const l = (globalThis as any)['window'];\n",
    // the layers above core: src/node, src/web and the host's modules
    "import { loadOrtNode } from '../node/ortNode';\nexport const l = loadOrtNode;\n",
    "import { readModelFolder } from '../web/modelFolder';\nexport const r = readModelFolder;\n",
    "import { readSettings } from '../config';\nexport const r = readSettings;\n",
    "import { x } from '../../src/node/ortNode';\nexport const y = x;\n",
    "export const r = () => import('../node/ortNode');\n",
    // the rest of the repository: the webview, tests, bare repository folders, the native loader under any path
    "import { post } from '../../webview/main';\nexport const p = post;\n",
    "import { x } from '../../../test/support/rng';\nexport const y = x;\n",
    "import { x } from 'src/node/ortNode';\nexport const y = x;\n",
    "import { x } from 'webview/main';\nexport const y = x;\n",
    "import { x } from './llmlingua2/ortNode';\nexport const y = x;\n",
    "import { x } from './llmlingua2/../../node/gpuProbe';\nexport const y = x;\n",
    "import { x } from '/work/src/node/gpuProbe';\nexport const y = x;\n",
    "export const r = () => import('../../webview/main');\n",
    "export const r = () => import('../../../test/support/rng');\n",
    "export const r = () => import('src/node/ortNode');\n",
    "export const r = () => import('./x/ortNode.js');\n",
  ]) {
    it(`reports ${code.split('\n')[0]}`, async function () {
      this.timeout(60_000);
      const messages = await restricted(code);
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.match(messages[0]!, /src\/core runs in Node, workers and browsers/);
    });
  }

  it('a deeper file: climbing out of core is reported, moving around inside it and reading data is not', async function () {
    this.timeout(60_000);
    const out = "import { loadOrtNode } from '../../../node/ortNode';\nexport const l = loadOrtNode;\n";
    assert.equal((await restricted(out, DEEP_CORE_FILE)).length, 1);
    for (const code of [
      "import { post } from '../../../../webview/main';\nexport const p = post;\n",
      "import { x } from '../../../../test/support/rng';\nexport const y = x;\n",
      "export const r = () => import('../../../../webview/main');\n",
      "export const r = () => import('../../../node/ortNode');\n",
    ]) {
      assert.equal((await restricted(code, DEEP_CORE_FILE)).length, 1, code);
    }
    const inside =
      "import { Rpc } from '../../rpc';\nimport { readGraph } from '../../onnx/graph';\n" +
      "import pool from '../../../../media/prompts/builtin.json';\nexport const x = [Rpc, readGraph, pool];\n";
    assert.deepEqual(await restricted(inside, DEEP_CORE_FILE), []);
  });

  it('allows local names that look like host globals (a text window, a `process` parameter)', async function () {
    this.timeout(60_000);
    const code =
      'export function f(process: () => void, text: string) {\n  const window = text.slice(0, 4);\n  process();\n  return window;\n}\n';
    assert.deepEqual(await restricted(code), []);
  });

  it('allows host features that core looks up on globalThis without a Node name (setImmediate, navigator)', async function () {
    this.timeout(60_000);
    const code =
      'export const s = (globalThis as { setImmediate?: () => void }).setImmediate;\n' +
      'export const n = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;\n';
    assert.deepEqual(await restricted(code), []);
  });

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

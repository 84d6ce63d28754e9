// Each layer type-checks with only the globals it may use (src/core/tsconfig.json, src/tsconfig.json,
// src/web/tsconfig.json, webview/tsconfig.json, test/tsconfig.json): a probe file compiled under each layer's own
// config, as `npm run typecheck` compiles the layer; and every mocha configuration forbids .only.
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');

/** The type errors of `code` as a file of the layer whose tsconfig.json is in `dir`. */
function typeErrors(dir: string, code: string): string[] {
  const configPath = path.join(ROOT, dir, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  assert.equal(error, undefined, `${configPath} reads`);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const probe = path.join(ROOT, dir, '__layerProbe.ts');
  const host = ts.createCompilerHost(parsed.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) =>
    file === probe ? ts.createSourceFile(file, code, lang) : read(file, lang, ...rest);
  const exists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || exists(file);
  const program = ts.createProgram([probe], parsed.options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(probe))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const LEAKS: Record<string, string> = {
  node: 'export const a = process.env.HOME;\n',
  buffer: "export const a = Buffer.from('x');\n",
  dom: 'export const a = document.title;\n',
  window: 'export const a = window.innerWidth;\n',
  mocha: "describe('x', () => {});\n",
};

const LAYERS: { dir: string; refuses: string[]; allows: string }[] = [
  {
    dir: 'src/core',
    refuses: ['node', 'buffer', 'dom', 'window', 'mocha'],
    allows: "export const a = [fetch, new TextDecoder(), new URL('x:/'), AbortSignal.abort(), setTimeout];\n",
  },
  {
    dir: 'src',
    refuses: ['dom', 'window', 'mocha'],
    allows: "import * as vscode from 'vscode';\nexport const a = [process.env.HOME, Buffer.from('x'), vscode.Uri];\n",
  },
  {
    dir: 'src/web',
    refuses: ['node', 'buffer', 'dom', 'window', 'mocha'],
    allows: "import * as vscode from 'vscode';\nexport const a = [Worker, new Blob([]), vscode.Uri];\n",
  },
  { dir: 'webview', refuses: ['node', 'buffer', 'mocha'], allows: 'export const a = [document.title, window];\n' },
  { dir: 'test', refuses: [], allows: "describe('x', () => it('y', () => process.exit(0)));\n" },
];

describe('type-checking per layer', () => {
  for (const { dir, refuses, allows } of LAYERS) {
    it(`${dir}: refuses ${refuses.join(', ') || 'nothing of these'}; allows its own globals`, function () {
      this.timeout(60_000);
      for (const leak of refuses) {
        assert.ok(typeErrors(dir, LEAKS[leak]!).length > 0, `${dir} refuses ${leak}: ${LEAKS[leak]}`);
      }
      assert.deepEqual(typeErrors(dir, allows), [], `${dir} allows: ${allows}`);
    });
  }
});

describe('mocha configurations', () => {
  it('every one forbids .only (the unit config and each in-host suite entry)', () => {
    const rc = JSON.parse(readFileSync(path.join(ROOT, '.mocharc.json'), 'utf8'));
    assert.equal(rc['forbid-only'], true, '.mocharc.json');
    assert.deepEqual(
      readdirSync(ROOT).filter((f) => f.startsWith('.mocharc') && f !== '.mocharc.json'),
      [],
      'one .mocharc',
    );
    const entries = readdirSync(path.join(ROOT, 'test'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && /^\s*const \w+ = new Mocha\(/m.test(readFileSync(path.join(ROOT, 'test', f), 'utf8')),
    );
    assert.ok(entries.length >= 3, `found ${entries.join(', ')}`);
    for (const f of entries) {
      const text = readFileSync(path.join(ROOT, 'test', f), 'utf8');
      const constructed = [...text.matchAll(/= new Mocha\(\{[^}]*\}/g)].map((m) => m[0]);
      assert.ok(constructed.length > 0 && constructed.every((c) => /forbidOnly: true/.test(c)), `test/${f}`);
    }
  });
});

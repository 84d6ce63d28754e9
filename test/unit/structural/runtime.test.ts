// Grammar loading the way the extension and a web worker do it: from a flat directory, a URL, or a reader.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createStructuralCompressor, WASM_SOURCES } from '../../../src/core/structural/index';
import { readWasmFrom } from '../../../src/node/treeSitterFiles';

const ROOT = join(__dirname, '../../..');
const GO = 'package main\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n';

describe('structural runtime: grammar locations', () => {
  let dir: string;
  before(() => {
    // The flat layout the bundle ships: every file of WASM_SOURCES side by side.
    dir = mkdtempSync(join(tmpdir(), 'cb-wasm-'));
    for (const [name, source] of Object.entries(WASM_SOURCES)) {
      copyFileSync(join(ROOT, 'node_modules', source), join(dir, name));
    }
  });

  it('every file listed for shipping exists in node_modules', () => {
    assert.equal(Object.keys(WASM_SOURCES).length, 17); // runtime + 16 grammars
    for (const source of Object.values(WASM_SOURCES)) {
      assert.ok(readFileSync(join(ROOT, 'node_modules', source)).length > 1000, source);
    }
  });

  it('loads grammars from a directory path and from a file: URL (the Node reader)', async () => {
    for (const wasmDir of [dir, pathToFileURL(dir).href]) {
      const analysis = await createStructuralCompressor({ readWasm: readWasmFrom(wasmDir) }).analyse(GO, 'go');
      assert.equal(analysis.levels[2]!.text, 'package main\n\nfunc Add(a, b int) int { /* … */ }\n');
    }
  });

  it('loads grammars over HTTP (the web worker path); a missing file is reported and degrades', async () => {
    const requested: string[] = [];
    const server: Server = createServer((req, res) => {
      const name = (req.url ?? '/').slice(1);
      requested.push(name);
      let body: Buffer;
      try {
        body = readFileSync(join(dir, name));
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/wasm' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wasm`;
      const analysis = await createStructuralCompressor({ wasmDir: `${base}/..` }).analyse(GO, 'go');
      assert.equal(analysis.kind, 'tree');
      assert.ok(requested.includes('tree-sitter-go.wasm'), requested.join(','));
      const missing = await createStructuralCompressor({ wasmDir: `${base}/missing/` }).analyse('x = 1\n', 'python');
      assert.equal(missing.kind, 'fallback');
      assert.match(missing.notes.join(' '), /HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('core itself reads no disk: a directory path without a reader degrades with a note that says so', async () => {
    const analysis = await createStructuralCompressor({ wasmDir: dir }).analyse(GO, 'go');
    assert.equal(analysis.kind, 'fallback');
    assert.match(analysis.notes.join(' '), /pass readWasm/);
  });

  it('uses a caller-supplied reader (e.g. vscode.workspace.fs) when given', async () => {
    const asked: string[] = [];
    const compressor = createStructuralCompressor({
      readWasm: async (name) => {
        asked.push(name);
        return readFileSync(join(dir, name));
      },
    });
    const analysis = await compressor.analyse('fn main() {\n    println!("hi");\n}\n', 'rust');
    assert.equal(analysis.levels[2]!.text, 'fn main() { /* … */ }\n');
    assert.ok(asked.includes('tree-sitter-rust.wasm'));
  });

  it('falls back to whitespace handling, with a note, when a grammar cannot be loaded', async () => {
    const compressor = createStructuralCompressor({
      readWasm: async (name) => {
        if (name !== 'tree-sitter.wasm') throw new Error(`${name} is not shipped`);
        return readFileSync(join(dir, name));
      },
    });
    const analysis = await compressor.analyse('def f():\n    return 1\n\n\n\nx = 2\n', 'python');
    assert.equal(analysis.kind, 'fallback');
    assert.match(analysis.notes.join(' '), /tree-sitter-python\.wasm unavailable .*not shipped/);
    assert.equal(analysis.levels[1]!.text, 'def f():\n    return 1\n\nx = 2\n');
  });
});

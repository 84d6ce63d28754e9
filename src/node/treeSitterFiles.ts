// Node: reads tree-sitter's runtime and grammar WASM files from disk for the structural compressor (core takes them
// as a readWasm function; it cannot touch the file system itself).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASM_SOURCES, type ReadWasm } from '../core/structural/runtime';

/** Reads the files from one flat directory: a path or a `file:` URL (e.g. `<extension>/dist/tree-sitter`). */
export function readWasmFrom(dir: string | URL): ReadWasm {
  const text = String(dir);
  const base = text.startsWith('file:') ? fileURLToPath(text) : text;
  return (fileName) => readFile(join(base, fileName));
}

/**
 * Reads a file where a Node host finds it without being told: `dist/tree-sitter` beside the bundle first, then the
 * npm packages in node_modules (development, tests, the CLI from a clone).
 */
export const readWasm: ReadWasm = async (fileName) => {
  const tried: string[] = [];
  // 1. Beside the bundle: dist/extension.js and dist/cli.js look in dist/tree-sitter/.
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  if (here) {
    const candidate = join(here, 'tree-sitter', fileName);
    tried.push(candidate);
    try {
      return await readFile(candidate);
    } catch {
      // fall through to node_modules
    }
  }
  // 2. node_modules (a clone, the tests, the CLI run with tsx): walk up from here and from the cwd. Not
  // require.resolve: web-tree-sitter's "exports" hides its package.json.
  const source = WASM_SOURCES[fileName];
  if (source) {
    for (const start of [here, process.cwd()]) {
      for (let dir = start; dir; ) {
        const candidate = join(dir, 'node_modules', source);
        tried.push(candidate);
        try {
          return await readFile(candidate);
        } catch {
          // keep walking up
        }
        const parent = dirname(dir);
        dir = parent === dir ? undefined : parent;
      }
    }
  }
  throw new Error(
    tried.length
      ? `tree-sitter file ${fileName} not found (looked in: ${tried.join(', ')})`
      : `tree-sitter file ${fileName}: no default location here; pass wasmDir or readWasm`,
  );
};

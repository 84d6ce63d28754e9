// Loads the tree-sitter runtime and grammar WASM files. No `vscode` import: this runs in the extension host,
// the CLI and (given a URL) a web worker. Bytes are read by us and handed over as buffers, so the Emscripten
// module never has to guess where its files are.
import { Language, Parser } from 'web-tree-sitter';

/** Where grammar files live: a directory path (Node) or a URL (web worker, `vscode-file:`, `http:`). */
export interface WasmLocation {
  /**
   * Directory holding `tree-sitter.wasm` and the `tree-sitter-<lang>.wasm` grammars, flat. In the bundled
   * extension this is `<extension>/dist/tree-sitter`. When left out, Node resolves `dist/tree-sitter` beside the
   * bundle first and then the npm packages in node_modules (development, tests, the CLI from a clone).
   */
  wasmDir?: string | URL;
  /** Replaces file reading altogether (e.g. `vscode.workspace.fs.readFile`). Gets a bare file name. */
  readWasm?: (fileName: string) => Promise<Uint8Array>;
}

/** Where each file comes from in node_modules; the bundle copies them flat into one directory. */
export const WASM_SOURCES: Readonly<Record<string, string>> = {
  'tree-sitter.wasm': 'web-tree-sitter/tree-sitter.wasm',
  'tree-sitter-bash.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm',
  'tree-sitter-c-sharp.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-c-sharp.wasm',
  'tree-sitter-cpp.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-cpp.wasm',
  'tree-sitter-css.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-css.wasm',
  'tree-sitter-go.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-go.wasm',
  'tree-sitter-java.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-java.wasm',
  'tree-sitter-javascript.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-javascript.wasm',
  'tree-sitter-php.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-php.wasm',
  'tree-sitter-powershell.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-powershell.wasm',
  'tree-sitter-python.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm',
  'tree-sitter-ruby.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-ruby.wasm',
  'tree-sitter-rust.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-rust.wasm',
  'tree-sitter-tsx.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-tsx.wasm',
  'tree-sitter-typescript.wasm': '@vscode/tree-sitter-wasm/wasm/tree-sitter-typescript.wasm',
  'tree-sitter-c.wasm': 'tree-sitter-c/tree-sitter-c.wasm',
  'tree-sitter-json.wasm': 'tree-sitter-json/tree-sitter-json.wasm',
};

let sharedInit: Promise<void> | undefined;

export class TreeSitterRuntime {
  private readonly languages = new Map<string, Promise<Language>>();

  constructor(private readonly location: WasmLocation = {}) {}

  /** Creates a parser for a grammar file such as `tree-sitter-python.wasm`. Caller must `delete()` it. */
  async parser(grammarFile: string): Promise<Parser> {
    await this.ensureInit();
    let language = this.languages.get(grammarFile);
    if (!language) {
      language = this.read(grammarFile).then((bytes) => Language.load(bytes));
      this.languages.set(grammarFile, language);
      // A failed load must not poison the cache for a later retry (e.g. after the file is installed).
      language.catch(() => this.languages.delete(grammarFile));
    }
    const parser = new Parser();
    parser.setLanguage(await language);
    return parser;
  }

  private ensureInit(): Promise<void> {
    // Parser.init replaces web-tree-sitter's module-wide WASM instance, which would strand every language
    // loaded before it: initialise once per JS realm, whichever runtime asks first.
    if (!sharedInit) {
      const pending = this.read('tree-sitter.wasm').then((wasmBinary) => Parser.init({ wasmBinary } as never));
      sharedInit = pending;
      pending.catch(() => {
        if (sharedInit === pending) sharedInit = undefined;
      });
    }
    return sharedInit;
  }

  private async read(fileName: string): Promise<Uint8Array> {
    if (this.location.readWasm) {
      return this.location.readWasm(fileName);
    }
    const dir = this.location.wasmDir;
    if (dir !== undefined) {
      const text = String(dir);
      if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text) && !text.startsWith('file:')) {
        // Any non-file URL (web worker, webview resource): fetch it.
        const url = new URL(fileName, text.endsWith('/') ? text : `${text}/`);
        const response = await fetch(url);
        if (!response.ok) {
          throw new Error(`cannot load ${url.href}: HTTP ${response.status}`);
        }
        return new Uint8Array(await response.arrayBuffer());
      }
      const { readFile } = await import('node:fs/promises');
      const { fileURLToPath } = await import('node:url');
      const { join } = await import('node:path');
      const base = text.startsWith('file:') ? fileURLToPath(text) : text;
      return readFile(join(base, fileName));
    }
    return readFromDefaultLocations(fileName);
  }
}

async function readFromDefaultLocations(fileName: string): Promise<Uint8Array> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error(`tree-sitter file ${fileName}: no default location outside Node; pass wasmDir or readWasm`);
  }
  const { readFile } = await import('node:fs/promises');
  const { join, dirname } = await import('node:path');
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
    const cwd = typeof process !== 'undefined' && typeof process.cwd === 'function' ? process.cwd() : undefined;
    for (const start of [here, cwd]) {
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
}

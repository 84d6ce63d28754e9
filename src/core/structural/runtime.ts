// Loads the tree-sitter runtime and grammar WASM files. No `vscode` and no Node import: this runs in the extension
// host, the CLI and a web worker, so the host says where the files are (src/node/treeSitterFiles.ts reads them from
// disk; a web worker passes a URL). Bytes are handed over as buffers, so the Emscripten module never has to guess
// where its files are.
import { Language, Parser } from 'web-tree-sitter';

/** Reads one file by its bare name (`tree-sitter.wasm`, `tree-sitter-go.wasm`): the host's file access. */
export type ReadWasm = (fileName: string) => Promise<Uint8Array>;

/** Where grammar files live: given by the host, which alone knows its file system (if it has one). */
export interface WasmLocation {
  /**
   * URL of the directory holding `tree-sitter.wasm` and the `tree-sitter-<lang>.wasm` grammars, flat (web worker,
   * `vscode-file:`, `http:`); fetched. Directories on disk go through readWasm (src/node/treeSitterFiles.ts).
   */
  wasmDir?: string | URL;
  /** Reads the files itself (Node's fs, `vscode.workspace.fs.readFile`). Gets a bare file name. */
  readWasm?: ReadWasm;
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

  constructor(private readonly location: WasmLocation) {}

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
    if (dir === undefined) {
      throw new Error(`tree-sitter file ${fileName}: no location given; pass wasmDir (a URL) or readWasm`);
    }
    const text = String(dir);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(text) || /^[a-z]:[\\/]/i.test(text) || text.startsWith('file:')) {
      // fetch cannot read files; a Node host reads them (src/node/treeSitterFiles.ts readWasmFrom).
      throw new Error(`tree-sitter file ${fileName}: ${text} is on disk; pass readWasm to read it`);
    }
    // Any non-file URL (web worker, webview resource): fetch it.
    const url = new URL(fileName, text.endsWith('/') ? text : `${text}/`);
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`cannot load ${url.href}: HTTP ${response.status}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  }
}

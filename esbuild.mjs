// Builds every bundle from one table: Node and browser extension hosts, the webview, the CLI, the count
// worker, the integration-test suite and the benchmarks. `--production` minifies; `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const production = process.argv.includes('--production');
const packageVersion = JSON.parse(readFileSync('package.json', 'utf8')).version;
const watch = process.argv.includes('--watch');

// CommonJS output has no import.meta; libraries that locate files with import.meta.url (web-tree-sitter,
// onnxruntime-web) get the bundle's own file URL instead.
const node = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'onnxruntime-node'],
  define: { 'import.meta.url': '__bundleUrl' },
  // __bundleStart / __bundleLoaded: when the bundle started loading and had run its top level (activation timings,
  // src/activate.ts).
  banner: {
    js: 'var __bundleStart = performance.now();\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  footer: { js: 'var __bundleLoaded = performance.now();' },
};

// The tokenizer rank tables are most of the weight (about 7.6 MB). One copy is built, dist/tokenizers.js: plain
// CommonJS with no Node or browser specifics, for every host. Every shipped bundle that imports
// src/core/tokens/tokenizers.ts gets a small stand-in instead, which loads that copy on the first count: Node requires
// it, the browser host and its LLMLingua-2 web worker evaluate it (src/web/tokenizersSource.ts). So loading a bundle
// (activation) does not pay for the tables, and the VSIX carries them once, not three times.
const tokenizersPath = resolve('src/core/tokens/tokenizers.ts');
const tokenizersModule = await tsImport('./src/core/tokens/tokenizers.ts', import.meta.url);
const tokenizersExports = Object.keys(tokenizersModule).filter((name) => name !== 'default');
if (tokenizersExports.sort().join() !== 'TOKENIZER_IDS,isTokenizerId,loadTokenizer') {
  throw new Error(`esbuild: src/core/tokens/tokenizers.ts exports ${tokenizersExports}; update its stand-in below`);
}
function lazyTokenizers(platform) {
  const load =
    platform === 'node'
      ? "let pending;\nconst loadTokenizersModule = () => (pending ??= Promise.resolve().then(() => require('./tokenizers.js')));"
      : `import { loadTokenizersModule } from ${JSON.stringify(resolve('src/web/tokenizersSource.ts'))};`;
  const contents = `${load}
export const TOKENIZER_IDS = ${JSON.stringify(tokenizersModule.TOKENIZER_IDS)};
export function isTokenizerId(value) { return typeof value === 'string' && TOKENIZER_IDS.includes(value); }
export async function loadTokenizer(id) { return (await loadTokenizersModule()).loadTokenizer(id); }
`;
  return {
    name: 'lazy-tokenizers',
    setup(build) {
      build.onResolve({ filter: /\/tokenizers$/ }, (args) =>
        resolve(args.resolveDir, `${args.path}.ts`) === tokenizersPath
          ? { path: 'tokenizers', namespace: 'lazy-tokenizers' }
          : undefined,
      );
      build.onResolve({ filter: /^\.\/tokenizers\.js$/, namespace: 'lazy-tokenizers' }, () => ({
        path: './tokenizers.js',
        external: true,
      }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-tokenizers' }, () => ({
        contents,
        loader: 'js',
        resolveDir: process.cwd(),
      }));
    },
  };
}
const shipped = { ...node, plugins: [lazyTokenizers('node')] };

// `import 'context-budget:suites'` in the integration entry loads every test/vscode/suite/*.test.ts.
const suites = {
  name: 'integration-suites',
  setup(build) {
    build.onResolve({ filter: /^context-budget:suites$/ }, () => ({ path: 'suites', namespace: 'suites' }));
    build.onLoad({ filter: /.*/, namespace: 'suites' }, () => {
      const files = readdirSync('test/vscode/suite')
        .filter((f) => f.endsWith('.test.ts'))
        .sort();
      return {
        contents: files.map((f) => `require(${JSON.stringify(`./test/vscode/suite/${f}`)});`).join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      };
    });
  },
};
// Node built-ins stay external in browser bundles: web-tree-sitter's Emscripten glue names them on its Node code
// path, which never runs in the browser extension host or the webview (src/core itself imports none, not even
// dynamically; ESLint enforces it).
const nodeBuiltins = ['node:*', 'fs', 'fs/promises', 'module', 'path', 'url', 'worker_threads', 'crypto'];
// CommonJS has no import.meta here either; web-tree-sitter builds a URL from it even when handed the WASM bytes.
const browser = {
  platform: 'browser',
  format: 'cjs',
  target: 'es2022',
  external: ['vscode', ...nodeBuiltins],
  define: { 'import.meta.url': '__bundleUrl' },
  // A web worker's location can be a blob: URL, which cannot be a base URL.
  banner: {
    js: 'var __bundleStart = performance.now();\nvar __bundleUrl = (() => { try { return new URL(".", location.href).href; } catch { return "file:///"; } })();',
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    // No banner, no externals: the same file runs in Node and in browsers (it needs neither platform's APIs).
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    entryPoints: { tokenizers: 'src/core/tokens/tokenizers.ts' },
    outdir: 'dist',
  },
  {
    ...shipped,
    entryPoints: {
      extension: 'src/extension.ts',
      countWorker: 'src/node/countWorker.ts',
      llmlingua2Worker: 'src/node/llmlingua2/worker.ts',
    },
    outdir: 'dist',
  },
  {
    ...browser,
    entryPoints: { extension: 'src/web/extension.ts' },
    outdir: 'dist/web',
    plugins: [lazyTokenizers('web')],
  },
  {
    // The LLMLingua-2 web worker of the browser host, started from a blob: URL. Two onnxruntime-web builds, glue
    // inlined, each .wasm handed over as bytes by the host: the WASM-only one, and the WebGPU one (its own 27 MB
    // .wasm, sent only when the browser offers a WebGPU adapter). Core's plain 'onnxruntime-web' import would pull in
    // a third (the JSEP build); it is pointed at the WASM-only one.
    ...browser,
    format: 'iife',
    entryPoints: { llmlingua2Worker: 'src/web/llmlingua2/webWorker.ts' },
    outdir: 'dist/web',
    plugins: [
      lazyTokenizers('web'),
      {
        name: 'onnxruntime-web-wasm-only',
        setup(build) {
          build.onResolve({ filter: /^onnxruntime-web$/ }, (args) =>
            build.resolve('onnxruntime-web/wasm', { kind: args.kind, resolveDir: args.resolveDir }),
          );
        },
      },
    ],
  },
  { ...browser, format: 'iife', entryPoints: { main: 'webview/main.ts' }, outdir: 'dist/webview' },
  {
    ...shipped,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${node.banner.js}` },
    // `context-budget --version` and the MCP server's serverInfo.
    define: { ...node.define, __CLI_VERSION__: JSON.stringify(packageVersion) },
  },
];
if (!production) {
  builds.push(
    {
      ...node,
      entryPoints: { index: 'test/vscode/index.ts' },
      outdir: 'dist/test/vscode',
      external: ['vscode', 'mocha'],
      plugins: [suites],
    },
    { ...node, entryPoints: { bench: 'bench/bench.ts' }, outdir: 'dist' },
    {
      ...node,
      entryPoints: { index: 'test/vscode-web/index.ts' },
      outdir: 'dist/test/vscode-web',
      external: ['vscode', 'mocha'],
    },
    {
      ...node,
      entryPoints: { index: 'test/vscode/untrusted/index.ts' },
      outdir: 'dist/test/vscode-untrusted',
      external: ['vscode', 'mocha'],
    },
  );
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  loader: { '.wasm': 'file' },
};
const nodeEnv = { 'process.env.NODE_ENV': production ? '"production"' : '"development"' };

/** Files the bundles load at run time rather than import: tree-sitter runtime and grammar WASM, listed once in
 * the structural compressor's WASM_SOURCES and copied to dist/tree-sitter/ where its runtime looks. */
async function copyAssets() {
  const { WASM_SOURCES } = await tsImport('./src/core/structural/runtime.ts', import.meta.url);
  mkdirSync('dist/tree-sitter', { recursive: true });
  for (const [name, source] of Object.entries(WASM_SOURCES)) {
    const from = `node_modules/${source}`;
    if (!existsSync(from)) {
      throw new Error(`esbuild: ${from} is missing; run npm ci`);
    }
    cpSync(from, `dist/tree-sitter/${name}`);
  }
  // onnxruntime-web loads its WASM and glue at run time. The Node host runs its CPU build (onnxruntime-node brings
  // its own WebGPU); the browser's web worker gets the WebGPU build's .wasm from dist/web/ort/, which only the
  // universal VSIX carries (scripts/package-platform.mjs leaves it out of the desktop ones).
  mkdirSync('dist/ort', { recursive: true });
  for (const name of ORT_FILES) {
    cpSync(`node_modules/onnxruntime-web/dist/${name}`, `dist/ort/${name}`);
  }
  mkdirSync('dist/web/ort', { recursive: true });
  cpSync(`node_modules/onnxruntime-web/dist/${ORT_WEBGPU_WASM}`, `dist/web/ort/${ORT_WEBGPU_WASM}`);
}
const ORT_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
const ORT_WEBGPU_WASM = 'ort-wasm-simd-threaded.asyncify.wasm';

const options = (b) => ({ ...common, ...b, define: { ...nodeEnv, ...b.define } });
const existing = builds.filter((b) => Object.values(b.entryPoints).every((p) => existsSync(p)));
if (watch) {
  for (const b of existing) {
    const ctx = await esbuild.context(options(b));
    await ctx.watch();
  }
  await copyAssets();
} else {
  const started = Date.now();
  if (production) {
    rmSync('dist', { recursive: true, force: true });
  }
  await Promise.all([...existing.map((b) => esbuild.build(options(b))), copyAssets()]);
  console.log(`esbuild: ${existing.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

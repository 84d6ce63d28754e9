// Builds every bundle from one table: Node and browser extension hosts, the webview, the CLI, the count
// worker, the integration-test suite and the benchmarks. `--production` minifies; `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = { platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'onnxruntime-node'] };

// The tokenizer rank tables are most of the weight (about 7 MB). Node bundles that ship side by side in dist/
// share one copy, dist/tokenizers.js, loaded at run time; the browser bundle must inline its own.
const tokenizersPath = resolve('src/core/tokens/tokenizers.ts');
const sharedTokenizers = {
  name: 'shared-tokenizers',
  setup(build) {
    build.onResolve({ filter: /\/tokenizers$/ }, (args) => {
      const full = resolve(args.resolveDir, `${args.path}.ts`);
      return full === tokenizersPath && args.importer !== '' ? { path: './tokenizers.js', external: true } : undefined;
    });
  },
};
const shipped = { ...node, plugins: [sharedTokenizers] };

// `import 'context-budget:suites'` in the integration entry loads every test/vscode/suite/*.test.ts.
const suites = {
  name: 'integration-suites',
  setup(build) {
    build.onResolve({ filter: /^context-budget:suites$/ }, () => ({ path: 'suites', namespace: 'suites' }));
    build.onLoad({ filter: /.*/, namespace: 'suites' }, () => {
      const files = readdirSync('test/vscode/suite').filter((f) => f.endsWith('.test.ts')).sort();
      return {
        contents: files.map((f) => `require(${JSON.stringify(`./test/vscode/suite/${f}`)});`).join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      };
    });
  },
};
const browser = { platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'] };

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  { ...node, entryPoints: { tokenizers: 'src/core/tokens/tokenizers.ts' }, outdir: 'dist' },
  { ...shipped, entryPoints: { extension: 'src/extension.ts', countWorker: 'src/node/countWorker.ts' }, outdir: 'dist' },
  { ...browser, entryPoints: { extension: 'src/web/extension.ts' }, outdir: 'dist/web' },
  { ...browser, format: 'iife', entryPoints: { main: 'webview/main.ts' }, outdir: 'dist/webview' },
  { ...shipped, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
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
  );
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  loader: { '.wasm': 'file' },
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

/** Files the bundles load at run time rather than import (grammar/runtime WASM). */
const assets = [];

function copyAssets() {
  for (const [from, to] of assets) {
    if (existsSync(from)) {
      mkdirSync(to.replace(/\/[^/]*$/, ''), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
  }
}

const existing = builds.filter((b) => Object.values(b.entryPoints).every((p) => existsSync(p)));
if (watch) {
  for (const b of existing) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
  copyAssets();
} else {
  const started = Date.now();
  if (production) {
    rmSync('dist', { recursive: true, force: true });
  }
  await Promise.all(existing.map((b) => esbuild.build({ ...common, ...b })));
  copyAssets();
  console.log(`esbuild: ${existing.length} bundles in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

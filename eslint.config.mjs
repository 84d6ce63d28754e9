// Flat config: typescript-eslint's recommended rules, as most VS Code extensions use.
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Every Node built-in, bare (fs, worker_threads, fs/promises, ...) and with the node: scheme; from Node's own list,
// so a new built-in is covered without editing this file.
const coreMessage = 'src/core runs in Node, workers and browsers: no vscode and no Node built-ins (put it in src/node)';
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
// Packages that only run in Node (native code, or tools that spawn processes and read the disk).
const nodeOnlyPackages = [
  'onnxruntime-node',
  'playwright-core',
  'mocha',
  'esbuild',
  'tsx',
  'eslint',
  '@vscode/test-electron',
  '@vscode/vsce',
  '@vscode/l10n-dev',
];
// Host globals: Node's (process, Buffer, require, ...) and the DOM's (document, window); core takes what it needs as
// arguments (e.g. a reader, a fetch) from src/node or src/web.
const hostGlobals = [
  'process',
  'Buffer',
  'require',
  'module',
  '__dirname',
  '__filename',
  'global',
  'document',
  'window',
];
const globalMessage = (name) => `${coreMessage}: no \`${name}\` (a host global; take it as an argument)`;

// The same for import(): a dynamic import passes no-restricted-imports by, so these are matched on the syntax tree.
// esquery's regex literal cannot hold a '/', hence \u002F (subpaths such as fs/promises, onnxruntime-node/dist).
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('/', '\\u002F');
const outsideCore = readdirSync(new URL('./src', import.meta.url))
  .filter((name) => name !== 'core')
  .map((name) => escapeRegex(name.replace(/\.ts$/, '')))
  .join('|');
const nodeOnlyModules = ['vscode', ...nodeBuiltins, ...nodeOnlyPackages].map(escapeRegex).join('|');
const dynamicImportRules = [
  {
    selector: `ImportExpression[source.type='Literal'][source.value=/^(?:node:|(?:${nodeOnlyModules})(?:$|\\u002F))/]`,
    message: `${coreMessage}; import() too`,
  },
  {
    selector: "ImportExpression:not([source.type='Literal'])",
    message: `${coreMessage}; import() takes a string literal here, so a hidden Node-only specifier cannot slip through`,
  },
  {
    // import('../node/…') and the like: what lies in src/ beside core (read from the folder, so a new layer counts).
    selector: `ImportExpression[source.value=/^(?:\\.\\.\\u002F)+(?:src\\u002F)?(?:${outsideCore})(?:\\.ts)?(?:$|\\u002F)/]`,
    message: `${coreMessage}; nothing outside src/core either (src/node, src/web and the host build on core, not the reverse)`,
  },
  {
    // globalThis.process, globalThis['Buffer'], ...: the globals rule sees only bare names.
    selector: `MemberExpression[object.name=/^(?:globalThis|self)$/][property.name=/^(?:${hostGlobals.join('|')})$/]`,
    message: `${coreMessage}: no host globals through globalThis (take them as an argument)`,
  },
  {
    selector: `MemberExpression[object.name=/^(?:globalThis|self)$/][property.value=/^(?:${hostGlobals.join('|')})$/]`,
    message: `${coreMessage}: no host globals through globalThis (take them as an argument)`,
  },
];

/**
 * no-restricted-imports for a file `depth` folders below src/ (src/core/x.ts: 1): vscode, Node built-ins, Node-only
 * packages, and any relative import that climbs out of src/core into the rest of src (../node, ../web, ../config).
 */
const coreImports = (depth) => [
  'error',
  {
    paths: ['vscode', ...nodeBuiltins, ...nodeOnlyPackages].map((name) => ({ name, message: coreMessage })),
    patterns: [
      {
        group: ['node:*', ...nodeBuiltins.map((m) => `${m}/*`), ...nodeOnlyPackages.map((m) => `${m}/*`)],
        message: coreMessage,
      },
      {
        // Exactly `depth` levels up lands in src/; one more reaches the repository (data such as media/ is fine there,
        // src/ again is not).
        regex: `^(?:\\.\\./){${depth}}(?!\\.\\./)|^(?:\\.\\./){${depth + 1}}src(?:/|$)`,
        message: `${coreMessage}; nothing outside src/core either (src/node, src/web and the host build on core, not the reverse)`,
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'out/**',
      '**/fixtures/**',
      'test-artifacts/**',
      'bench/models/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      curly: ['error', 'multi-line'],
      eqeqeq: 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // core must stay runnable in plain Node, in worker threads, in web workers and in the browser host
      'no-restricted-imports': coreImports(1),
      'no-restricted-syntax': ['error', ...dynamicImportRules],
      'no-restricted-globals': ['error', ...hostGlobals.map((name) => ({ name, message: globalMessage(name) }))],
    },
  },
  // The climb out of src/core depends on how deep the file is (flat config replaces a rule's options, not merges).
  ...[2, 3, 4, 5].map((depth) => ({
    files: [`src/core/${'*/'.repeat(depth - 1)}*.ts`],
    rules: { 'no-restricted-imports': coreImports(depth) },
  })),
);

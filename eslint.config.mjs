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

// Node's globals read as a property of something: globalThis.process, (globalThis as any).Buffer, or through an alias
// (const g: any = globalThis; g.process.env). No scope analysis can follow every alias, so these names are refused as
// property names anywhere in core (none of core's own objects uses them).
const nodeMemberNames = ['process', 'Buffer', 'require', '__dirname', '__filename'];
// The rest of the host globals are ordinary words (a text window, a module), so only globalThis/self, cast or not.
const otherHostGlobals = hostGlobals.filter((name) => !nodeMemberNames.includes(name));

// esquery's regex literal cannot hold a '/', hence \u002F (subpaths such as fs/promises, onnxruntime-node/dist).
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const forEsquery = (re) => re.replaceAll('/', '\\u002F');
// Folders at the repository root: a bare 'src/node/…' or 'webview/…' resolves once a paths mapping or bundler alias
// names it, so core may not spell one. media/ holds data (prompts) that core reads.
const repoFolders = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'media'].includes(e.name))
  .map((e) => escapeRegex(e.name));

/**
 * A specifier that leaves src/core, for a file `depth` folders below src/ (src/core/x.ts: 1). Exactly `depth` levels
 * up lands in src/ (../node, ../web, ../config); one more lands in the repository, where only media/ is allowed
 * (webview/, test/, bench/ are not); more leaves the repository. A '.' or '..' after a named folder would hide a climb
 * (./core/../../webview), so specifiers must be written plainly. Bare repository folders (src/node/…), absolute and
 * file: paths, and the native runtime's loader (ortNode, under any path) are refused as well.
 */
const outOfCore = (depth) =>
  [
    `^(?:\\.\\./){${depth}}(?!\\.\\./)`,
    `^(?:\\.\\./){${depth + 1}}(?!media/)`,
    `^\\./\\.|/\\./|[^/.][^/]*/\\.\\.(?:/|$)`,
    `^(?:${repoFolders.join('|')})(?:/|$)`,
    `^(?:/|file:)`,
    `(?:^|/)ortNode(?:\\.[cm]?[jt]s)?$`,
  ].join('|');
const outOfCoreMessage = `${coreMessage}; nothing outside src/core either (src/node, src/web, the webview, tests and the host build on core, not the reverse)`;

// The same for import(): a dynamic import passes no-restricted-imports by, so these are matched on the syntax tree.
const nodeOnlyModules = ['vscode', ...nodeBuiltins, ...nodeOnlyPackages].map(escapeRegex).join('|');
const nameList = (names) => `/^(?:${names.join('|')})$/`;
const hostRules = [
  {
    selector: `ImportExpression[source.type='Literal'][source.value=/^(?:node:|(?:${forEsquery(nodeOnlyModules)})(?:$|\\u002F))/]`,
    message: `${coreMessage}; import() too`,
  },
  {
    selector: "ImportExpression:not([source.type='Literal'])",
    message: `${coreMessage}; import() takes a string literal here, so a hidden Node-only specifier cannot slip through`,
  },
  // x.process, x['Buffer'], x[`require`], const { process } = x: see nodeMemberNames.
  ...[
    `MemberExpression[computed=false][property.name=${nameList(nodeMemberNames)}]`,
    `MemberExpression[computed=true][property.value=${nameList(nodeMemberNames)}]`,
    `MemberExpression[computed=true][property.type='TemplateLiteral'][property.quasis.0.value.cooked=${nameList(nodeMemberNames)}]`,
    `ObjectPattern > Property:matches([key.name=${nameList(nodeMemberNames)}], [key.value=${nameList(nodeMemberNames)}])`,
  ].map((selector) => ({
    selector,
    message: `${coreMessage}: no Node globals as a property, of globalThis or an alias of it (take them as an argument)`,
  })),
  // globalThis.document, (globalThis as any)['window'], ...: the globals rule sees only bare names.
  ...['name', 'value'].map((key) => ({
    selector:
      `MemberExpression:matches([object.name=/^(?:globalThis|self)$/], [object.expression.name=/^(?:globalThis|self)$/], ` +
      `[object.expression.expression.name=/^(?:globalThis|self)$/])[property.${key}=${nameList(otherHostGlobals)}]`,
    message: `${coreMessage}: no host globals through globalThis (take them as an argument)`,
  })),
];

/** no-restricted-syntax for a file `depth` folders below src/: host globals, and import() of what core may not import. */
const coreSyntax = (depth) => [
  'error',
  ...hostRules,
  {
    selector: `ImportExpression[source.type='Literal'][source.value=/${forEsquery(outOfCore(depth))}/]`,
    message: `${outOfCoreMessage}; import() too`,
  },
];

/**
 * no-restricted-imports for a file `depth` folders below src/ (src/core/x.ts: 1): vscode, Node built-ins, Node-only
 * packages, and any specifier that leaves src/core (see outOfCore).
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
      { regex: outOfCore(depth), message: outOfCoreMessage },
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
      'no-restricted-syntax': coreSyntax(1),
      'no-restricted-globals': ['error', ...hostGlobals.map((name) => ({ name, message: globalMessage(name) }))],
    },
  },
  // The climb out of src/core depends on how deep the file is (flat config replaces a rule's options, not merges).
  ...[2, 3, 4, 5].map((depth) => ({
    files: [`src/core/${'*/'.repeat(depth - 1)}*.ts`],
    rules: { 'no-restricted-imports': coreImports(depth), 'no-restricted-syntax': coreSyntax(depth) },
  })),
);

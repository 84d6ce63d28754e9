// Flat config: typescript-eslint's recommended rules, as most VS Code extensions use.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Every Node built-in, bare (fs, worker_threads, fs/promises, ...) and with the node: scheme; from Node's own list,
// so a new built-in is covered without editing this file.
const coreMessage = 'src/core runs in Node, workers and browsers: no vscode and no Node built-ins (put it in src/node)';
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

// The same for import(): a dynamic import passes no-restricted-imports by, so these are matched on the syntax tree.
// esquery's regex literal cannot hold a '/', hence \u002F (subpaths such as fs/promises, onnxruntime-node/dist).
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('/', '\\u002F');
const nodeOnlyModules = ['vscode', ...nodeBuiltins, 'onnxruntime-node'].map(escapeRegex).join('|');
const dynamicImportRules = [
  {
    selector: `ImportExpression[source.type='Literal'][source.value=/^(?:node:|(?:${nodeOnlyModules})(?:$|\\u002F))/]`,
    message: `${coreMessage}; import() too`,
  },
  {
    selector: "ImportExpression:not([source.type='Literal'])",
    message: `${coreMessage}; import() takes a string literal here, so a hidden Node-only specifier cannot slip through`,
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
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeBuiltins].map((name) => ({ name, message: coreMessage })),
          patterns: [{ group: ['node:*', ...nodeBuiltins.map((m) => `${m}/*`)], message: coreMessage }],
        },
      ],
      'no-restricted-syntax': ['error', ...dynamicImportRules],
    },
  },
);

// Flat config: typescript-eslint's recommended rules, as most VS Code extensions use.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Every Node built-in, bare (fs, worker_threads, fs/promises, ...) and with the node: scheme; from Node's own list,
// so a new built-in is covered without editing this file.
const coreMessage = 'src/core runs in Node, workers and browsers: no vscode and no Node built-ins (put it in src/node)';
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

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
    },
  },
);

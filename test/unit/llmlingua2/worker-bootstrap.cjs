// Test-only: lets a worker_threads worker run the TypeScript worker source through tsx.
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs');
require(require('node:path').resolve(__dirname, '../../../src/node/llmlingua2/worker.ts'));

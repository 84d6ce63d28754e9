// Test-only: runs the browser web worker entry inside a worker_threads worker, with `postMessage`/`onmessage`
// on globalThis as in a DOM worker, and the TypeScript source through tsx.
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs');
const { parentPort } = require('node:worker_threads');
globalThis.postMessage = (m) => parentPort.postMessage(m);
parentPort.on('message', (data) => globalThis.onmessage && globalThis.onmessage({ data }));
require(require('node:path').resolve(__dirname, '../../../src/web/llmlingua2/webWorker.ts'));

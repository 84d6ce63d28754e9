// Runs the integration suite (test/vscode) inside code-server's real extension host and prints
// "N passed, N failed". Exit code 0 only when the suite ran and nothing failed.
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { format } from 'node:util';
import {
  installExtensions,
  packageTestExtensions,
  startCodeServer,
  testPayloadUrl,
  webOnlyExtension,
} from './codeServer.mjs';
import { root } from './ensure.mjs';
import { summaryLine } from './summary.mjs';

const SUITE_TIMEOUT_MS = 10 * 60_000;

/**
 * `web: true` runs test/vscode-web against the browser bundle in the web worker extension host, in a Chromium that
 * offers WebGPU (SwiftShader) unless `webGpu: false`; `grep`/`invert` pick tests by title. `untrusted: true` runs
 * test/vscode/untrusted in test/vscode/fixtures/untrusted with workspace trust on, the folder left untrusted.
 */
export async function runVscodeSuite({
  build = true,
  web = false,
  webGpu = web,
  grep,
  invert = false,
  untrusted = false,
} = {}) {
  if (build) {
    execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
  }
  const verbose = process.env.CB_HARNESS_VERBOSE === '1';
  const server = await startCodeServer({
    smokeTestDriver: true,
    log: verbose ? (l) => process.stderr.write(l) : undefined,
    beforeStart: installExtensions(packageTestExtensions()),
    webGpu,
    ...(untrusted
      ? { workspaceTrust: true, workspaceFixture: join(root, 'test', 'vscode', 'fixtures', 'untrusted') }
      : {}),
    env: grep ? { CB_TEST_GREP: grep, CB_TEST_GREP_INVERT: invert ? '1' : '' } : {},
  });
  const result = { passed: 0, failed: 0, skipped: [], ran: false };
  let suiteStarted = false;
  try {
    const exit = new Promise((resolve) => {
      server.page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    await server.page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      summaryLine(line, result);
      if (line.startsWith('Context Budget integration suite:')) {
        suiteStarted = true;
      }
      // The workbench logs a lot (gallery, sign-in, chat model state); show the suite's own lines unless verbose.
      if (verbose || (suiteStarted && !/^\s*\[|^\s+at |DialogService/.test(line))) {
        process.stdout.write(`${line}\n`);
      }
    });
    server.page.on('pageerror', (err) => verbose && process.stderr.write(`[page] ${err.message}\n`));
    const tests = join(
      root,
      'dist',
      'test',
      web ? 'vscode-web' : untrusted ? 'vscode-untrusted' : 'vscode',
      'index.js',
    );
    await server.page.goto(testPayloadUrl(server, tests, web ? { extensionPath: webOnlyExtension() } : {}));
    const code = await Promise.race([
      exit,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS)),
    ]);
    if (code === 'timeout') {
      process.stdout.write('integration suite timed out\n');
      result.failed += 1;
    } else if (!result.ran) {
      process.stdout.write(`integration suite exited with ${code} before reporting results\n`);
      result.failed += 1;
    }
  } finally {
    await server.stop();
  }
  const { passed, failed, skipped } = result;
  return { passed, failed, skipped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { passed, failed } = await runVscodeSuite({
    untrusted: process.argv.includes('--untrusted'),
    web: process.argv.includes('--web'),
    webGpu: process.argv.includes('--web') && !process.argv.includes('--no-webgpu'),
  });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

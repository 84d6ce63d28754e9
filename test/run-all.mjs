// `npm test`: static checks, unit tests (plain Node), then the integration suite inside a real VS Code
// (code-server + Debian Chromium, installed on first run into .cache/). Ends with "N passed, N failed, N skipped",
// after one line per skipped test with its reason; a test skipped without a reason counts as failed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureSystemPackages, root } from './harness/ensure.mjs';
import { runVscodeSuite } from './harness/run-vscode.mjs';
import { NO_REASON, parseSummary } from './harness/summary.mjs';
import { runLocaleUiTests } from './ui/locale.ui.mjs';
import { runUiTests } from './ui/savings.ui.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0 };
/** `suite: test — reason` for every skipped test. */
const skipped = [];
const failures = [];

function run(label, cmd, args) {
  console.log(`\n=== ${label} ===`);
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function step(label, cmd, args) {
  const { code } = await run(label, cmd, args);
  if (code !== 0) {
    failures.push(label);
    totals.failed += 1;
  }
}

/** Adds a suite's counts; its skipped tests are listed, and one skipped without a reason fails the run. */
function addSuite(label, r) {
  totals.passed += r.passed;
  totals.failed += r.failed;
  if (r.failed) {
    failures.push(`${label}: ${r.failed} failing`);
  }
  for (const line of r.skipped ?? []) {
    skipped.push(`${label}: ${line}`);
    if (line.endsWith(`— ${NO_REASON}`)) {
      totals.failed += 1;
      failures.push(`${label}: skipped without a reason: ${line}`);
    }
  }
}

async function mochaSuite(label, args) {
  const { code, out } = await run(label, bin('mocha'), args);
  const r = parseSummary(out);
  addSuite(label, r);
  if (code !== 0 && r.failed === 0) {
    totals.failed += 1;
    failures.push(`${label} (exit ${code}${r.ran ? '' : ', no summary'})`);
  }
}

// One config per layer, each with only the globals that layer may use (a Node or DOM global in src/core, or mocha in
// shipped code, fails here); the same list as `npm run typecheck`.
for (const layer of ['src/core', 'src', 'src/web', 'webview', 'test', '.']) {
  await step(`typecheck ${layer}`, bin('tsc'), ['-p', layer]);
}
await step('lint', bin('eslint'), ['.']);
await step('format', bin('prettier'), ['--check', '.']);
// Before the unit tests: their WebGPU tests need the Vulkan loader (libvulkan1) and chromium's SwiftShader driver.
try {
  ensureSystemPackages();
} catch (err) {
  // The WebGPU tests then skip with the reason, and the real-VS-Code suites report that they did not run.
  console.error(err);
  failures.push('apt packages (chromium, libkrb5-dev, libvulkan1) not installed');
  totals.failed += 1;
}
await mochaSuite('unit tests', []);
/** A suite that reports {passed, failed} itself (the real-VS-Code runs). */
async function reportingSuite(label, run) {
  console.log(`\n=== ${label} ===`);
  try {
    addSuite(label, await run());
  } catch (err) {
    console.error(err);
    totals.failed += 1;
    failures.push(`${label} did not run`);
  }
}

await reportingSuite('integration tests in code-server', () => runVscodeSuite());
await reportingSuite('integration tests in an untrusted folder (code-server with workspace trust on)', () =>
  runVscodeSuite({ build: false, untrusted: true }),
);
// Twice: in a Chromium with WebGPU (SwiftShader), and once more without an adapter for the test of the fallback.
const NO_ADAPTER_TEST = 'without a WebGPU adapter';
await reportingSuite('browser bundle in the web worker extension host (Chromium with WebGPU)', () =>
  runVscodeSuite({ build: false, web: true, webGpu: true, grep: NO_ADAPTER_TEST, invert: true }),
);
await reportingSuite('browser bundle in the web worker extension host (Chromium without a WebGPU adapter)', () =>
  runVscodeSuite({ build: false, web: true, webGpu: false, grep: NO_ADAPTER_TEST }),
);
await reportingSuite('UI tests in Chromium (packaged VSIX in code-server)', () => runUiTests());
await reportingSuite('UI tests in German (code-server --locale de)', () => runLocaleUiTests());

for (const line of skipped) {
  console.log(`skipped: ${line}`);
}
if (failures.length) {
  console.log(`\nFailed: ${failures.join('; ')}`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${skipped.length} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);

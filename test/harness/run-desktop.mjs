// `npm run test:desktop`: the same integration suite under @vscode/test-electron (desktop VS Code).
// Needs internet to download VS Code, so CI uses code-server instead (test/harness/run-vscode.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { root } from './ensure.mjs';

execFileSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
const workspace = join(mkdtempSync(join(tmpdir(), 'cb-desktop-')), 'workspace');
cpSync(join(root, 'test', 'vscode', 'fixtures', 'workspace'), workspace, { recursive: true });
const helpersDir = join(root, 'test', 'vscode', 'extensions');
const helpers = existsSync(helpersDir) ? readdirSync(helpersDir).map((d) => join(helpersDir, d)) : [];
try {
  await runTests({
    version: '1.139.1',
    extensionDevelopmentPath: [root, ...helpers],
    extensionTestsPath: join(root, 'dist', 'test', 'vscode', 'index.js'),
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome'],
  });
} catch (err) {
  console.error(`desktop integration tests failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}

// Runs the CLI from source (src/cli/main.ts through tsx) in a process of its own, with its exit code and output.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runNode(['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], options);
}

/** Runs Node with `argv` in a process of its own: its exit code and everything it wrote. */
function runNode(
  argv: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

let built: Promise<void> | undefined;

/** Builds dist/ once per test process (esbuild, a few seconds), so tests run the CLI as a user runs it. */
export function ensureBuilt(): Promise<void> {
  built ??= new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'esbuild.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`esbuild failed (${code}): ${err}`))));
  });
  return built;
}

export const BUILT_CLI = join(ROOT, 'dist/cli.js');

/** Runs the built CLI (dist/cli.js) with plain Node, as `context-budget` runs once installed. */
export function runBuiltCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runNode([BUILT_CLI, ...args], options);
}

// Starts code-server (VS Code 1.139 with a real Node extension host) in a throw-away profile and opens it in
// Debian Chromium through playwright-core. Shared by the mocha-suite runner and the UI tests.
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureHarness, root } from './ensure.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGPU in headless Chromium without a GPU: SwiftShader's Vulkan driver, shipped with Debian's chromium. */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitHealthy(url, child, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('code-server did not become healthy in time');
}

/**
 * @param {{ smokeTestDriver?: boolean, workspaceFixture?: string, settings?: object, log?: (line: string) => void,
 *   workspaceTrust?: boolean,
 *   beforeStart?: (ctx: { env: object, args: string[], dataDir: string, extensionsDir: string }) => void,
 *   extraArgs?: string[], webGpu?: boolean, env?: object }} options
 *   webGpu: Chromium offers a WebGPU adapter (SwiftShader); env: more variables for the server and its hosts.
 */
export async function startCodeServer(options = {}) {
  const tools = ensureHarness();
  const tmp = mkdtempSync(join(tmpdir(), 'cb-cs-'));
  const workspace = join(tmp, 'workspace');
  cpSync(options.workspaceFixture ?? join(root, 'test', 'vscode', 'fixtures', 'workspace'), workspace, {
    recursive: true,
  });
  const userDir = join(tmp, 'data', 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(
    join(userDir, 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      // workspaceTrust: the folder opens in restricted mode (no prompt) and stays untrusted.
      'security.workspace.trust.enabled': !!options.workspaceTrust,
      ...(options.workspaceTrust
        ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' }
        : {}),
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'chat.disableAIFeatures': false,
      'workbench.colorTheme': 'Default Dark Modern',
      ...options.settings,
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    tools.codeServer,
    '--config',
    join(tmp, 'cs.yaml'),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    join(tmp, 'data'),
    '--extensions-dir',
    join(tmp, 'ext'),
  ];
  if (!options.workspaceTrust) {
    args.push('--disable-workspace-trust');
  }
  if (options.smokeTestDriver) {
    args.push('--vscode-option', 'enable-smoke-test-driver');
  }
  // e.g. ['--locale', 'de'] for the display language.
  args.push(...(options.extraArgs ?? []), workspace);
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    // Tests read whether the browser offers WebGPU (the extension hosts inherit the server's environment).
    CB_BROWSER_WEBGPU: options.webGpu ? 'on' : 'off',
    ...options.env,
  };
  const log = options.log ?? (() => {});
  // e.g. install a VSIX into this profile before the server starts.
  options.beforeStart?.({
    env,
    args: ['--user-data-dir', join(tmp, 'data'), '--extensions-dir', join(tmp, 'ext')],
    dataDir: join(tmp, 'data'),
    extensionsDir: join(tmp, 'ext'),
  });
  const child = spawn(tools.node24, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log(`[code-server] ${d}`));
  child.stderr.on('data', (d) => log(`[code-server] ${d}`));
  await waitHealthy(url, child);
  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: options.webGpu ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

  async function stop() {
    await browser.close().catch(() => {});
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    // The throw-away profile: nothing reads it after the server stops.
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        setTimeout(resolve, 10_000).unref();
      });
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return { url, port, workspace, tmp, page, browser, stop };
}

/** The workbench URL that loads this extension for development and runs the compiled mocha entry. */
/**
 * Test-only extensions (test/vscode/extensions/*, e.g. a scripted language-model provider), packaged as VSIX
 * files to install beside the product: code-server's server side loads only one development path.
 */
export function packageTestExtensions() {
  const dir = join(root, 'test', 'vscode', 'extensions');
  if (!existsSync(dir)) {
    return [];
  }
  const out = join(root, '.cache', 'test-extensions');
  mkdirSync(out, { recursive: true });
  return readdirSync(dir).map((name) => {
    const vsix = join(out, `${name}.vsix`);
    execFileSync(
      join(root, 'node_modules', '.bin', 'vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
      { cwd: join(dir, name), stdio: 'ignore' },
    );
    return vsix;
  });
}

/** The code-server CLI call that installs VSIX files into the server's profile before it starts. */
export function installExtensions(vsixFiles) {
  return ({ env, args }) => {
    const tools = ensureHarness();
    for (const vsix of vsixFiles) {
      execFileSync(tools.node24, [tools.codeServer, ...args, '--install-extension', vsix], { env, stdio: 'ignore' });
    }
  };
}

/**
 * A copy of the extension without "main": VS Code can then only run its browser bundle, in the web worker
 * extension host. Files are linked, not copied.
 */
export function webOnlyExtension() {
  const dir = join(root, '.cache', 'web-extension');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete pkg.main;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  // package.nls*.json and l10n/ carry the manifest's %keys% texts and the host strings.
  const nls = readdirSync(root).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f));
  for (const name of ['dist', 'media', 'test', 'node_modules', 'l10n', ...nls]) {
    symlinkSync(join(root, name), join(dir, name));
  }
  return dir;
}

export function testPayloadUrl(server, testsPath, { extensionPath = root } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  return `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

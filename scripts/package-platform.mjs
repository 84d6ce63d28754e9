// Per-platform VSIX files that carry onnxruntime-node, the native LLMLingua-2 runtime (several times faster than
// WASM, with its own WebGPU EP; see README). The universal VSIX (`npm run package`) runs WASM, and WebGPU in browsers.
//   node scripts/package-platform.mjs linux-x64 [darwin-arm64 win32-x64 ...]   -> out/context-budget-<target>.vsix
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** vsce target -> onnxruntime-node's bin/napi-v6/<platform>/<arch> folder. */
const TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-x64': 'darwin/x64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};

const targets = process.argv.slice(2);
if (!targets.length || targets.some((t) => !TARGETS[t])) {
  console.error(`usage: package-platform.mjs TARGET...  (targets: ${Object.keys(TARGETS).join(', ')})`);
  process.exit(2);
}
mkdirSync(join(root, 'out'), { recursive: true });
for (const target of targets) {
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  // dist/llmlingua2Worker.js requires onnxruntime-node (external in the bundle): resolve it from dist/node_modules.
  const modules = join(root, 'dist', 'node_modules');
  const ortNode = join(root, 'node_modules', 'onnxruntime-node');
  const binary = join(ortNode, 'bin', 'napi-v6', TARGETS[target]);
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: npm ci installs onnxruntime-node (optional dependency) first`);
  }
  rmSync(modules, { recursive: true, force: true });
  // The browser's WebGPU runtime (27 MB) does not pay here: browsers install the universal VSIX, and the desktop host
  // runs the GPU through onnxruntime-node's own WebGPU EP.
  rmSync(join(root, 'dist', 'web', 'ort'), { recursive: true, force: true });
  for (const file of ['package.json', 'dist']) {
    cpSync(join(ortNode, file), join(modules, 'onnxruntime-node', file), { recursive: true });
  }
  cpSync(binary, join(modules, 'onnxruntime-node', 'bin', 'napi-v6', TARGETS[target]), { recursive: true });
  const common = join(root, 'node_modules', 'onnxruntime-common');
  for (const file of ['package.json', 'dist']) {
    cpSync(join(common, file), join(modules, 'onnxruntime-common', file), { recursive: true });
  }
  const out = join(root, 'out', `context-budget-${target}.vsix`);
  execFileSync(
    join(root, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--target', target, '-o', out],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

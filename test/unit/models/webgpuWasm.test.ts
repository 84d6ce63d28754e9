// The WebGPU build's .wasm left out of the universal VSIX and read from the model folder: its pinned name, size and
// hash are those of the onnxruntime-web that package.json pins (an upgrade that forgets them fails here).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { WEBGPU_WASM } from '../../../src/core/models/files';

const ROOT = path.resolve(__dirname, '../../..');

describe('the WebGPU runtime .wasm read from the model folder', () => {
  it('is pinned to the onnxruntime-web in package.json, by version, size and SHA-256', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    // The CLI bundles its dependencies, so package.json lists them as devDependencies.
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    assert.equal(deps['onnxruntime-web'], WEBGPU_WASM.onnxruntimeWeb);
    const bytes = readFileSync(require.resolve(`onnxruntime-web/${WEBGPU_WASM.file}`));
    assert.equal(bytes.length, WEBGPU_WASM.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), WEBGPU_WASM.sha256);
  });

  it('is left out of the universal VSIX (.vscodeignore ships only the browser bundles of dist/web/)', () => {
    const rules = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!dist/web/'));
    assert.deepEqual(rules, ['!dist/web/*.js']);
  });
});

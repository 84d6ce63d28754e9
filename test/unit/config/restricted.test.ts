// Untrusted folders: the manifest restricts every setting that picks a model, a download or prompt files, and the
// reader names those an untrusted folder sets (VS Code then gives them their user values).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESTRICTED_SETTINGS, restrictedSettingsIn } from '../../../src/restricted';

const root = join(import.meta.dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('untrusted workspaces: restricted settings', () => {
  it('the manifest supports untrusted folders in a limited way and restricts exactly these settings', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.ok(untrusted.description, 'says what is limited');
    assert.deepEqual(
      [...untrusted.restrictedConfigurations].sort(),
      RESTRICTED_SETTINGS.map((k) => `contextBudget.${k}`).sort(),
    );
  });

  it('covers the model path, every models.* setting and prompts.files', () => {
    const keys = Object.keys(manifest.contributes.configuration.properties);
    const must = keys.filter((k) => /^contextBudget\.(models\.|compression\.modelPath$|prompts\.files$)/.test(k));
    assert.ok(must.length >= 6, `found ${must.join(', ')}`);
    for (const key of must) {
      assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
    }
    for (const key of manifest.capabilities.untrustedWorkspaces.restrictedConfigurations) {
      assert.ok(keys.includes(key), `${key} is a contributed setting`);
    }
  });

  it('finds the restricted settings a folder’s settings file sets (JSON with comments)', () => {
    const text = `{
      // "contextBudget.models.repo": "commented out",
      /* "contextBudget.models.revision": "x", */
      "contextBudget.compression.modelPath": "/elsewhere/model",
      "contextBudget.models.baseUrl"  :  "http://127.0.0.1:9//path",
      "contextBudget.targetModel": "gpt-4",
      "note": "\\"contextBudget.prompts.files\\": inside a string",
      "contextBudget.models.filesExtra": [],
    }`;
    assert.deepEqual(restrictedSettingsIn(text), ['compression.modelPath', 'models.baseUrl']);
    assert.deepEqual(restrictedSettingsIn(text, ['models.baseUrl', 'models.repo']), ['models.baseUrl']);
    assert.deepEqual(restrictedSettingsIn('{}'), []);
    assert.deepEqual(restrictedSettingsIn('{"contextBudget.prompts.files": []}'), ['prompts.files']);
  });
});

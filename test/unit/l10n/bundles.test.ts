// The localisation files agree with the code: every %key% in package.json has an English text, German has
// exactly the same keys (and the same {n} placeholders), and l10n/bundle.l10n.json is what `npm run l10n:export`
// extracts from the sources today (a new vscode.l10n.t string without a re-export fails here).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = join(import.meta.dirname, '..', '..', '..');
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function sameKeysAndPlaceholders(en: Record<string, unknown>, de: Record<string, unknown>, what: string): void {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort(), `${what}: German has the same keys as English`);
  for (const [key, text] of Object.entries(de)) {
    assert.ok(typeof text === 'string' && text.trim(), `${what}: ${key} is translated`);
    assert.deepEqual(placeholders(text), placeholders(String(en[key])), `${what}: ${key} keeps its placeholders`);
  }
}

describe('localisation files', () => {
  it('every %key% in package.json has an English text, and no text is unused', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    const nls = readJson('package.nls.json');
    assert.deepEqual(
      [...used].filter((k) => !(k in nls)),
      [],
      'keys without a text',
    );
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
      'texts no contribution uses',
    );
    assert.equal(readJson('package.json').l10n, './l10n');
  });

  it('package.nls.de.json translates every contributed text', () => {
    sameKeysAndPlaceholders(readJson('package.nls.json'), readJson('package.nls.de.json'), 'package.nls.de.json');
  });

  it('each language names its own walkthrough pages, and they exist', () => {
    const pages = (nls: string) =>
      Object.entries(readJson(nls)).filter(([key]) => /^walkthrough\.\w+\.media$/.test(key)) as [string, string][];
    assert.equal(pages('package.nls.json').length, 4, 'four steps, four pages');
    for (const nls of ['package.nls.json', 'package.nls.de.json']) {
      for (const [key, page] of pages(nls)) {
        assert.ok(existsSync(join(root, page)), `${nls}: ${key} names ${page}, which exists`);
      }
    }
    const de = pages('package.nls.de.json').map(([, page]) => page);
    assert.ok(
      de.every((page) => page.startsWith('media/walkthrough/de/')),
      `German pages: ${de.join(', ')}`,
    );
  });

  it('l10n/bundle.l10n.json is what the sources ask for (npm run l10n:export)', async () => {
    const extracted = await getL10nJson(
      tsFiles('src').map((f) => ({ extension: '.ts', contents: readFileSync(f, 'utf8') })),
    );
    assert.ok(Object.keys(extracted).length > 100, 'the host and view strings are found');
    assert.deepEqual(readJson('l10n/bundle.l10n.json'), extracted);
  });

  it('l10n/bundle.l10n.de.json translates every host and view string', () => {
    sameKeysAndPlaceholders(readJson('l10n/bundle.l10n.json'), readJson('l10n/bundle.l10n.de.json'), 'bundle.de');
  });
});

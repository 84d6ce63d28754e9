// UI test of the second language: code-server started with `--locale de` and the packaged VSIX installed shows
// the extension's German command title in the palette (package.nls.de.json) and German text in the savings view
// (l10n/bundle.l10n.de.json, through the host into the webview).
//
// What code-server 4.139 (VS Code 1.139) needs for that: `--locale de` alone is not enough. The server resolves the
// display language from the registered language packs (languagepacks.json in the user data folder); without one
// for `de` it falls back to English for the workbench AND for extensions (package.nls.de.json and the l10n bundle
// are then not used). A user installs the German language pack from the gallery, which registers it. Here no gallery
// is reachable, so the test registers a stand-in pack whose core translations are empty (the workbench's own texts
// stay English): exactly the entry the server writes when a pack is installed through its UI. Installing a pack
// with `--install-extension` before start does not register it (the CLI skips the language-pack participant).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExtensions, startCodeServer } from '../harness/codeServer.mjs';
import {
  artifacts,
  checks,
  compressShownEditor,
  openWalkthrough,
  openWorkbench,
  packagedVsix,
  quickOpen,
  webviewFrame,
} from './helpers.mjs';

/** Registers a core language pack for `language` with no translations (see above). */
function registerCoreLanguagePack(dataDir, language) {
  const pack = join(dataDir, 'language-pack-stand-in');
  mkdirSync(pack, { recursive: true });
  const translations = join(pack, 'main.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(
    join(dataDir, 'languagepacks.json'),
    JSON.stringify({
      [language]: {
        hash: `stand-in-${language}`,
        extensions: [{ extensionIdentifier: { id: `cb-test.language-pack-${language}` }, version: '0.0.1' }],
        translations: { vscode: translations },
        label: language,
      },
    }),
  );
}

export async function runLocaleUiTests() {
  const { check, summary } = checks();
  const vsix = packagedVsix();
  const server = await startCodeServer({
    extraArgs: ['--locale', 'de'],
    settings: { 'workbench.colorTheme': 'Default Light Modern', 'contextBudget.compression.rate': 0.7 },
    beforeStart: (ctx) => {
      installExtensions([vsix])(ctx);
      registerCoreLanguagePack(ctx.dataDir, 'de');
    },
  });
  const { page } = server;
  try {
    await openWorkbench(server, 'sample.ts');
    await check('the workbench runs in German (the display language extensions see)', async () => {
      assert.equal(await page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE), 'de');
    });
    await quickOpen(page, 'sample.ts');
    await check('the command palette shows the German command title', async () => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Kontext komprimieren');
      const row = page.locator('.quick-input-list .monaco-list-row', {
        hasText: 'Context Budget: Kontext komprimieren',
      });
      await row.first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Escape');
    });
    let frame;
    await check('the savings view speaks German: title, labels, picture legend and its text equivalent', async () => {
      frame = await compressShownEditor(page, 'TokenLedger', 'Kontext komprimieren');
      await frame.waitForFunction(() => document.querySelector('#tokens-before')?.textContent === '135', null, {
        timeout: 60_000,
      });
      assert.equal(await frame.textContent('#title'), 'Ersparnis durch Komprimierung');
      assert.equal(await frame.getAttribute('html', 'lang'), 'de');
      const labels = await frame.$$eval('.grid > span[data-l10n]', (els) => els.map((e) => e.textContent));
      assert.deepEqual(labels.slice(0, 2), ['Tokens vorher', 'Tokens nachher']);
      assert.equal(await frame.textContent('#legend-before'), 'vorher 135');
      assert.match(
        await frame.getAttribute('#fit-picture', 'aria-label'),
        /^Vorher: 135 Tokens\. Nachher: \d+ Tokens\. Budget: 94 Tokens\. Das Kontextfenster fasst 128\.000 Tokens/,
      );
      assert.equal(await frame.textContent('#accept'), 'Übernehmen');
      // What ran on the source, worded by the extension from the planner's summary: German too.
      const notes = await frame.$$eval('#notes li', (els) => els.map((e) => e.textContent));
      assert.ok(
        notes.some((n) => /sample\.ts\S*: strukturell: (Signaturen|Gliederung|ohne Kommentare)/.test(n)),
        `a German explanation in ${notes.join(' | ')}`,
      );
      // Host-side labels passed in the state: the compressor choices.
      assert.equal(await frame.textContent('#compressor vscode-option[value="auto"]'), 'Automatisch');
      // The panel's title is a host string (vscode.l10n in the extension host).
      await page.locator('.tab', { hasText: 'Context Budget: Ersparnis' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(artifacts, 'savings-de.png') });
    });
    await check('a host message from the bundle: Accept reports in German', async () => {
      frame = await webviewFrame(page, '#accept');
      await frame.click('#accept');
      await frame.waitForFunction(
        () => /^Ersetzt: 135 → \d+ Tokens\./.test(document.querySelector('#notice')?.textContent ?? ''),
        null,
        { timeout: 20_000 },
      );
    });
    await check("the walkthrough speaks German: its title, the steps and the open step's page", async () => {
      await openWalkthrough(page, 'Erste Schritte mit Context Budget');
      await page
        .locator('.getting-started-step[data-step-id$="#selectModel"] .step-title', { hasText: 'Zielmodell wählen' })
        .waitFor({ timeout: 30_000 });
      // The step's Markdown page comes from the path package.nls.de.json gives it (media/walkthrough/de/).
      await webviewFrame(page, 'h1:text-is("Das Modell wählen, für das Sie schreiben")', 30_000);
      await page.screenshot({ path: join(artifacts, 'walkthrough-de.png') });
    });
  } finally {
    await page.screenshot({ path: join(artifacts, 'ui-locale-last.png') }).catch(() => {});
    await server.stop();
  }
  return summary();
}

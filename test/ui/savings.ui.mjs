// UI test in Debian Chromium against code-server, with the packaged VSIX installed as a user would
// (no smoke-test driver): the walkthrough's first two steps done by doing them; "Compress Context" from the
// command palette, the savings view's figures, picture and kept/dropped text; "Compress Open Editors" with one
// row per source; dark, light and high-contrast screenshots; Accept changes the editor. Also: what the VSIX holds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { installExtensions, startCodeServer } from '../harness/codeServer.mjs';
import { root } from '../harness/ensure.mjs';
import {
  artifacts,
  checks,
  compressShownEditor,
  openWalkthrough,
  openWorkbench,
  packagedVsix,
  quickOpen,
  runCommand,
  switchTheme,
  webviewFrame,
} from './helpers.mjs';

const WALKTHROUGH_TITLE = 'Get started with Context Budget';

/** A step's checkbox: the Welcome page ticks it when one of the step's completion events fires. */
const stepCheckbox = (id) => `.getting-started-step[data-step-id$="#${id}"] [role="checkbox"]`;
const stepDone = (page, id) =>
  page.locator(stepCheckbox(id)).evaluate((e) => e.getAttribute('aria-checked') === 'true');
const untilStepDone = (page, id) =>
  page.waitForFunction(
    (sel) => document.querySelector(sel)?.getAttribute('aria-checked') === 'true',
    stepCheckbox(id),
    {
      timeout: 20_000,
    },
  );

/**
 * The walkthrough step's own "Select Target Model" button, as a new user clicks it. (Enter in the command palette
 * lands on the step once the palette closes and re-selects it, and the page's delayed focus then closes the picker.)
 */
async function openModelPicker(page) {
  await page
    .locator('.getting-started-step[data-step-id$="#selectModel"] .monaco-button', { hasText: 'Select Target Model' })
    .click({ timeout: 30_000 });
  const picker = page.locator('.quick-input-widget input[placeholder^="Current:"]');
  await picker.waitFor({ state: 'visible', timeout: 60_000 });
  return picker;
}

/** The savings view alone (its frame's element), for the README. */
async function panelScreenshot(frame, name) {
  await (await frame.frameElement()).screenshot({ path: join(artifacts, name) });
}

/** What `vsce ls` says the VSIX holds (the same rules `vsce package` applies). */
function vsixFiles() {
  return execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['ls'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export async function runUiTests() {
  const { check, summary } = checks();
  const vsix = packagedVsix();
  await check('the VSIX holds what the extension needs and no README-only pictures', async () => {
    const files = vsixFiles();
    for (const needed of [
      'package.json',
      'package.nls.json',
      'package.nls.de.json',
      'l10n/bundle.l10n.json',
      'l10n/bundle.l10n.de.json',
      'media/icon.png',
      'media/webview.css',
      'media/walkthrough/select-model.md',
      'media/walkthrough/de/select-model.md',
      'dist/extension.js',
      // The MCP server the extension offers VS Code (dist/cli.js mcp).
      'dist/cli.js',
      'dist/web/extension.js',
      'dist/webview/main.js',
    ]) {
      assert.ok(files.includes(needed), `${needed} is packaged`);
    }
    const unwanted = files.filter((f) => /^(src|test|webview|scripts|bench|media\/readme)\/|\.(ts|map|svg)$/.test(f));
    assert.deepEqual(unwanted, [], 'sources, tests, source maps and README pictures stay out');
    const size = statSync(vsix).size;
    console.log(`    VSIX: ${files.length} files, ${(size / 1e6).toFixed(1)} MB`);
    // The WebGPU build's .wasm is read from the model folder, and the rank tables are one shared file.
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/web/ort/')),
      [],
      'no WebGPU .wasm in the universal VSIX',
    );
    assert.ok(size <= 12e6, `the universal VSIX is ${size} bytes, over 12 MB`);
  });

  const server = await startCodeServer({
    // Rate 0.7 of 135 tokens: a budget of 94 that the signatures level meets.
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'contextBudget.compression.rate': 0.7 },
    beforeStart: installExtensions([vsix]),
  });
  const { page } = server;
  try {
    await openWorkbench(server, 'sample.ts');
    await check('walkthrough step 1 completes when the user picks the target model', async () => {
      await openWalkthrough(page, WALKTHROUGH_TITLE, { step: 'selectModel', heading: 'Pick the model you write for' });
      assert.equal(await stepDone(page, 'selectModel'), false, 'not done before');
      assert.equal(await stepDone(page, 'compressContext'), false, 'not done before');
      // Opening the picker is not picking.
      const closed = await openModelPicker(page);
      await page.keyboard.press('Escape');
      await closed.waitFor({ state: 'hidden' });
      assert.equal(await stepDone(page, 'selectModel'), false, 'not done by opening the picker');
      // Type to filter (the list renders only rows in view), then click the model.
      const picker = await openModelPicker(page);
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 60_000 });
      await picker.fill('GPT-4o', { timeout: 30_000 });
      await rows
        .filter({ has: page.locator('.label-name', { hasText: /^\s*GPT-4o\s*$/ }) })
        .first()
        .click({ timeout: 30_000 });
      await untilStepDone(page, 'selectModel');
      assert.equal(await stepDone(page, 'compressContext'), false, 'step 2 still open');
    });
    await quickOpen(page, 'sample.ts');
    await page.locator('.monaco-editor .view-lines', { hasText: 'TokenLedger' }).first().waitFor();

    let frame;
    await check('"Compress Context" from the command palette opens the savings view', async () => {
      await runCommand(page, 'Compress Context');
      frame = await webviewFrame(page, '#tokens-before');
      await frame.waitForFunction(() => document.querySelector('#tokens-before')?.textContent?.length > 0, null, {
        timeout: 60_000,
      });
    });
    await check('savings figures are visible and correct for the known input', async () => {
      const before = await frame.textContent('#tokens-before');
      const after = Number((await frame.textContent('#tokens-after')).replace(/,/g, ''));
      const budget = Number((await frame.textContent('#budget-value')).replace(/,/g, ''));
      assert.equal(before, '135');
      assert.equal(budget, 94, 'rate 0.7 of 135 tokens');
      assert.ok(after <= budget && after > 0, `after ${after}`);
      assert.match(await frame.textContent('#tokens-saved'), /^\d+ \(\d+%\)$/);
      assert.match(await frame.textContent('#cost-before'), /^\$0\.\d{4}$/);
      assert.ok(await frame.isVisible('#fit-picture'));
      // The picture is scaled to the figures, not the 128k window: before fills most of the bar.
      const widthOf = (sel) => frame.$eval(sel, (e) => e.getBoundingClientRect().width);
      const track = await widthOf('.fit-track');
      assert.ok((await widthOf('#fit-before')) > track * 0.8, 'before spans most of the bar');
      const drawn = (await widthOf('#fit-after')) / (await widthOf('#fit-before'));
      assert.ok(Math.abs(drawn - after / 135) < 0.05, `after is drawn to scale (${drawn} vs ${after / 135})`);
      assert.match(
        await frame.getAttribute('#fit-picture', 'aria-label'),
        /^Before: 135 tokens\. After: \d+ tokens\. Budget: 94 tokens\. The context window holds 128,000 tokens/,
      );
    });
    await check('kept and dropped text are visibly distinguished', async () => {
      const markers = await frame.$$eval('#text .marker', (els) => els.map((e) => e.textContent));
      assert.ok(markers.length > 0, 'elision markers shown');
      const style = await frame.$eval('#text .marker', (e) => getComputedStyle(e).color);
      const plain = await frame.$eval('#text', (e) => getComputedStyle(e).color);
      assert.notEqual(style, plain, 'markers are coloured differently from kept text');
      assert.ok((await frame.textContent('#text')).includes('export class TokenLedger'));
    });
    await check('the view state comes back when the panel is hidden and shown again', async () => {
      await page.locator('.tab', { hasText: 'Context Budget: Savings' }).click();
      await page.locator('.tab.active', { hasText: 'Context Budget: Savings' }).waitFor();
      // Opening another file in the panel's group hides the webview (its document is discarded).
      await quickOpen(page, 'notes.md');
      await page.locator('.tab.active', { hasText: 'notes.md' }).waitFor();
      await page.locator('.tab', { hasText: 'Context Budget: Savings' }).click();
      frame = await webviewFrame(page, '#tokens-before');
      await frame.waitForFunction(() => document.querySelector('#tokens-before')?.textContent === '135', null, {
        timeout: 20_000,
      });
      assert.ok((await frame.$$('#text .marker')).length > 0, 'the kept/dropped view is back too');
    });
    await check('walkthrough step 2 completes when the user compresses the open file', async () => {
      await openWalkthrough(page, WALKTHROUGH_TITLE);
      await untilStepDone(page, 'compressContext');
      assert.equal(await stepDone(page, 'selectModel'), true);
      await page.screenshot({ path: join(artifacts, 'walkthrough.png') });
      await page.keyboard.press('Control+F4');
      await page.locator('.tab', { hasText: 'Context Budget: Savings' }).click();
      frame = await webviewFrame(page, '#tokens-before');
    });
    await check('screenshots in dark and light themes', async () => {
      await page.screenshot({ path: join(artifacts, 'savings-dark.png') });
      await panelScreenshot(frame, 'savings-dark-panel.png');
      const darkBg = await frame.$eval('body', (b) => getComputedStyle(b).backgroundColor);
      await switchTheme(server, 'Default Light Modern', 'vs');
      frame = await compressShownEditor(page, 'TokenLedger');
      await frame.waitForFunction(() => document.querySelector('#tokens-before')?.textContent === '135', null, {
        timeout: 60_000,
      });
      // The webview takes the theme's colours when it loads; wait for them rather than for time.
      const lightBg = await frame
        .waitForFunction((dark) => getComputedStyle(document.body).backgroundColor !== dark, darkBg, {
          timeout: 20_000,
        })
        .then(() => frame.$eval('body', (b) => getComputedStyle(b).backgroundColor))
        .catch(() => darkBg);
      assert.notEqual(lightBg, darkBg, 'the webview follows the theme');
      await page.screenshot({ path: join(artifacts, 'savings-light.png') });
    });
    await check('"Compress Open Editors" draws one row per source with what the packer gave it', async () => {
      // sample.ts is active; notes.md is open in the other group since the hide-and-show check.
      await page.locator('.tab', { hasText: 'notes.md' }).first().waitFor();
      frame = await compressShownEditor(page, 'TokenLedger', 'Compress Open Editors');
      await frame.waitForFunction(() => document.querySelectorAll('#source-rows li').length >= 2, null, {
        timeout: 60_000,
      });
      const rows = await frame.$$eval('#source-rows li', (els) => els.map((e) => e.textContent));
      assert.ok(
        rows.some((r) => r.startsWith('notes.md: ')) && rows.some((r) => r.startsWith('sample.ts: ')),
        rows.join(' | '),
      );
      for (const r of rows) assert.match(r, /: [\d,]+ → [\d,]+ tokens, /);
      assert.ok(await frame.isVisible('#sources-section'));
      await page.screenshot({ path: join(artifacts, 'savings-sources-light.png') });
      await panelScreenshot(frame, 'savings-sources-light-panel.png');
    });
    await check("high contrast: the picture is drawn with the theme's contrast colours", async () => {
      await switchTheme(server, 'Default High Contrast', 'hc-black');
      await quickOpen(page, 'sample.ts');
      frame = await compressShownEditor(page, 'TokenLedger');
      await frame.waitForFunction(() => document.body.classList.contains('vscode-high-contrast'), null, {
        timeout: 20_000,
      });
      await frame.waitForFunction(() => document.querySelector('#tokens-before')?.textContent === '135', null, {
        timeout: 60_000,
      });
      const style = await frame.$eval('#fit-after', (e) => {
        const s = getComputedStyle(e);
        return { bg: s.backgroundColor, border: s.borderTopColor };
      });
      const contrast = await frame.$eval('body', (b) =>
        getComputedStyle(b).getPropertyValue('--vscode-contrastActiveBorder').trim(),
      );
      assert.ok(contrast, 'the theme defines contrastActiveBorder');
      assert.notEqual(style.bg, 'rgba(0, 0, 0, 0)', 'after is filled');
      const windowBorder = await frame.$eval('#fit-window', (e) => getComputedStyle(e).borderTopColor);
      assert.notEqual(windowBorder, 'rgba(0, 0, 0, 0)', 'the window track has a visible border');
      await page.screenshot({ path: join(artifacts, 'savings-high-contrast.png') });
      await panelScreenshot(frame, 'savings-high-contrast-panel.png');
    });
    await check('forced colours (Windows high contrast): the bars take the system colours', async () => {
      await page.emulateMedia({ forcedColors: 'active' });
      try {
        await frame.waitForFunction(() => matchMedia('(forced-colors: active)').matches, null, { timeout: 10_000 });
        const colours = await frame.evaluate(() => {
          // The system colour as this frame resolves it, from a probe element.
          const probe = document.createElement('div');
          probe.style.cssText = 'background: Highlight; forced-color-adjust: none';
          document.body.append(probe);
          const highlight = getComputedStyle(probe).backgroundColor;
          probe.remove();
          return { highlight, after: getComputedStyle(document.querySelector('#fit-after')).backgroundColor };
        });
        assert.equal(colours.after, colours.highlight, 'after is drawn in Highlight');
        await panelScreenshot(frame, 'savings-forced-colors-panel.png');
      } finally {
        await page.emulateMedia({ forcedColors: 'none' });
      }
    });
    await check('clicking Accept replaces the text in the editor', async () => {
      const body = page.locator('.monaco-editor .view-lines', { hasText: "readFileSync(path, 'utf8')" });
      assert.equal((await body.count()) > 0, true, 'the body is there before');
      frame = await webviewFrame(page, '#accept');
      await frame.click('#accept');
      await page.locator('.monaco-editor .view-lines', { hasText: 'TokenLedger' }).first().waitFor();
      await page.waitForFunction(
        () =>
          ![...document.querySelectorAll('.monaco-editor .view-lines')].some((e) =>
            e.textContent.includes("readFileSync(path, 'utf8')"),
          ),
        null,
        { timeout: 20_000 },
      );
      await frame.waitForFunction(
        () => /^Replaced: 135 → \d+ tokens/.test(document.querySelector('#notice')?.textContent ?? ''),
        null,
        {
          timeout: 10_000,
        },
      );
    });
  } finally {
    await page.screenshot({ path: join(artifacts, 'ui-last.png') }).catch(() => {});
    await server.stop();
  }
  return summary();
}

// UI test in Debian Chromium against code-server, with the packaged VSIX installed as a user would
// (no smoke-test driver): run "Compress Context" from the command palette, check the savings view's figures
// and kept/dropped text, take light and dark screenshots, click Accept and see the editor change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExtensions, startCodeServer } from '../harness/codeServer.mjs';
import { ensureHarness, root } from '../harness/ensure.mjs';

const artifacts = join(root, 'test-artifacts');
const results = [];

async function check(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`  ✔ ${name}`);
  } catch (err) {
    results.push([name, false]);
    console.log(
      `  ✘ ${name}\n    ${String(err?.stack ?? err)
        .split('\n')
        .slice(0, 4)
        .join('\n    ')}`,
    );
  }
}

async function webviewFrame(page, selector, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // frame navigating
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame with ${selector}`);
}

/** Ctrl+P, file name, Enter; retried because a webview taking focus can close the quick pick as it opens. */
async function quickOpen(page, name) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(name, { timeout: 5000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 5000 });
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export async function runUiTests() {
  mkdirSync(artifacts, { recursive: true });
  ensureHarness();
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  const vsix = join(root, '.cache', 'context-budget-ui.vsix');
  execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '-o', vsix], {
    cwd: root,
    stdio: 'ignore',
  });

  const server = await startCodeServer({
    // Rate 0.7 of 135 tokens: a budget of 94 that the signatures level meets.
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'contextBudget.compression.rate': 0.7 },
    beforeStart: installExtensions([vsix]),
  });
  const { page } = server;
  const settingsFile = join(server.tmp, 'data', 'User', 'settings.json');
  try {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The workbench has restored the folder when the explorer lists it (quick open before that loses keys).
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'sample.ts' })
      .waitFor({ timeout: 60_000 });
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
    await check('screenshots in dark and light themes', async () => {
      await page.screenshot({ path: join(artifacts, 'savings-dark.png') });
      const darkBg = await frame.$eval('body', (b) => getComputedStyle(b).backgroundColor);
      // Switch the user setting and reload the window, as a user changing theme in settings.json would.
      const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
      writeFileSync(settingsFile, JSON.stringify({ ...settings, 'workbench.colorTheme': 'Default Light Modern' }));
      await page.reload();
      await page.locator('.monaco-workbench.vs').waitFor({ timeout: 60_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'TokenLedger' }).first().waitFor({ timeout: 60_000 });
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      await runCommand(page, 'Compress Context');
      frame = await webviewFrame(page, '#tokens-before');
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
  const passed = results.filter(([, ok]) => ok).length;
  return { passed, failed: results.length - passed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { passed, failed } = await runUiTests();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

// What the UI tests share: named checks with a result list, the packaged VSIX (built once per process), and
// driving the workbench (command palette, quick open, webview frames, theme switches).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHarness, root } from '../harness/ensure.mjs';

export const artifacts = join(root, 'test-artifacts');

/** Runs named checks and keeps their outcome; a failure is printed and the next check still runs. */
export function checks() {
  const results = [];
  return {
    async check(name, fn) {
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
    },
    summary() {
      const passed = results.filter(([, ok]) => ok).length;
      return { passed, failed: results.length - passed };
    },
  };
}

let packaged;
/** The production build packaged as a user installs it; once per process (the UI suites share it). */
export function packagedVsix() {
  if (!packaged) {
    mkdirSync(artifacts, { recursive: true });
    ensureHarness();
    execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
    packaged = join(root, '.cache', 'context-budget-ui.vsix');
    execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '-o', packaged], {
      cwd: root,
      stdio: 'ignore',
    });
  }
  return packaged;
}

export async function webviewFrame(page, selector, timeoutMs = 60_000) {
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
export async function quickOpen(page, name) {
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

/** F1, the command's title, Enter on the row that shows it. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Opens the walkthrough called `title` from the palette and waits for its step list; with `open`, also until the page has settled on
 * that step: it draws the step's Markdown in a webview, then moves focus to the step, and a picker opened before
 * that closes under the user (seen in CI).
 */
export async function openWalkthrough(page, title, open) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.fill(title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.getting-started-step[data-step-id$="#selectModel"]').waitFor({ timeout: 30_000 });
  if (!open) return;
  await webviewFrame(page, `h1:has-text(${JSON.stringify(open.heading)})`);
  await page.waitForFunction(
    (id) => document.activeElement?.matches(`.getting-started-step.expanded[data-step-id$="#${id}"]`) === true,
    open.step,
    { timeout: 30_000 },
  );
}

/** Opens the workbench on the server's workspace and waits until the explorer lists `file` (restored). */
export async function openWorkbench(server, file) {
  const { page } = server;
  await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // Quick open before the folder is restored loses keys.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).waitFor({ timeout: 60_000 });
}

/** Changes the user's colour theme in settings.json and reloads the window, as a user editing settings would. */
export async function switchTheme(server, theme, workbenchClass) {
  const file = join(server.tmp, 'data', 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }));
  await server.page.reload();
  await server.page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 60_000 });
}

/** Runs Compress Context on the editor showing `marker` and returns the savings view's frame once it has figures. */
export async function compressShownEditor(page, marker, title = 'Compress Context') {
  await page.locator('.monaco-editor .view-lines', { hasText: marker }).first().waitFor({ timeout: 60_000 });
  await page.locator('.monaco-editor .view-lines', { hasText: marker }).first().click();
  await page.keyboard.press('Control+Home');
  await runCommand(page, title);
  const frame = await webviewFrame(page, '#tokens-before');
  await frame.waitForFunction(() => document.querySelector('#tokens-before')?.textContent?.length > 0, null, {
    timeout: 60_000,
  });
  return frame;
}

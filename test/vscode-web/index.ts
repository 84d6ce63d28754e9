// Checks the product's browser bundle: the harness loads a web-only copy of the extension (no "main"), which VS
// Code runs in the workbench's web worker extension host, while this mocha suite runs in the Node host and
// drives it through commands (the only thing that crosses extension hosts).
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { SummaryReporter } from '../support/summaryReporter';

export function run(): Promise<void> {
  // forbidOnly: a stray .only would otherwise pass the run with one test.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: SummaryReporter, forbidOnly: true });
  // CB_TEST_GREP=<pattern> runs a subset (CB_TEST_GREP_INVERT=1: all but it); the host inherits the server's env.
  if (process.env.CB_TEST_GREP) {
    mocha.grep(process.env.CB_TEST_GREP);
    if (process.env.CB_TEST_GREP_INVERT === '1') mocha.invert();
  }
  console.log(
    `Context Budget integration suite: VS Code ${vscode.version}, browser bundle in the web worker extension host`,
  );
  mocha.suite.emit('pre-require', globalThis, 'context-budget-web', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./web.test');
  // SummaryReporter prints the counts (and each skipped test's reason) for the harness.
  return new Promise((resolve, reject) => {
    mocha.run((failed) => (failed ? reject(new Error(`${failed} web test(s) failed`)) : resolve()));
  });
}

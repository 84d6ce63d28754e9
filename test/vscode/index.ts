// The standard extensionTestsPath entry: runs the mocha suites inside the extension host. Works the same under
// code-server (CI) and @vscode/test-electron (desktop).
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { SummaryReporter } from '../support/summaryReporter';
import { restoreWorkspaceDocuments } from './helpers';

export function run(): Promise<void> {
  // forbidOnly: a stray .only would otherwise pass the run with one test.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: SummaryReporter, forbidOnly: true });
  // CB_TEST_GREP=<pattern> runs a subset (the extension host inherits the server's environment).
  if (process.env.CB_TEST_GREP) {
    mocha.grep(process.env.CB_TEST_GREP);
  }
  console.log(
    `Context Budget integration suite: VS Code ${vscode.version}, ${vscode.env.appName}, uiKind ${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'}, extension host Node ${process.version}`,
  );
  mocha.suite.emit('pre-require', globalThis, 'context-budget', mocha);
  // Tests edit fixture files; every test starts from the text on disk, whichever suite edited it (cleanSlate also
  // restores them, before it closes editors).
  mocha.suite.afterEach('restore edited workspace documents', restoreWorkspaceDocuments);
  // Loaded after pre-require so describe/it exist: every test/vscode/suite/*.test.ts (see esbuild.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('context-budget:suites');
  // SummaryReporter prints the counts (and each skipped test's reason) for the harness.
  return new Promise((resolve, reject) => {
    mocha.run((failed) => (failed ? reject(new Error(`${failed} integration test(s) failed`)) : resolve()));
  });
}

// The integration suite for an untrusted folder (test/vscode/fixtures/untrusted, opened with workspace trust on and
// no startup prompt, so it stays in restricted mode): its own mocha entry, as the main suite runs in a trusted one.
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { SummaryReporter } from '../../support/summaryReporter';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: SummaryReporter, forbidOnly: true });
  if (process.env.CB_TEST_GREP) {
    mocha.grep(process.env.CB_TEST_GREP);
  }
  console.log(
    `Context Budget integration suite: VS Code ${vscode.version}, untrusted folder (isTrusted ${vscode.workspace.isTrusted})`,
  );
  mocha.suite.emit('pre-require', globalThis, 'context-budget-untrusted', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./untrusted.test');
  return new Promise((resolve, reject) => {
    mocha.run((failed) => (failed ? reject(new Error(`${failed} untrusted-folder test(s) failed`)) : resolve()));
  });
}

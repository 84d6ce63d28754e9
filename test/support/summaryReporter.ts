// Mocha's spec reporter plus one machine-readable summary, the same for every suite (unit tests in Node, the
// integration suites in the extension host): `CONTEXT_BUDGET_RESULT passed=N failed=N skipped=N`, then one
// `CONTEXT_BUDGET_SKIPPED <test> — <reason>` line per skipped test, so `npm test` can say what did not run.
import Mocha from 'mocha';

const REASON = Symbol('skip reason');

/** Skips the running test and records why; the summary prints the reason. */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  if (ctx.test) {
    (ctx.test as Mocha.Runnable & { [REASON]?: string })[REASON] = reason;
  }
  ctx.skip();
}

/** What the summary says for a test skipped with plain this.skip(); the harness counts it as a failure. */
export const NO_REASON = 'no reason given';

export class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const skipped: string[] = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test: Mocha.Test & { [REASON]?: string }) => {
      skipped.push(`${test.fullTitle()} — ${test[REASON] ?? NO_REASON}`);
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats!;
      console.log(`CONTEXT_BUDGET_RESULT passed=${s.passes} failed=${s.failures} skipped=${skipped.length}`);
      skipped.forEach((line) => console.log(`CONTEXT_BUDGET_SKIPPED ${line}`));
    });
  }
}

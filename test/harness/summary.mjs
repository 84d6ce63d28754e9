// Reads the summary that test/support/summaryReporter.ts prints at the end of every mocha suite.
export const NO_REASON = 'no reason given';

/** Counts and skipped tests (with reasons) from one line of output; undefined when it is not a summary line. */
export function summaryLine(line, into) {
  const m = /CONTEXT_BUDGET_RESULT passed=(\d+) failed=(\d+) skipped=(\d+)/.exec(line);
  if (m) {
    into.passed = Number(m[1]);
    into.failed = Number(m[2]);
    into.ran = true;
    return true;
  }
  const s = /^CONTEXT_BUDGET_SKIPPED (.*)$/.exec(line);
  if (s) {
    into.skipped.push(s[1]);
    return true;
  }
  return false;
}

/** The summary of a whole output, e.g. the unit suite's stdout. */
export function parseSummary(output) {
  const into = { passed: 0, failed: 0, skipped: [], ran: false };
  output.split(/\r?\n/).forEach((line) => summaryLine(line, into));
  return into;
}

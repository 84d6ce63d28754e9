// Unified diffs (git diff, patches): files → hunks → lines. The changed lines are what a reader needs; unchanged
// context lines go first, then whole hunks, each leaving a line that says what it stood for. File headers and hunk
// headers (`@@ -54,9 +54,12 @@`) stay at every level, so the reader always knows where a change is.
import type { Edit } from './edits';

export interface DiffAnalysis {
  /** Runs of unchanged context lines inside hunks (at least MIN_CONTEXT_RUN), each one marker. */
  context: Edit[];
  /** Hunk bodies (everything after an `@@` line up to the next hunk or file), each one marker. */
  hunks: Edit[];
}

/** A shorter run of context lines costs about what its marker would. */
const MIN_CONTEXT_RUN = 3;

export function analyseDiff(text: string): DiffAnalysis {
  const context: Edit[] = [];
  const hunks: Edit[] = [];
  let hunk: { start: number; added: number; removed: number; oldLeft: number; newLeft: number } | undefined;
  let run: { start: number; lines: number } | undefined;
  const closeRun = (end: number) => {
    if (run && run.lines >= MIN_CONTEXT_RUN) {
      context.push({ start: run.start, end, replacement: ` … ${run.lines} unchanged lines\n` });
    }
    run = undefined;
  };
  const closeHunk = (end: number) => {
    closeRun(end);
    if (hunk && end > hunk.start) {
      hunks.push({ start: hunk.start, end, replacement: ` … ${hunk.added} added, ${hunk.removed} removed\n` });
    }
    hunk = undefined;
  };
  let at = 0;
  while (at < text.length) {
    const next = text.indexOf('\n', at) + 1 || text.length;
    const line = text.slice(at, next);
    // Inside a hunk its header's line counts decide: a removed `--- note` line is a change, not a file header.
    const inHunk = hunk !== undefined && (hunk.oldLeft > 0 || hunk.newLeft > 0);
    const header = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (header && !inHunk) {
      closeHunk(at);
      hunk = { start: next, added: 0, removed: 0, oldLeft: Number(header[1] ?? 1), newLeft: Number(header[2] ?? 1) };
    } else if (!inHunk && (line.startsWith('@@') || /^(diff |index |--- |\+\+\+ )/.test(line))) {
      closeHunk(at);
    } else if (hunk) {
      if (line.startsWith('+')) {
        hunk.added++;
        hunk.newLeft--;
      } else if (line.startsWith('-')) {
        hunk.removed++;
        hunk.oldLeft--;
      } else if (!line.startsWith('\\')) {
        hunk.oldLeft--;
        hunk.newLeft--;
      }
      if (line.startsWith(' ') || line === '\n') {
        run ??= { start: at, lines: 0 };
        run.lines++;
      } else closeRun(at);
    }
    at = next;
  }
  closeHunk(text.length);
  return { context, hunks };
}

/** Text that reads as a unified diff: a file header or a hunk header near the top. */
export function looksLikeDiff(text: string): boolean {
  return /^(diff --git |--- \S|@@ -\d+(,\d+)? \+\d+(,\d+)? @@)/m.test(text.slice(0, 2000));
}

// Unknown languages: only what is safe without a grammar, i.e. whitespace normalisation (done by the caller)
// and collapsing runs of identical lines (logs, generated tables, repeated stack frames).
import type { Edit } from './edits';

/** Runs shorter than this are left alone: two equal lines are common and cheap. */
const MIN_RUN = 3;

export function repeatedLineEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  let runStart = -1; // offset of the second line of the current run
  let runCount = 0;
  let previous: string | null = null;
  let lineStart = 0;
  const flush = (end: number) => {
    if (runCount + 1 >= MIN_RUN && runStart >= 0) {
      edits.push({
        start: runStart,
        end,
        replacement: `… ${runCount} more identical line${runCount === 1 ? '' : 's'}\n`,
      });
    }
    runStart = -1;
    runCount = 0;
  };
  while (lineStart < text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = text.length;
    const line = text.slice(lineStart, nl).trimEnd();
    const next = Math.min(text.length, nl + 1);
    if (line.trim() && line === previous) {
      if (runStart < 0) runStart = lineStart;
      runCount++;
      // A run that reaches the end without a final newline still ends with one in the marker.
    } else {
      flush(lineStart);
      previous = line;
    }
    lineStart = next;
  }
  flush(text.length);
  return edits;
}

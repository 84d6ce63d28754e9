// `npx tsx scripts/retention-table.ts`: the share of answering lines kept at 30% and 50% of the tokens, with and
// without the question, over the labelled set in test/fixtures/retention (a Markdown table on stdout).
//   --misses         list the questions whose answering line was lost with the question
//   --focus          per question and share, what the planner chose to keep whole for the question
//   --save FILE      write every question's result (JSON) to FILE, e.g. before a change
//   --compare FILE   per question, what changed against a saved run (lost / gained), and the totals then and now
import { readFileSync, writeFileSync } from 'node:fs';
import { loadQuestions, measureRetention, retentionTable, type RetentionRow } from '../test/unit/planner/retentionSet';

const setting = (r: RetentionRow) => `${Math.round(r.rate * 100)}% ${r.withQuestion ? 'with the question' : 'blind'}`;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const rows = await measureRetention([0.3, 0.5]);
  const questions = loadQuestions();
  const files = new Set(questions.map((q) => q.file)).size;
  process.stdout.write(
    `${retentionTable(rows)}\n\n${rows[0]!.total} questions over ${files} files; structural compressor, o200k_base.\n`,
  );
  if (process.argv.includes('--misses')) {
    for (const r of rows.filter((x) => x.withQuestion)) {
      for (const [i, hit] of r.hits.entries()) {
        if (!hit) process.stdout.write(`missed at ${r.rate}: ${questions[i]!.file}: ${questions[i]!.question}\n`);
      }
    }
  }
  if (process.argv.includes('--focus')) {
    for (const r of rows.filter((x) => x.withQuestion)) {
      for (const [i, note] of r.focus.entries()) {
        const q = questions[i]!;
        process.stdout.write(
          `Q${i + 1} ${r.hits[i] ? 'kept' : 'LOST'} at ${r.rate}: ${q.question}\n  ${note || '(no focus)'}\n`,
        );
      }
    }
  }
  const save = option('--save');
  if (save) writeFileSync(save, `${JSON.stringify(rows.map(({ focus: _, ...r }) => r))}\n`);
  const compare = option('--compare');
  if (compare) {
    const before = JSON.parse(readFileSync(compare, 'utf8')) as Omit<RetentionRow, 'focus'>[];
    let changed = 0;
    for (const r of rows) {
      const b = before.find((x) => x.rate === r.rate && x.withQuestion === r.withQuestion);
      if (!b) continue;
      process.stdout.write(`${setting(r)}: ${b.kept}/${b.total} → ${r.kept}/${r.total}\n`);
      for (const [i, hit] of r.hits.entries()) {
        if (hit === b.hits[i]) continue;
        changed++;
        process.stdout.write(
          `  Q${i + 1} ${hit ? 'gained' : 'LOST'}: ${questions[i]!.file}: ${questions[i]!.question}\n`,
        );
      }
    }
    if (!changed) process.stdout.write('no question changed\n');
  }
}

void main();

// `npx tsx scripts/retention-table.ts`: the share of answering lines kept at 30% and 50% of the tokens, with and
// without the question, over the labelled set in test/fixtures/retention (a Markdown table on stdout).
import { loadQuestions, measureRetention, retentionTable } from '../test/unit/planner/retentionSet';

async function main(): Promise<void> {
  const rows = await measureRetention([0.3, 0.5]);
  const files = new Set(loadQuestions().map((q) => q.file)).size;
  process.stdout.write(
    `${retentionTable(rows)}\n\n${rows[0]!.total} questions over ${files} files; structural compressor, o200k_base.\n`,
  );
  if (process.argv.includes('--misses')) {
    const questions = loadQuestions();
    for (const r of rows.filter((x) => x.withQuestion)) {
      for (const [i, hit] of r.hits.entries()) {
        if (!hit) process.stdout.write(`missed at ${r.rate}: ${questions[i]!.file}: ${questions[i]!.question}\n`);
      }
    }
  }
}

void main();

// The labelled retention set (test/fixtures/retention): files in several languages, each with questions and the
// one line that answers each. Measures how often the answering line survives planning at a share of the tokens,
// with and without the question. Shared by scripts/retention-table.ts and retention.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planContext } from '../../../src/core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../../../src/core/structural/index';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';

export const RETENTION_DIR = join(__dirname, '../../fixtures/retention');

export interface RetentionQuestion {
  file: string;
  question: string;
  /** The answering line, trimmed, exactly as in the file. */
  answer: string;
}

export interface RetentionRow {
  rate: number;
  withQuestion: boolean;
  kept: number;
  total: number;
  /** Per question, in questions.json order. */
  hits: boolean[];
  /** Per question, the planner's note on what it chose to keep whole for the question (empty without one). */
  focus: string[];
}

export function loadQuestions(): RetentionQuestion[] {
  return JSON.parse(readFileSync(join(RETENTION_DIR, 'questions.json'), 'utf8')) as RetentionQuestion[];
}

export async function measureRetention(rates: readonly number[] = [0.3, 0.5]): Promise<RetentionRow[]> {
  const questions = loadQuestions();
  const tokenizer = await loadTokenizer('o200k_base');
  const structural = createStructuralCompressor({ readWasm });
  const rows: RetentionRow[] = [];
  for (const rate of rates) {
    for (const withQuestion of [false, true]) {
      const hits: boolean[] = [];
      const focus: string[] = [];
      for (const q of questions) {
        const text = readFileSync(join(RETENTION_DIR, q.file), 'utf8');
        const result = await planContext({
          sources: [
            { id: q.file, text, languageId: languageIdForPath(q.file)!, priority: 50, header: `### ${q.file}\n` },
          ],
          budget: 0,
          rate,
          ...(withQuestion ? { question: q.question } : {}),
          compressor: 'structural',
          count: (t) => tokenizer.count(t),
          planning: tokenizer,
          structural,
        });
        hits.push(result.context.includes(q.answer));
        focus.push(result.log.find((l) => l.startsWith('question focus:')) ?? '');
      }
      rows.push({ rate, withQuestion, kept: hits.filter(Boolean).length, total: hits.length, hits, focus });
    }
  }
  return rows;
}

export function retentionTable(rows: readonly RetentionRow[]): string {
  const lines = ['| Share of tokens | Blind | With the question |', '| --- | ---: | ---: |'];
  for (const rate of [...new Set(rows.map((r) => r.rate))]) {
    const cell = (q: boolean) => {
      const r = rows.find((x) => x.rate === rate && x.withQuestion === q)!;
      return `${r.kept}/${r.total} (${Math.round((100 * r.kept) / r.total)}%)`;
    };
    lines.push(`| ${Math.round(rate * 100)}% | ${cell(false)} | ${cell(true)} |`);
  }
  return lines.join('\n');
}

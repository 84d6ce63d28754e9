// `npm run bench:fill`: how much of the budget the planner uses. For each input (the fixtures, plus every file of
// the folders given as arguments) and each budget share (50/30/10/3% of its o200k tokens), plans with the structural
// compressor (no model), blind and reversible, and prints fill = tokens / budget per kind of input: median and
// minimum. Inputs that already fit are not counted (fill is about text larger than the budget). `--sweep` plans at
// 16 shares from 2% to 90% instead (a budget between the four can land between two levels the four never see).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { planContext } from '../../src/core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../../src/core/structural/index';
import { loadTokenizer } from '../../src/core/tokens/tokenizers';
import { readWasm } from '../../src/node/treeSitterFiles';

const SWEEP = process.argv.includes('--sweep');
const SHARES = SWEEP
  ? [0.02, 0.04, 0.06, 0.08, 0.12, 0.15, 0.2, 0.25, 0.35, 0.4, 0.45, 0.55, 0.6, 0.7, 0.8, 0.9]
  : [0.5, 0.3, 0.1, 0.03];
const FIXTURES = ['test/fixtures/structural', 'test/fixtures/devtexts'];
const MIN_REVERSIBLE_BUDGET = 60;

function kindOf(file: string, languageId: string | undefined): string {
  const ext = extname(file).toLowerCase();
  if (['.log', '.events', '.trace', '.session'].includes(ext)) return 'logs/traces';
  if (ext === '.diff' || ext === '.patch') return 'diff';
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  if (languageId === 'markdown' || languageId === 'plaintext' || !languageId) return 'prose';
  return 'code';
}

function filesOf(dir: string): string[] {
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;

async function main() {
  const tokenizer = await loadTokenizer('o200k_base');
  const structural = createStructuralCompressor({ readWasm });
  const files = [
    ...FIXTURES.flatMap(filesOf),
    ...process.argv
      .slice(2)
      .filter((a) => a !== '--sweep')
      .flatMap(filesOf),
  ];
  const rows: { kind: string; file: string; share: number; reversible: boolean; fill: number }[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const languageId = languageIdForPath(file);
    const total = tokenizer.count(text);
    for (const reversible of [false, true]) {
      for (const share of SHARES) {
        const budget = Math.floor(total * share);
        // Under 20 tokens nothing useful fits; reversible output under 60 is mostly one marker (its lines and
        // expand call take about 20 tokens), which a source that does not fit is left out rather than cut through.
        if (budget < (reversible ? MIN_REVERSIBLE_BUDGET : 20)) continue;
        const result = await planContext({
          sources: [{ id: basename(file), text, ...(languageId ? { languageId } : {}), priority: 50 }],
          budget,
          compressor: 'structural',
          count: (t) => tokenizer.count(t),
          planning: tokenizer,
          structural,
          ...(reversible ? { reversible: true } : {}),
        });
        if (result.tokens > budget) throw new Error(`${file} at ${budget}: over budget (${result.tokens})`);
        rows.push({ kind: kindOf(file, languageId), file, share, reversible, fill: result.tokens / budget });
      }
    }
  }
  console.log(
    `Fill (tokens used / budget, o200k), ${files.length} files, structural compressor, Node ${process.version}`,
  );
  console.log('| input | runs | median | minimum | under 70% |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const line = (label: string, xs: number[]) =>
    console.log(
      `| ${label} | ${xs.length} | ${pct(median(xs))} | ${pct(Math.min(...xs))} | ${xs.filter((x) => x < 0.7).length} |`,
    );
  for (const kind of [...new Set(rows.map((r) => r.kind))].sort()) {
    line(
      kind,
      rows.filter((r) => r.kind === kind).map((r) => r.fill),
    );
  }
  for (const share of SWEEP ? [] : SHARES) {
    line(
      `all at ${share * 100}%`,
      rows.filter((r) => r.share === share).map((r) => r.fill),
    );
  }
  line(
    'all, reversible',
    rows.filter((r) => r.reversible).map((r) => r.fill),
  );
  line(
    'all',
    rows.map((r) => r.fill),
  );
  const worst = [...rows].sort((a, b) => a.fill - b.fill).slice(0, SWEEP ? 16 : 8);
  console.log(
    'worst:',
    worst.map((r) => `${basename(r.file)}@${r.share}${r.reversible ? 'r' : ''}=${pct(r.fill)}`).join(', '),
  );
}

void main();

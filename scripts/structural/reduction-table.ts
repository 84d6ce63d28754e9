// Prints, for the README, the median token reduction of each structural level per language over the project's
// own tracked source and fixture files.   npx tsx scripts/structural/reduction-table.ts [--tokenizer ID] [--json]
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createStructuralCompressor,
  countLevels,
  languageIdForPath,
  looksBinary,
} from '../../src/core/structural/index';
import { TREE_LANGUAGES } from '../../src/core/structural/languages';
import { TreeSitterRuntime } from '../../src/core/structural/runtime';
import { countErrors } from '../../src/core/structural/tree';
import { isTokenizerId, loadTokenizer } from '../../src/core/tokens/tokenizers';
import { readWasm } from '../../src/node/treeSitterFiles';

const ROOT = join(__dirname, '../..');
const MAX_BYTES = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const tokenizerArg = args.includes('--tokenizer') ? args[args.indexOf('--tokenizer') + 1] : 'o200k_base';
  if (!isTokenizerId(tokenizerArg)) throw new Error(`unknown tokenizer ${tokenizerArg}`);
  const tokenizer = await loadTokenizer(tokenizerArg);
  const compressor = createStructuralCompressor({ readWasm });
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && !f.includes('node_modules/'));
  // language → level index → reductions (fraction of tokens removed vs full)
  const table = new Map<string, { files: number; reductions: number[][] }>();
  // Syntax check alongside: a level must not parse worse than its input.
  const runtime = new TreeSitterRuntime({ readWasm });
  let checked = 0;
  const worse: string[] = [];
  for (const file of files) {
    const languageId = languageIdForPath(file);
    if (!languageId) continue;
    const path = join(ROOT, file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue; // listed but deleted in the work tree
    }
    if (size === 0 || size > MAX_BYTES) continue;
    const text = readFileSync(path, 'utf8');
    if (looksBinary(text)) continue;
    const analysis = await compressor.analyse(text, languageId);
    const counts = await countLevels(analysis.levels, tokenizer);
    if (!counts[0]) continue;
    const spec = TREE_LANGUAGES[languageId];
    if (spec && analysis.kind === 'tree') {
      const parser = await runtime.parser(spec.grammar);
      const errors = analysis.levels.map((l) => {
        const tree = parser.parse(l.text)!;
        const n = countErrors(tree);
        tree.delete();
        return n;
      });
      parser.delete();
      checked++;
      if (errors.some((e) => e > errors[0]!)) worse.push(`${file} (${errors.join('/')})`);
    }
    const key = analysis.kind === 'fallback' ? `${languageId} (fallback)` : languageId;
    const row = table.get(key) ?? { files: 0, reductions: [[], [], []] };
    row.files++;
    for (let i = 1; i < 4; i++) {
      // Levels a kind lacks (fallback has only no-comments) repeat the last one it has.
      const c = counts[Math.min(i, counts.length - 1)]!;
      row.reductions[i - 1]!.push(1 - c / counts[0]);
    }
    table.set(key, row);
  }
  const rows = [...table.entries()].sort((a, b) => b[1].files - a[1].files || a[0].localeCompare(b[0]));
  if (args.includes('--json')) {
    const out = rows.map(([language, r]) => ({
      language,
      files: r.files,
      medianReduction: Object.fromEntries(
        ['no-comments', 'signatures', 'outline'].map((l, i) => [l, median(r.reductions[i]!)]),
      ),
    }));
    process.stdout.write(
      JSON.stringify({ tokenizer: tokenizer.id, rows: out, syntaxChecked: checked, syntaxWorse: worse }, null, 2) +
        '\n',
    );
    return;
  }
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  const lines = [
    `Median token reduction per level vs. the full text (${tokenizer.id}; project's tracked source and fixture files)`,
    '',
    '| Language | Files | no-comments | signatures | outline |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      ([language, r]) => `| ${language} | ${r.files} | ${r.reductions.map((x) => pct(median(x))).join(' | ')} |`,
    ),
  ];
  lines.push(
    '',
    `Syntax check: ${checked} code files parsed at every level; ${worse.length} had a level with more ` +
      `tree-sitter ERROR/MISSING nodes than the input${worse.length ? `: ${worse.join(', ')}` : ''}.`,
  );
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

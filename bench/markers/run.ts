// `npx tsx bench/markers/run.ts`: what reversible markers cost. Plans every structural fixture at a few shares of
// its o200k count (reversible, structural, o200k as target and planner) and sums the markers' tokens, the plans'
// words' tokens (what a marker says beyond the kept text it wraps), the plans' tokens, how full they are and how
// much source text they keep verbatim. Run the same script against an older checkout's src to compare marker formats.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planContext } from '../../src/core/planner/index';
import { createStructuralCompressor, languageIdForPath } from '../../src/core/structural/index';
import { loadTokenizer } from '../../src/core/tokens/tokenizers';
import { readWasm } from '../../src/node/treeSitterFiles';

const FIXTURES = join(__dirname, '../../test/fixtures/structural');
const SHARES = [0.25, 0.5, 0.75];
/** What a marker says beyond the kept text around it: the old ` #id`, or the new lines, names and expand call. */
const DESCRIPTION =
  / ?#[a-z][0-9a-z]{7}(?![0-9a-z])|,? ?lines? \d+(?:–\d+)?(?: \([^)]*\))? (?:elided|truncated) — [\w.]+\(\\?"[a-z][0-9a-z]{7}\\?"\)/;

async function main(): Promise<void> {
  const o200k = await loadTokenizer('o200k_base');
  const structural = createStructuralCompressor({ readWasm });
  const expandTool = process.argv[2];
  const rows: string[] = [];
  const total = { markers: 0, markerTokens: 0, tokens: 0, budget: 0, plans: 0, kept: 0 };
  for (const share of SHARES) {
    const row = { markers: 0, markerTokens: 0, tokens: 0, budget: 0, kept: 0 };
    for (const file of readdirSync(FIXTURES).sort()) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const budget = Math.floor(o200k.count(text) * share);
      const plan = await planContext({
        sources: [{ id: file, text, languageId: languageIdForPath(file) ?? 'plaintext', priority: 1 }],
        budget,
        compressor: 'structural',
        count: (t) => o200k.count(t),
        planning: o200k,
        structural,
        reversible: true,
        ...(expandTool ? { expandTool } : {}),
      } as Parameters<typeof planContext>[0]);
      row.markers += plan.elisions.length;
      row.markerTokens += plan.elisions.reduce(
        (n, e) => n + o200k.count(e.marker) - o200k.count(e.marker.replace(DESCRIPTION, '')),
        0,
      );
      row.kept += plan.segments.reduce((n, g) => n + (g.status === 'kept' ? g.end - g.start : 0), 0);
      row.tokens += plan.tokens;
      row.budget += budget;
      total.plans++;
    }
    total.markers += row.markers;
    total.markerTokens += row.markerTokens;
    total.tokens += row.tokens;
    total.budget += row.budget;
    total.kept += row.kept;
    rows.push(
      `| ${share} | ${row.budget} | ${row.tokens} | ${((100 * row.tokens) / row.budget).toFixed(1)}% | ` +
        `${row.markers} | ${row.markerTokens} | ${(row.markerTokens / Math.max(1, row.markers)).toFixed(1)} | ` +
        `${row.kept} |`,
    );
  }
  console.log(
    `expandTool: ${expandTool ?? '(default)'}; ${total.plans} plans over ${readdirSync(FIXTURES).length} files`,
  );
  console.log(
    '| share | budget | plan tokens | fill | markers | marker words (tokens) | per marker | source chars kept verbatim |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(
    `| all | ${total.budget} | ${total.tokens} | ${((100 * total.tokens) / total.budget).toFixed(1)}% | ${total.markers} | ` +
      `${total.markerTokens} | ${(total.markerTokens / Math.max(1, total.markers)).toFixed(1)} | ${total.kept} |`,
  );
}

void main();

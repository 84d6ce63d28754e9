// `context-budget count FILE|DIR|-... [--model ID] [--json] [--reserve N] [--max-size SIZE]`
import { budgetUsage } from '../core/budget';
import { formatCost, formatPercent, formatTokens } from '../core/format';
import type { CatalogModel } from '../core/tokens/catalog';
import { catalogTarget } from '../core/tokens/target';
import { warnInvalidUtf8 } from './compress';
import { failsRun, readInputs } from './input';
import { writeErr, writeOut } from './output';

export interface CountOptions {
  model: CatalogModel;
  json: boolean;
  reserve: number;
  maxSize: number;
}

interface FileCount {
  file: string;
  tokens?: number;
  error?: string;
}

export async function runCount(files: string[], opts: CountOptions): Promise<number> {
  const { model } = opts;
  const target = await catalogTarget(model);
  const counted: FileCount[] = [];
  let failed = false;
  for (const input of await readInputs(files, { maxBytes: opts.maxSize })) {
    if ('error' in input) {
      counted.push({ file: input.file, error: input.error });
      // A binary file is skipped; one that cannot be read, or a named one over the limit, is a failure.
      failed ||= failsRun(input);
      continue;
    }
    warnInvalidUtf8(input);
    counted.push({ file: input.file, tokens: await target.count(input.text) });
  }
  const total = counted.reduce((sum, f) => sum + (f.tokens ?? 0), 0);
  const usage = budgetUsage(total, target, { reserveTokens: opts.reserve });
  if (opts.json) {
    const out = {
      model: model.id,
      tokenizer: model.tokenizer,
      approximate: target.approximate,
      contextWindow: model.contextWindow,
      files: counted,
      total,
      fractionOfWindow: usage.fractionOfWindow,
      costUsd: usage.costUsd ?? null,
    };
    writeOut(JSON.stringify(out, null, 2) + '\n');
  } else {
    const width = Math.max(...counted.map((f) => f.file.length), 5);
    for (const f of counted) {
      const value = f.tokens !== undefined ? formatTokens(f.tokens).padStart(12) : `  skipped: ${f.error}`;
      writeOut(`${f.file.padEnd(width)} ${value}\n`);
    }
    const approx = target.approximate ? ' (approximate)' : '';
    writeOut(
      `${'total'.padEnd(width)} ${formatTokens(total).padStart(12)}  ${model.id}${approx}: ` +
        `${formatPercent(usage.fractionOfWindow)} of ${formatTokens(model.contextWindow)}, ${formatCost(usage.costUsd)}\n`,
    );
  }
  const skipped = counted.filter((f) => f.error);
  if (skipped.length) writeErr(`count: ${skipped.length} of ${counted.length} file(s) skipped (see the table)\n`);
  return failed ? 1 : 0;
}

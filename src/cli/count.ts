// `context-budget count FILE... [--model ID] [--json]`
import { parseArgs } from 'node:util';
import { budgetUsage } from '../core/budget';
import { formatCost, formatPercent, formatTokens } from '../core/format';
import { CATALOG, DEFAULT_MODEL_ID, findCatalogModel } from '../core/tokens/catalog';
import { checkCountable } from '../core/tokens/guard';
import { catalogTarget } from '../core/tokens/target';
import { readInputFile } from './input';

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

interface FileCount {
  file: string;
  tokens?: number;
  error?: string;
}

export async function runCount(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', default: DEFAULT_MODEL_ID },
      json: { type: 'boolean', default: false },
      reserve: { type: 'string', default: '0' },
    },
  });
  const model = findCatalogModel(values.model!);
  if (!model) {
    process.stderr.write(`unknown model '${values.model}'. Known: ${CATALOG.map((m) => m.id).join(', ')}\n`);
    return 2;
  }
  if (positionals.length === 0) {
    process.stderr.write('count: give at least one FILE (use - for stdin)\n');
    return 2;
  }
  const target = await catalogTarget(model);
  const files: FileCount[] = [];
  for (const file of positionals) {
    const input = await readInputFile(file);
    if ('error' in input) {
      files.push({ file, error: input.error });
      continue;
    }
    const problem = checkCountable(input.text, DEFAULT_MAX_BYTES);
    files.push(problem ? { file, error: problem.message } : { file, tokens: await target.count(input.text) });
  }
  const total = files.reduce((sum, f) => sum + (f.tokens ?? 0), 0);
  const usage = budgetUsage(total, target, { reserveTokens: Number(values.reserve) || 0 });
  if (values.json) {
    const out = {
      model: model.id,
      tokenizer: model.tokenizer,
      approximate: target.approximate,
      contextWindow: model.contextWindow,
      files,
      total,
      fractionOfWindow: usage.fractionOfWindow,
      costUsd: usage.costUsd ?? null,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    const width = Math.max(...files.map((f) => f.file.length), 5);
    for (const f of files) {
      const value = f.tokens !== undefined ? formatTokens(f.tokens).padStart(12) : `  skipped: ${f.error}`;
      process.stdout.write(`${f.file.padEnd(width)} ${value}\n`);
    }
    const approx = target.approximate ? ' (approximate)' : '';
    process.stdout.write(
      `${'total'.padEnd(width)} ${formatTokens(total).padStart(12)}  ${model.id}${approx}: ` +
        `${formatPercent(usage.fractionOfWindow)} of ${formatTokens(model.contextWindow)}, ${formatCost(usage.costUsd)}\n`,
    );
  }
  return files.some((f) => f.error) ? 1 : 0;
}

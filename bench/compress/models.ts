// The benchmarks' model and text: a random-weight BERT-base-shaped token classifier generated on first use (never
// committed), and about 8,000 model tokens of prose. Shared by bench:compress and bench:gpu.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BERT_BASE_MULTILINGUAL, makeBertModel } from './makeModel';

const FIX = path.resolve(__dirname, '../../test/fixtures/llmlingua2');

// Generated models are kept between runs, and made again when the generator's source changes.
const GENERATOR_HASH = createHash('sha256')
  .update(fs.readFileSync(path.join(__dirname, 'makeModel.ts')))
  .update(fs.readFileSync(path.join(__dirname, 'onnxWriter.ts')))
  .digest('hex');

/** The generated BERT-base-shaped model (2 layers when quick) of these weights in `out`/<weights>/model.onnx. */
export async function ensureBenchModel(out: string, q: 'fp32' | 'int8', quick: boolean): Promise<string> {
  const dir = path.join(out, q);
  const file = path.join(dir, 'model.onnx');
  const stamp = path.join(dir, 'generator.sha256');
  if (!fs.existsSync(file) || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== GENERATOR_HASH) {
    fs.mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    const cfg = quick ? { ...BERT_BASE_MULTILINGUAL, layers: 2 } : BERT_BASE_MULTILINGUAL;
    const bytes = await makeBertModel(file + '.tmp', cfg, q);
    fs.renameSync(file + '.tmp', file);
    fs.writeFileSync(stamp, GENERATOR_HASH);
    console.log(
      `generated ${q} model: ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  return file;
}

/** About 8,000 model tokens of prose (the target size), whole lines, every line distinct. */
export function benchText(tok: { tokenize(t: string): { ids: number[] } }): string {
  const cases = JSON.parse(fs.readFileSync(path.join(FIX, 'cases.json'), 'utf8')) as { texts: Record<string, string> };
  const lines: string[] = [];
  let n = 0;
  // Every copy differs on every line, so no chunk is served from the cache on the cold run.
  for (let k = 1; n < 8000; k++) {
    for (const l of cases.texts.LONG!.split('\n').concat([''])) {
      const line = l.trim() ? `${l} [${k}]` : l;
      const cost = tok.tokenize(line).ids.length;
      if (n + cost > 8000) {
        n = 8000;
        break;
      }
      lines.push(line);
      n += cost;
    }
  }
  return lines.join('\n');
}

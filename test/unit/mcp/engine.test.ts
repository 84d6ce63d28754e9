// The MCP engine in process: an id whose original is no longer held still says which file and lines to read.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderCompressor } from '../../../src/cli/backend';
import { Engine } from '../../../src/cli/mcp/engine';
import { identifierWords } from '../../../src/core/identifiers';
import { markerIds } from '../../../src/core/elisions';
import { findCatalogModel } from '../../../src/core/tokens/catalog';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { markedLines } from '../../support/markers';

const FILE = join(__dirname, '../../fixtures/structural/sample.py');
const LOG = join(__dirname, '../../fixtures/llmlingua2/build60.log');
const PROSE = join(__dirname, '../../fixtures/devtexts/prose.md');
const MODEL = join(__dirname, '../../fixtures/llmlingua2/tiny-xlm-roberta-large-ref');
/** Identifier-like words of a text, as a multiset (word → count). */
const ids = (text: string) => {
  const out = new Map<string, number>();
  for (const w of identifierWords(text)) {
    out.set(text.slice(w.start, w.end), (out.get(text.slice(w.start, w.end)) ?? 0) + 1);
  }
  return out;
};

describe('MCP engine', function () {
  this.timeout(60_000);

  it('an evicted original answers with the file and line range to read', async () => {
    // Originals capped at 1 character: none is kept, every location is.
    const engine = new Engine({ readWasm, defaultModel: findCatalogModel('gpt-4o')!, maxOriginalChars: 1 });
    const r = await engine.compress({ paths: [FILE], budget: 250 });
    const id = markerIds(r.text).find((i) => i !== undefined)!;
    assert.ok(id, r.text);
    const back = await engine.expand(`#${id}`);
    assert.equal(back.isError, true);
    const m = /Read (.+), lines (\d+)-(\d+), instead\./.exec(back.text);
    assert.ok(m, back.text);
    assert.equal(m[1], FILE);
    const at = markedLines(r.text).get(id)!;
    assert.deepEqual([Number(m[2]), Number(m[3])], [at.startLine, at.endLine]);
    assert.ok(at.startLine >= 1 && at.endLine <= readFileSync(FILE, 'utf8').split('\n').length);
  });

  it('code passed as text is compressed as its language (markers in its comment syntax), not as prose', async () => {
    const engine = new Engine({ readWasm, defaultModel: findCatalogModel('gpt-4o')! });
    const text = readFileSync(join(__dirname, '../../fixtures/stdin/logging_head.py'), 'utf8');
    const r = await engine.compress({ text, budget: 200 });
    assert.match(r.text, /^# … lines \d+–\d+ elided — expand_elision\("[a-z0-9]{8}"\)$/m, r.text);
    assert.match(r.text, /^def \w+\(/m, r.text);
  });

  it('text input is named as such; the same engine with room keeps the original', async () => {
    const engine = new Engine({ readWasm, defaultModel: findCatalogModel('gpt-4o')! });
    const text = readFileSync(FILE, 'utf8');
    const r = await engine.compress({ text, budget: 250 });
    const id = markerIds(r.text)[0]!;
    const back = await engine.expand(id);
    assert.ok(!back.isError, back.text);
    assert.ok(text.includes(back.text));
  });

  it('protect without a compressor model: kept lines are whole (no id cut out of one), and the result says so', async () => {
    const engine = new Engine({ readWasm, defaultModel: findCatalogModel('gpt-4o')! });
    const sourceLines = new Set(readFileSync(LOG, 'utf8').split('\n'));
    // Lines of the result's body that are not whole lines of the log (a line kept in part, `… […]`).
    const cutLines = (text: string) =>
      text
        .slice(text.indexOf('\n\n') + 2)
        .split('\n')
        .map((l) => l.replace(/ ?\[… [^\]]*expand_elision\("[a-z0-9]{8}"\)\]/g, ''))
        .filter((l) => l.trim() && !sourceLines.has(l));
    for (const budget of [180, 240, 300, 360]) {
      const r = await engine.compress({ paths: [LOG], budget, protect: true });
      assert.ok((r.structured?.tokens as number) <= budget, r.text);
      assert.match(r.text, /No compressor model: protect ranks lines with identifiers first/);
      assert.deepEqual(cutLines(r.text), [], r.text);
      const plain = await engine.compress({ paths: [LOG], budget });
      assert.doesNotMatch(plain.text, /No compressor model/);
    }
  });

  it('mcp --compressor: protect keeps identifiers through the LLMLingua-2 model', async () => {
    const engine = new Engine({
      readWasm,
      defaultModel: findCatalogModel('gpt-4o')!,
      llmlingua2: folderCompressor(MODEL, 'wasm'),
    });
    const text = readFileSync(PROSE, 'utf8');
    const budget = Math.round(0.6 * (await loadTokenizer('o200k_base')).count(text)) + 60;
    const r = await engine.compress({ text, budget, protect: true });
    assert.ok((r.structured?.tokens as number) <= budget, r.text);
    assert.doesNotMatch(r.text, /No compressor model/);
    // The model ran (words dropped inside lines) and every identifier of the input is still there.
    assert.match(r.text, /llmlingua2@/, r.text);
    const kept = ids(r.text);
    for (const [id, n] of ids(text)) assert.ok((kept.get(id) ?? 0) >= n, `${id} lost:\n${r.text}`);
  });
});

// The MCP engine in process: an id whose original is no longer held still says which file and lines to read.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../src/cli/mcp/engine';
import { markerIds } from '../../../src/core/elisions';
import { findCatalogModel } from '../../../src/core/tokens/catalog';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { markedLines } from '../../support/markers';

const FILE = join(__dirname, '../../fixtures/structural/sample.py');

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
});

// The MCP server's ids outlive its process: a file in the user's cache keeps each id's file and lines (no originals),
// bounded, merged between servers, atomic, and tolerant of a corrupt file.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CACHE_FILE, ElisionCacheFile, cacheDir } from '../../../src/cli/mcp/elisionCache';
import { Engine } from '../../../src/cli/mcp/engine';
import { markerIds } from '../../../src/core/elisions';
import { findCatalogModel } from '../../../src/core/tokens/catalog';
import { readWasm } from '../../../src/node/treeSitterFiles';

const FILE = join(__dirname, '../../fixtures/structural/sample.py');
const at = (source: string, startLine = 1, endLine = 2) => ({ source, startLine, endLine });

describe('MCP elision cache', function () {
  this.timeout(60_000);
  const fresh = () => join(mkdtempSync(join(tmpdir(), 'cb-cache-')), CACHE_FILE);

  it('a fresh engine (a restarted server) answers an earlier one’s id with its file and lines', async () => {
    const path = fresh();
    const model = findCatalogModel('gpt-4o')!;
    const first = new ElisionCacheFile(path);
    const a = new Engine({ readWasm, defaultModel: model, cache: first });
    const r = await a.compress({ paths: [relative(process.cwd(), FILE)], budget: 250 });
    const marker = /… lines (\d+)–(\d+)[^\n]*expand_elision\("([a-z0-9]{8})"\)/.exec(r.text);
    assert.ok(marker, r.text);
    await first.flushed();
    // No originals on disk: the file holds places only.
    assert.doesNotMatch(readFileSync(path, 'utf8'), /"original"/);

    const b = new Engine({ readWasm, defaultModel: model, cache: new ElisionCacheFile(path) });
    const back = await b.expand(marker[3]!);
    assert.equal(back.isError, true);
    // Named by its absolute path: the next server may run in another folder.
    assert.ok(back.text.includes(`Read ${FILE}, lines ${marker[1]}-${marker[2]}, instead.`), back.text);
  });

  it('an id written by a server running beside this one is found after this one started', async () => {
    const path = fresh();
    const model = findCatalogModel('gpt-4o')!;
    const b = new Engine({ readWasm, defaultModel: model, cache: new ElisionCacheFile(path) });
    await b.expand('aaaaaaaa'); // started, loaded an empty cache
    const cache = new ElisionCacheFile(path);
    const a = new Engine({ readWasm, defaultModel: model, cache });
    const id = markerIds((await a.compress({ paths: [FILE], budget: 250 })).text)[0]!;
    await cache.flushed();
    const back = await b.expand(id);
    assert.match(back.text, new RegExp(`Read ${FILE.replace(/[.\\/]/g, '\\$&')}, lines \\d+-\\d+, instead\\.`));
  });

  it('two servers writing merge; the newest ids are kept within the bound; temp files do not linger', async () => {
    const path = fresh();
    const one = new ElisionCacheFile(path, undefined, 3);
    const two = new ElisionCacheFile(path, undefined, 3);
    one.save([{ id: 'aaaaaaa1', location: at('/a.ts') }]);
    await one.flushed();
    two.save([{ id: 'bbbbbbb1', location: at('/b.ts') }]);
    await two.flushed();
    assert.deepEqual(
      (await one.load()).map((e) => e.id),
      ['aaaaaaa1', 'bbbbbbb1'],
    );
    one.save([
      { id: 'aaaaaaa1', location: at('/a.ts') },
      { id: 'aaaaaaa2', original: 'secret', location: at('/a.ts', 3, 9) },
      { id: 'aaaaaaa3', original: 'no place' },
    ]);
    await one.flushed();
    // Least recently used first: b's id is now the oldest; 'aaaaaaa3' has no place to keep.
    assert.deepEqual(
      (await two.load()).map((e) => e.id),
      ['bbbbbbb1', 'aaaaaaa1', 'aaaaaaa2'],
    );
    one.save([{ id: 'ccccccc1', location: at('/c.ts') }]);
    await one.flushed();
    assert.deepEqual(
      (await two.load()).map((e) => e.id),
      ['aaaaaaa1', 'aaaaaaa2', 'ccccccc1'],
    );
    assert.deepEqual(readdirSync(join(path, '..')), [CACHE_FILE]);
    assert.doesNotMatch(readFileSync(path, 'utf8'), /secret/);
  });

  it('a corrupt or foreign file counts as empty and is rewritten; a folder that cannot be written is reported', async () => {
    const path = fresh();
    for (const body of ['{"version":1,"entries":[{"id":"aaaa', '[1,2]', '{"version":9,"entries":[]}']) {
      writeFileSync(path, body);
      const cache = new ElisionCacheFile(path);
      assert.deepEqual(await cache.load(), []);
      cache.save([{ id: 'aaaaaaa1', location: at('/a.ts') }]);
      await cache.flushed();
      assert.deepEqual(
        (await cache.load()).map((e) => e.id),
        ['aaaaaaa1'],
      );
    }
    const errors: string[] = [];
    const blocked = new ElisionCacheFile(join(path, 'below-a-file', CACHE_FILE), (m) => errors.push(m));
    blocked.save([{ id: 'aaaaaaa1', location: at('/a.ts') }]);
    await blocked.flushed();
    assert.equal(errors.length, 1);
  });

  it('the folder: CONTEXT_BUDGET_CACHE_DIR, else XDG_CACHE_HOME/context-budget, else ~/.cache/context-budget', () => {
    assert.equal(cacheDir({ CONTEXT_BUDGET_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/c' }), '/tmp/x');
    assert.equal(cacheDir({ XDG_CACHE_HOME: '/c' }), '/c/context-budget');
    assert.equal(cacheDir({ HOME: '/home/u' }, 'linux'), '/home/u/.cache/context-budget');
  });
});

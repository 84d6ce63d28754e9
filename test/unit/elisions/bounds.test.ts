// The persisted elision file (what the extension writes to its workspace storage): bounded to the most recently used
// 2 M characters of originals and 20,000 ids, least recently used first on disk, and a corrupt, truncated or foreign
// file reads as an empty store without throwing.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BoundedElisionFile,
  ELISION_FILE_VERSION,
  MAX_PERSISTED_CHARS,
  MAX_PERSISTED_LOCATIONS,
  bounded,
  decodeElisions,
  encodeElisions,
  type ElisionFileIO,
} from '../../../src/core/elisionBounds';
import { ElisionStore, type StoredElision } from '../../../src/core/elisions';

/** The i-th id, shaped as the store makes them ([a-z][0-9a-z]{7}). */
const id = (i: number) => `e${i.toString(36).padStart(7, '0')}`;
const at = (i: number) => ({ source: `src/f${i}.ts`, startLine: i + 1, endLine: i + 2 });

/** A file in memory: what was written last, and every read. */
function memory(initial?: string): ElisionFileIO & { text: string | undefined; writes: number } {
  const io = {
    text: initial,
    writes: 0,
    read: async () => io.text,
    write: async (text: string) => {
      io.text = text;
      io.writes++;
    },
  };
  return io;
}

describe('elisions: the persisted file and its bounds', () => {
  it('keeps the newest originals up to 2 M characters; older ones keep their place alone or go', () => {
    const big = (c: string) => c.repeat(800_000);
    const entries: StoredElision[] = [
      { id: id(0), original: big('a'), location: at(0) }, // oldest: past the cap, its place stays
      { id: id(1), original: big('b') }, // past the cap and no place: dropped
      { id: id(2), original: 'small', location: at(2) }, // still fits after the larger ones did not
      { id: id(3), original: big('c'), location: at(3) },
      { id: id(4), original: big('d') }, // newest
    ];
    const out = bounded(entries);
    assert.deepEqual(
      out.map((e) => [e.id, e.original?.length]),
      [
        [id(0), undefined],
        [id(2), 5],
        [id(3), 800_000],
        [id(4), 800_000],
      ],
    );
    assert.deepEqual(out[0], { id: id(0), location: at(0) });
    const chars = out.reduce((n, e) => n + (e.original?.length ?? 0), 0);
    assert.ok(chars <= MAX_PERSISTED_CHARS, `${chars}`);
    // Exactly at the cap fits; one character over does not.
    const exact = [{ id: id(0), original: 'x'.repeat(MAX_PERSISTED_CHARS) }];
    assert.equal(bounded(exact).length, 1);
    assert.deepEqual(bounded([{ id: id(0), original: 'x'.repeat(MAX_PERSISTED_CHARS + 1) }]), []);
  });

  it('keeps at most 20,000 ids, the most recently used, least recently used first', () => {
    const n = MAX_PERSISTED_LOCATIONS + 500;
    const entries: StoredElision[] = Array.from({ length: n }, (_, i) =>
      i % 2 ? { id: id(i), location: at(i) } : { id: id(i), original: `body ${i}`, location: at(i) },
    );
    const out = bounded(entries);
    assert.equal(out.length, MAX_PERSISTED_LOCATIONS);
    assert.deepEqual(
      out.map((e) => e.id),
      entries.slice(500).map((e) => e.id),
    );
    assert.deepEqual(out, entries.slice(500), 'originals and places come through unchanged');
  });

  it('bounding is stable: the bounded entries bound to themselves, in the same order', () => {
    const bounds = { maxChars: 10, maxLocations: 4 };
    const entries: StoredElision[] = [
      { id: id(0), original: '1234', location: at(0) },
      { id: id(1), original: '123456' },
      { id: id(2), location: at(2) },
      { id: id(3), original: '12345', location: at(3) },
      { id: id(4), original: '1234' },
      { id: id(5), original: '12' },
    ];
    const once = bounded(entries, bounds);
    assert.deepEqual(once, [
      { id: id(2), location: at(2) },
      { id: id(3), location: at(3) }, // 5 more would pass 10: its place alone
      { id: id(4), original: '1234' },
      { id: id(5), original: '12' },
    ]);
    assert.deepEqual(bounded(once, bounds), once);
  });

  it('writes the least recently used first, so a refreshed id outlives newer ones that were not read', async () => {
    const io = memory();
    const file = new BoundedElisionFile(io, 'elisions.json', undefined, { maxChars: 12, maxLocations: 100 });
    const store = new ElisionStore(1_000, 1_000, file);
    await store.load();
    store.add([
      { id: id(1), marker: 'm1', original: 'aaaa', location: at(1) },
      { id: id(2), marker: 'm2', original: 'bbbb', location: at(2) },
      { id: id(3), marker: 'm3', original: 'cccc', location: at(3) },
    ]);
    assert.equal(store.get(id(1)), 'aaaa'); // now the most recently used
    store.add([{ id: id(4), marker: 'm4', original: 'dddd', location: at(4) }]);
    await file.flushed();
    const written = JSON.parse(io.text!) as { version: number; entries: StoredElision[] };
    assert.equal(written.version, ELISION_FILE_VERSION);
    assert.deepEqual(
      written.entries.map((e) => [e.id, e.original]),
      [
        [id(2), undefined], // 12 characters hold three originals: the least recently used keeps its place
        [id(3), 'cccc'],
        [id(1), 'aaaa'],
        [id(4), 'dddd'],
      ],
    );

    // A new session reads the same order back: the next one to go is still id(3)'s original.
    const next = new ElisionStore(8, 1_000, new BoundedElisionFile(io, 'elisions.json'));
    await next.load();
    assert.equal(next.get(id(2)), undefined);
    assert.deepEqual(next.locate(id(2)), at(2));
    assert.equal(next.get(id(4)), 'dddd');
    assert.equal(next.get(id(1)), 'aaaa'); // 8 characters: id(3) went first
    assert.equal(next.get(id(3)), undefined);
    assert.deepEqual(next.locate(id(3)), at(3));
  });

  it('a file written then read back (a real file) gives the same entries; a second session expands them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cb-elisions-')), 'elisions.json');
    const io: ElisionFileIO = {
      read: () => readFile(path, 'utf8').catch(() => undefined),
      write: (text) => writeFile(path, text),
    };
    const first = new BoundedElisionFile(io, 'elisions.json');
    assert.deepEqual(await first.load(), [], 'no file yet: an empty store');
    const original = 'func get() {\n  return "ü — ✓ 😀"\n}\n';
    const store = new ElisionStore(undefined, undefined, first);
    await store.load();
    store.add([
      { id: id(7), marker: 'x', original, location: { source: 'src/a.go', startLine: 3, endLine: 5 } },
      { id: id(8), marker: 'y', original: '' },
    ]);
    await first.flushed();
    const entries = [
      { id: id(7), original, location: { source: 'src/a.go', startLine: 3, endLine: 5 } },
      { id: id(8), original: '' },
    ];
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { version: ELISION_FILE_VERSION, entries });
    const second = new BoundedElisionFile(io, 'elisions.json');
    assert.deepEqual(await second.load(), entries);
    const again = new ElisionStore(undefined, undefined, second);
    await again.load();
    assert.equal(again.get(id(7)), original);
    assert.equal(again.get(id(8)), '');
  });

  it('a corrupt or truncated file is an empty store, said once, without a throw; the next save replaces it', async () => {
    const good = encodeElisions([
      { id: id(1), original: 'x'.repeat(50), location: at(1) },
      { id: id(2), original: 'y'.repeat(50) },
    ]);
    for (const text of ['', '{', 'not json', good.slice(0, good.length - 3), good.slice(0, 40), '\u0000\u0001']) {
      const errors: string[] = [];
      const io = memory(text);
      const file = new BoundedElisionFile(io, 'elisions.json', (m) => errors.push(m));
      assert.deepEqual(await file.load(), [], JSON.stringify(text));
      assert.equal(errors.length, 1, JSON.stringify(text));
      assert.match(errors[0]!, /^elisions: ignoring an unreadable elisions\.json: SyntaxError/);
      const store = new ElisionStore(undefined, undefined, file);
      await store.load();
      store.add([{ id: id(3), marker: 'm', original: 'z' }]);
      await file.flushed();
      assert.deepEqual(decodeElisions(io.text!), { entries: [{ id: id(3), original: 'z' }] });
    }
  });

  it('JSON of another version or shape is an empty store; entries that are not ids are skipped', async () => {
    for (const text of ['null', '42', '"x"', '[]', '{}', '{"version":2,"entries":[]}', '{"version":1,"entries":{}}']) {
      const errors: string[] = [];
      assert.deepEqual(await new BoundedElisionFile(memory(text), 'f', (m) => errors.push(m)).load(), [], text);
      assert.deepEqual(errors, [], text);
    }
    const text = JSON.stringify({
      version: 1,
      entries: [
        null,
        'k3f9a2c1',
        { id: 'K3F9A2C1', original: 'upper case id' },
        { id: '3kf9a2c1', original: 'starts with a digit' },
        { id: 'k3f9a2c', original: 'too short' },
        { id: id(1) }, // neither original nor place
        { id: id(2), original: 42 },
        { id: id(3), location: null },
        { id: id(4), location: { source: 'a.ts', startLine: 1.5, endLine: 2 } },
        { id: id(5), location: { startLine: 1, endLine: 2 } },
        { id: id(6), original: 'kept' },
        { id: id(7), location: at(7) },
      ],
    });
    assert.deepEqual(decodeElisions(text).entries, [
      { id: id(6), original: 'kept' },
      { id: id(7), location: at(7) },
    ]);
  });

  it('a file past the bounds (a hand edit, other bounds) is cut to them on load, newest kept', async () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ id: id(i), original: 'abc' }));
    const path = join(mkdtempSync(join(tmpdir(), 'cb-elisions-')), 'elisions.json');
    writeFileSync(path, JSON.stringify({ version: 1, entries }));
    const file = new BoundedElisionFile(
      { read: () => readFile(path, 'utf8'), write: () => Promise.reject(new Error('read-only')) },
      'elisions.json',
      undefined,
      { maxChars: 30, maxLocations: 20 },
    );
    assert.deepEqual(await file.load(), entries.slice(20));
  });

  it('a failed read is no file; a failed write is reported, not thrown, and later saves still write', async () => {
    assert.deepEqual(
      await new BoundedElisionFile(
        { read: () => Promise.reject(new Error('EACCES')), write: async () => {} },
        'f',
      ).load(),
      [],
    );
    const errors: string[] = [];
    let fail = true;
    const io = memory();
    const file = new BoundedElisionFile(
      {
        read: io.read,
        write: (text) => (fail ? Promise.reject(new Error('disk full')) : io.write(text)),
      },
      'elisions.json',
      (m) => errors.push(m),
    );
    file.save([{ id: id(1), original: 'a' }]);
    await file.flushed();
    assert.deepEqual(errors, ['elisions: could not write elisions.json: Error: disk full']);
    fail = false;
    file.save([{ id: id(2), original: 'b' }]);
    await file.flushed();
    assert.deepEqual(await file.load(), [{ id: id(2), original: 'b' }]);
  });
});

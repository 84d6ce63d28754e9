// The session's originals: bounded, least recently used out first; ids are stable and shaped for models to copy.
import { strict as assert } from 'node:assert';
import {
  ElisionStore,
  declaredNames,
  elisionId,
  lineRange,
  markWithId,
  markerId,
  markerIds,
  type StoredElision,
} from '../../../src/core/elisions';

describe('elisions: ids and the session store', () => {
  it('ids are 8 characters starting with a letter, stable for the same original and offset, unique when taken', () => {
    const a = elisionId('return a + b;', 40);
    assert.match(a, /^[a-z][0-9a-z]{7}$/);
    assert.equal(elisionId('return a + b;', 40), a);
    assert.notEqual(elisionId('return a + b;', 41), a);
    const taken = new Set<string>([a]);
    const b = elisionId('return a + b;', 40, taken);
    assert.notEqual(b, a);
    assert.ok(taken.has(b));
  });

  it('markers say the lines, the names inside and the expand call after their ellipsis, or in a line comment', () => {
    const spec = { id: 'k3f9a2c1', startLine: 120, endLine: 188 };
    assert.equal(markWithId('{ /* … */ }', spec), '{ /* … lines 120–188 elided — expand("k3f9a2c1") */ }');
    assert.equal(
      markWithId('{ /* … */ }', { ...spec, tool: 'contextBudget_expand', names: ['retry', 'backoff'] }),
      '{ /* … lines 120–188 (retry, backoff) elided — contextBudget_expand("k3f9a2c1") */ }',
    );
    assert.equal(
      markWithId('\n    ...\n', { ...spec, names: ['a', 'b', 'c'], startLine: 4, endLine: 4 }, '#'),
      '\n    ...  # … line 4 (a, b, …) elided — expand("k3f9a2c1")\n',
    );
    // JSON: inside a string, quotes escaped; the "N more" words stay first.
    const json = markWithId('"… 5 more items"', { ...spec, tool: 'expand_elision', json: true });
    assert.equal(json, '"… 5 more items, lines 120–188 elided — expand_elision(\\"k3f9a2c1\\")"');
    assert.equal(JSON.parse(json), '… 5 more items, lines 120–188 elided — expand_elision("k3f9a2c1")');
    assert.equal(markerId(json), 'k3f9a2c1');
    assert.equal(markerId('x { /* … lines 1–2 elided — contextBudget_expand("k3f9a2c1") */ }'), 'k3f9a2c1');
    assert.equal(markerId('x { /* … #k3f9a2c1 */ }'), 'k3f9a2c1', 'the older form still parses');
    assert.equal(markerId('… #short'), undefined);
    // Kept code that happens to call something with an 8-letter string is not a marker.
    assert.deepEqual(markerIds('load("abcdefgh"); x.expand("abcdefgh")'), []);
  });

  it('lines are 1-based and a region ending in a newline ends on the line it closes; names are declarations', () => {
    const text = 'a\nbb\nccc\n';
    assert.deepEqual(lineRange(text, 0, 2), { startLine: 1, endLine: 1 });
    assert.deepEqual(lineRange(text, 2, 9), { startLine: 2, endLine: 3 });
    assert.deepEqual(lineRange(text, 9, 9), { startLine: 4, endLine: 4 });
    // A body that starts after its line's colon covers the lines below it.
    assert.deepEqual(lineRange('def f():\n    pass\n', 8, 18), { startLine: 2, endLine: 2 });
    assert.deepEqual(
      declaredNames(
        [
          '  if (x) {',
          '  async retry(n: number): Promise<void> {',
          'def backoff(delay):',
          'func (c *Cache) Get(key string) ([]byte, bool) {',
          'const wait = async (ms) => {',
        ].join('\n'),
      ),
      ['retry', 'backoff', 'Get'],
    );
    // Rust's pub(crate), a property assigned a function, and a brace on the next line (C#).
    assert.deepEqual(declaredNames('pub(crate) fn walk(root: &Path) -> Vec<u8> {\n'), ['walk']);
    assert.deepEqual(declaredNames('res.jsonp = function jsonp(obj) {\nexports.parse = (s) => {\n'), [
      'jsonp',
      'parse',
    ]);
    assert.deepEqual(declaredNames('    public async Task<int> Count(string key)\n    {\n'), ['Count']);
    assert.deepEqual(declaredNames('    return sum(history) / len(history)\n    for (const x of y) {\n'), []);
  });

  it('keeps where each id came from after its original is gone, and persists both through its persistence', async () => {
    let saved: readonly StoredElision[] = [];
    const persistence = { load: async () => saved, save: (e: readonly StoredElision[]) => (saved = e) };
    const store = new ElisionStore(15, 10, persistence);
    await store.load();
    const at = (startLine: number) => ({ source: 'src/a.ts', startLine, endLine: startLine + 3 });
    store.add([
      { id: 'aaaaaaaa', marker: 'm', original: '0123456789', location: at(3) },
      { id: 'bbbbbbbb', marker: 'm', original: '0123456789', location: at(30) },
    ]);
    assert.equal(store.get('aaaaaaaa'), undefined, 'evicted');
    assert.deepEqual(store.locate('aaaaaaaa'), at(3), 'its place is still known');
    assert.deepEqual(
      saved.map((e) => [e.id, e.original !== undefined]),
      [
        ['aaaaaaaa', false],
        ['bbbbbbbb', true],
      ],
    );
    // A new session: the store comes back from what was saved, and entries added before load() stay newest.
    const next = new ElisionStore(15, 10, persistence);
    next.add([{ id: 'cccccccc', marker: 'm', original: 'abc', location: at(50) }]);
    await next.load();
    assert.equal(next.get('bbbbbbbb'), '0123456789');
    assert.equal(next.get('cccccccc'), 'abc');
    assert.deepEqual(next.locate('aaaaaaaa'), at(3));
    assert.deepEqual(next.sources(), ['src/a.ts']);
    // A lookup refreshes its entry, and the refreshed order is saved: the next session evicts the other one first.
    next.get('bbbbbbbb');
    assert.deepEqual(
      saved.filter((e) => e.original !== undefined).map((e) => e.id),
      ['cccccccc', 'bbbbbbbb'],
    );
  });

  it('keeps at most maxChars characters, evicting the least recently used', () => {
    const store = new ElisionStore(25);
    store.add([
      { id: 'aaaaaaaa', marker: '… #aaaaaaaa', original: '0123456789' },
      { id: 'bbbbbbbb', marker: '… #bbbbbbbb', original: '0123456789' },
    ]);
    assert.equal(store.get('aaaaaaaa'), '0123456789'); // a is now the most recent
    store.add([{ id: 'cccccccc', marker: '… #cccccccc', original: '0123456789' }]);
    assert.equal(store.get('bbbbbbbb'), undefined, 'b was least recently used');
    assert.equal(store.get('aaaaaaaa'), '0123456789');
    assert.equal(store.get('cccccccc'), '0123456789');
    store.add([{ id: 'dddddddd', marker: '… #dddddddd', original: 'x'.repeat(26) }]);
    assert.equal(store.get('dddddddd'), undefined, 'an original larger than the store is not kept');
    assert.equal(store.size, 2);
  });
});

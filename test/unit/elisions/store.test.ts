// The session's originals: bounded, least recently used out first; ids are stable and shaped for models to copy.
import { strict as assert } from 'node:assert';
import { ElisionStore, elisionId, markWithId, markerId } from '../../../src/core/elisions';

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

  it('markers carry the id after their ellipsis, or in a line comment when they have none', () => {
    assert.equal(markWithId('{ /* … */ }', 'k3f9a2c1'), '{ /* … #k3f9a2c1 */ }');
    assert.equal(markWithId('\n    ...\n', 'k3f9a2c1', '#'), '\n    ...  # … #k3f9a2c1\n');
    assert.equal(markerId('x { /* … #k3f9a2c1 */ }'), 'k3f9a2c1');
    assert.equal(markerId('… #short'), undefined);
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

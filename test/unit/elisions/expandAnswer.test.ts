// What every surface answers when a reader asks for an elided region: the original, or where to read it instead.
import { strict as assert } from 'node:assert';
import { ElisionStore } from '../../../src/core/elisions';
import { TEXT_SOURCE, expandAnswer } from '../../../src/core/expandAnswer';

const SURFACE = { expandTool: 'expand_elision', compressTool: 'compress_context', keptWhere: 'kept in memory' };

describe('elisions: the expand answer', () => {
  // Room for one 10-character original: adding a second evicts the first, whose place stays known.
  const store = new ElisionStore(10);
  store.add([
    { id: 'aaaaaaaa', marker: 'm', original: '0123456789', location: { source: 'src/a.ts', startLine: 3, endLine: 9 } },
    { id: 'bbbbbbbb', marker: 'm', original: 'x = 1;', location: { source: TEXT_SOURCE, startLine: 1, endLine: 2 } },
  ]);

  it('gives the original while the store holds it', () => {
    assert.deepEqual(expandAnswer(store, '#bbbbbbbb', SURFACE), { text: 'x = 1;', found: true });
  });

  it('gives the file and lines of an evicted original, and names inline text as what the compress tool was passed', () => {
    const gone = expandAnswer(store, 'aaaaaaaa', SURFACE);
    assert.equal(gone.found, false);
    assert.equal(
      gone.text,
      'The original of #aaaaaaaa is no longer held (kept in memory). Read src/a.ts, lines 3-9, instead.',
    );
    const small = new ElisionStore(1);
    small.add([
      { id: 'cccccccc', marker: 'm', original: 'ab', location: { source: TEXT_SOURCE, startLine: 4, endLine: 5 } },
    ]);
    assert.match(
      expandAnswer(small, 'cccccccc', SURFACE).text,
      /Read the text you passed to compress_context, lines 4-5, instead\.$/,
    );
  });

  it('an unknown id lists the files compressed so far (not inline text); a malformed one shows the form', () => {
    const unknown = expandAnswer(store, 'zzzzzzzz', SURFACE);
    assert.equal(unknown.found, false);
    assert.match(unknown.text, /^Unknown id #zzzzzzzz: .* files compressed so far: src\/a\.ts\.$/);
    assert.equal(
      expandAnswer(store, 'lines 3-9', SURFACE).text,
      `'lines 3-9' is not an elision id: pass the 8 characters a marker passes, as in expand_elision("k3f9a2c1").`,
    );
    assert.match(expandAnswer(store, undefined, SURFACE).text, /^Pass the 8 characters/);
  });
});

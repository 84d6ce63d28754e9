// Activation cost: the extension records how long its bundle took to load and activate() took (src/activate.ts);
// this prints them and checks that the tokenizer rank tables are not loaded on the way (esbuild.mjs's stand-in).
// First in the suite (files run in name order), so nothing has counted yet in this host.
import * as assert from 'node:assert/strict';
import { api } from '../helpers';

describe('activation', () => {
  it('loads no tokenizer rank tables, and reports how long loading and activate() took', async () => {
    const timings = (await api()).timings();
    console.log(
      `    activation: dist/extension.js top level ${timings.evalMs?.toFixed(1)} ms, bundle start to activate() ${timings.loadMs?.toFixed(1)} ms, activate() ${timings.activateMs.toFixed(1)} ms, rank tables loaded by then: ${timings.rankTablesLoaded}`,
    );
    assert.ok(timings.loadMs !== undefined && timings.loadMs >= 0, 'the bundle recorded when it started loading');
    assert.ok(timings.evalMs !== undefined && timings.evalMs >= 0, 'and when its top level had run');
    assert.ok(timings.activateMs >= 0);
    assert.equal(timings.rankTablesLoaded, false, 'dist/tokenizers.js is loaded on the first count, not at activation');
  });
});

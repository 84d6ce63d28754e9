import * as assert from 'node:assert/strict';
import { NewestWins } from '../../../src/core/newestWins';
import { findCatalogModel } from '../../../src/core/tokens/catalog';
import { catalogTarget, type CountTarget } from '../../../src/core/tokens/target';

/** A target whose counts wait until the test releases them and ignore cancellation: the race is forced. */
function gated(target: CountTarget) {
  const waiting: Array<() => void> = [];
  const slow: CountTarget = {
    ...target,
    count: async (text) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      return target.count(text);
    },
  };
  return { slow, waiting, release: () => waiting.splice(0).forEach((go) => go()) };
}

describe('NewestWins: recounts that finish out of order', () => {
  const text = 'Сводка бюджета: 日本語のテキスト — tokens differ between o200k and cl100k.';

  it('never lets an older count (older target) replace a newer one, whichever finishes first', async () => {
    const gpt4o = await catalogTarget(findCatalogModel('gpt-4o')!);
    const gpt4 = await catalogTarget(findCatalogModel('gpt-4')!);
    const shown: string[] = [];
    const view = new NewestWins<string>((s) => shown.push(s));
    const { slow, waiting, release } = gated(gpt4o);
    const describe = async (t: CountTarget) => `${await t.count(text)} tokens for ${t.id}`;

    const older = view.run(() => describe(slow));
    assert.equal(waiting.length, 1, 'the gpt-4o count is held');
    const newer = view.run(() => describe(gpt4));
    assert.equal(await newer, true);
    const expected = `${await gpt4.count(text)} tokens for gpt-4`;
    assert.deepEqual(shown, [expected]);
    release();
    assert.equal(await older, false, 'the late gpt-4o count is dropped');
    assert.deepEqual(shown, [expected]);
    assert.notEqual(await gpt4o.count(text), await gpt4.count(text), 'the two tokenizers disagree on this text');
  });

  it('drops an outdated failure and reports the newest one', async () => {
    const view = new NewestWins<string>(() => assert.fail('nothing to show'));
    let fail!: (err: Error) => void;
    const older = view.run(() => new Promise<string>((_, reject) => (fail = reject)));
    const newer = view.run(() => Promise.reject(new Error('unknown target model')));
    await assert.rejects(newer, /unknown target model/);
    fail(new Error('stale failure'));
    assert.equal(await older, false);
  });

  it('shows nothing from requests in flight when invalidated, and nothing for an undefined value', async () => {
    const shown: string[] = [];
    const view = new NewestWins<string>((s) => shown.push(s));
    let finish!: (v: string) => void;
    const pending = view.run(() => new Promise<string>((resolve) => (finish = resolve)));
    view.invalidate();
    finish('late');
    assert.equal(await pending, false);
    assert.equal(await view.run(async () => undefined), false);
    assert.equal(await view.run(async () => 'now'), true);
    assert.deepEqual(shown, ['now']);
  });
});

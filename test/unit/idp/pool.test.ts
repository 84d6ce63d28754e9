import * as assert from 'node:assert/strict';
import { builtinPool, mergePools, parsePool, parsePoolText, PoolError } from '../../../src/core/idp';

const prompt = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: id,
  description: `${id} things`,
  instruction: `Do ${id}.`,
  exemplars: [`please ${id}`],
  ...extra,
});

describe('prompt pools', () => {
  it('the built-in pool validates and covers the tasks the issue names', () => {
    const pool = builtinPool();
    const ids = pool.prompts.map((p) => p.id);
    for (const id of ['explain', 'find-bug', 'summarise', 'answer-from-context', 'write-tests', 'refactor', 'review']) {
      assert.ok(ids.includes(id), `missing ${id}`);
    }
    for (const p of pool.prompts) {
      assert.ok(p.exemplars.length >= 3, `${p.id} has too few exemplars`);
      // Every instruction warns the model that the context is compressed (the point of the pool).
      assert.match(p.instruction, /compressed/, p.id);
    }
  });

  it('rejects a bad pool with the source and every problem, by path', () => {
    const bad = { version: 1, name: 'mine', prompts: [prompt('a'), prompt('a'), prompt('B c', { exemplars: [] })] };
    assert.throws(
      () => parsePool(bad, 'team.prompts.json'),
      (e: unknown) => {
        assert.ok(e instanceof PoolError);
        assert.equal(e.source, 'team.prompts.json');
        assert.ok(
          e.problems.some((p) => p === "prompts[1].id: duplicate prompt id 'a'"),
          e.message,
        );
        assert.ok(
          e.problems.some((p) => p.startsWith('prompts[2].id: use lowercase')),
          e.message,
        );
        assert.ok(
          e.problems.some((p) => p.startsWith('prompts[2].exemplars: give at least one')),
          e.message,
        );
        assert.match(e.message, /^Invalid prompt pool team\.prompts\.json: /);
        return true;
      },
    );
    assert.throws(() => parsePool({ version: 2, name: 'x', prompts: [prompt('a')] }, 'v2.json'), /version/);
    assert.throws(
      () => parsePoolText('{"version": 1,', 'broken.json'),
      /Invalid prompt pool broken\.json: not valid JSON/,
    );
  });

  it('merges pools: a later prompt with the same id replaces the earlier one, new ids are added', () => {
    const base = parsePool({ version: 1, name: 'base', prompts: [prompt('a'), prompt('b')] }, 'base');
    const user = parsePool(
      { version: 1, name: 'user', prompts: [prompt('b', { title: 'Better B' }), prompt('c')] },
      'user',
    );
    const merged = mergePools([base, user]);
    assert.deepEqual(
      merged.map((p) => [p.id, p.title]),
      [
        ['a', 'a'],
        ['b', 'Better B'],
        ['c', 'c'],
      ],
    );
  });
});

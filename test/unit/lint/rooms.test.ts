// The rooms of src/core import downwards only: a shared piece sits below every room that uses it (the ONNX graph
// reader and encoder types below llmlingua2 and idp, BM25 below idp, the planner and the packer).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const core = join(__dirname, '..', '..', '..', 'src', 'core');

/** Rooms that must not import from the rooms listed (those sit above them). */
const BELOW: Record<string, string[]> = {
  onnx: ['llmlingua2', 'idp', 'planner', 'pack'],
  search: ['idp', 'planner', 'pack', 'llmlingua2', 'structural'],
  structural: ['pack', 'planner', 'idp', 'llmlingua2'],
  llmlingua2: ['idp', 'planner', 'pack'],
  pack: ['planner', 'idp'],
  tokens: ['pack', 'planner', 'idp', 'llmlingua2', 'structural'],
};

describe('src/core rooms import downwards', () => {
  for (const [room, above] of Object.entries(BELOW)) {
    it(`${room}/ imports nothing from ${above.join(', ')}`, () => {
      const climbs: string[] = [];
      for (const file of readdirSync(join(core, room), { recursive: true }) as string[]) {
        if (!file.endsWith('.ts')) continue;
        const text = readFileSync(join(core, room, file), 'utf8');
        for (const m of text.matchAll(/(?:from|import\() ?'(\.[^']+)'/g)) {
          const target = relative(core, resolve(dirname(join(core, room, file)), m[1]!)).split(sep)[0]!;
          if (above.includes(target)) climbs.push(`${room}/${file} → ${m[1]}`);
        }
      }
      assert.deepEqual(climbs, []);
    });
  }
});

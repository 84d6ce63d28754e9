// The README is the user's door: short (design, benchmarks and localisation live in docs/), and every relative
// link in it and in docs/ points at a file that exists.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const MAX_README = 15_000;

function relativeLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href) && !href.startsWith('#'))
    .map((href) => href.split('#')[0]!);
}

describe('README and docs', () => {
  it(`the README stays under ${MAX_README.toLocaleString('en-US')} characters`, () => {
    const length = readFileSync(join(root, 'README.md'), 'utf8').length;
    assert.ok(length <= MAX_README, `README.md has ${length} characters`);
  });

  it('every relative link in the README and docs/ resolves to a file', () => {
    const files = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).map((f) => join(root, 'docs', f))];
    const broken: string[] = [];
    for (const file of files) {
      for (const href of relativeLinks(file)) {
        if (!existsSync(join(dirname(file), href))) broken.push(`${file.slice(root.length + 1)} → ${href}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});

import { readFileSync } from 'node:fs';
import { createStructuralCompressor, languageIdForPath } from '/work/main/src/core/structural/index';
const c = createStructuralCompressor();
const [file, level] = process.argv.slice(2);
const text = readFileSync(file!, 'utf8');
const a = await c.analyse(text, languageIdForPath(file!));
const l = a.levels.find((x) => x.level === level) ?? a.levels[a.levels.length - 1]!;
console.log(l.text);
console.error(a.kind, a.notes, a.levels.map((x) => `${x.level}:${x.text.length}`).join(' '));

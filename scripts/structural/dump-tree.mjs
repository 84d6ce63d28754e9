// Dev aid: prints the named-node tree of a file, to find node type names for languages.ts.
// node scripts/structural/dump-tree.mjs FILE GRAMMAR.wasm [DEPTH]
import { Parser, Language } from 'web-tree-sitter';
import fs from 'node:fs';
await Parser.init();
const [file, grammar, depth = '3'] = process.argv.slice(2);
const p = new Parser();
p.setLanguage(await Language.load(fs.readFileSync(grammar)));
const tree = p.parse(fs.readFileSync(file, 'utf8'));
const walk = (n, d, field) => {
  if (d > +depth) return;
  console.log(
    '  '.repeat(d) +
      (field ? field + ': ' : '') +
      n.type +
      (n.isNamed ? '' : ' (anon)') +
      ` [${n.startPosition.row}-${n.endPosition.row}] ` +
      JSON.stringify(n.text.slice(0, 30)),
  );
  const c = n.walk();
  if (c.gotoFirstChild()) {
    do {
      if (c.currentNode.isNamed) walk(c.currentNode, d + 1, c.currentFieldName);
    } while (c.gotoNextSibling());
  }
};
walk(tree.rootNode, 0);

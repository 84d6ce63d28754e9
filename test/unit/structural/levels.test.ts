// Per-language evidence on realistic fixtures: each level parses no worse than the input, declared names survive
// at the signatures level, levels only ever remove more, and tokens go down.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Parser } from 'web-tree-sitter';
import {
  createStructuralCompressor,
  languageIdForPath,
  type StructuralAnalysis,
} from '../../../src/core/structural/index';
import { elisionsOf, expandElisions } from '../../../src/core/elisions';
import { TREE_LANGUAGES } from '../../../src/core/structural/languages';
import { TreeSitterRuntime } from '../../../src/core/structural/runtime';
import { countErrors } from '../../../src/core/structural/tree';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';

const FIXTURES = join(__dirname, '../../fixtures/structural');

// Declarations whose names must survive at the signatures level, and the function-like nodes whose insides
// (locals) do not count. Written independently of languages.ts so that a wrong spec there fails here.
const DECLARATIONS: Record<string, { decl: RegExp; fn: RegExp }> = {
  typescript: {
    decl: /^(function_declaration|class_declaration|abstract_class_declaration|interface_declaration|type_alias_declaration|enum_declaration|method_definition|variable_declarator|public_field_definition|property_signature)$/,
    fn: /^(function_declaration|function_expression|arrow_function|method_definition|generator_function_declaration)$/,
  },
  python: { decl: /^(function_definition|class_definition)$/, fn: /^(function_definition|lambda)$/ },
  go: {
    decl: /^(function_declaration|method_declaration|type_spec|const_spec|field_declaration|method_elem)$/,
    fn: /^(function_declaration|method_declaration|func_literal)$/,
  },
  rust: {
    decl: /^(function_item|function_signature_item|struct_item|enum_item|trait_item|mod_item|enum_variant|field_declaration|const_item|static_item|type_item)$/,
    fn: /^(function_item|closure_expression)$/,
  },
  java: {
    decl: /^(class_declaration|interface_declaration|enum_declaration|record_declaration|method_declaration|constructor_declaration)$/,
    fn: /^(method_declaration|constructor_declaration|compact_constructor_declaration|lambda_expression)$/,
  },
  c: { decl: /^(function_declarator|struct_specifier|type_definition|preproc_def)$/, fn: /^(compound_statement)$/ },
  cpp: {
    decl: /^(function_declarator|class_specifier|struct_specifier|namespace_definition|field_declaration)$/,
    fn: /^(compound_statement|lambda_expression)$/,
  },
  csharp: {
    decl: /^(class_declaration|interface_declaration|record_declaration|enum_declaration|method_declaration|constructor_declaration|property_declaration|event_field_declaration|namespace_declaration)$/,
    fn: /^(method_declaration|constructor_declaration|local_function_statement|lambda_expression|accessor_declaration)$/,
  },
  ruby: { decl: /^(method|singleton_method|class|module)$/, fn: /^(method|singleton_method)$/ },
  php: {
    decl: /^(function_definition|class_declaration|interface_declaration|method_declaration|const_element)$/,
    fn: /^(function_definition|method_declaration|anonymous_function)$/,
  },
  shellscript: { decl: /^(function_definition)$/, fn: /^(compound_statement)$/ },
  powershell: {
    decl: /^(function_statement|class_statement|class_method_definition|class_property_definition)$/,
    fn: /^(script_block)$/,
  },
  css: { decl: /^(class_name|id_name|keyframes_name)$/, fn: /^(block)$/ },
};
DECLARATIONS.typescriptreact = DECLARATIONS.javascript = DECLARATIONS.typescript!;

const runtime = new TreeSitterRuntime({ readWasm });
const compressor = createStructuralCompressor({ readWasm });
let tokenizer: Tokenizer;

function declaredNames(root: Node, languageId: string): string[] {
  const rule = DECLARATIONS[languageId]!;
  const names = new Set<string>();
  const visit = (node: Node, insideFunction: boolean) => {
    if (!insideFunction && rule.decl.test(node.type)) {
      const named =
        node.childForFieldName('name') ??
        node.childForFieldName('declarator') ??
        // PowerShell names its declarations by child type, not by field.
        node.namedChildren.find((c) => c && /^(function_name|simple_name|variable)$/.test(c.type)) ??
        null;
      const text = named ? named.text : node.text;
      // Only plain identifiers: a declarator such as `*ring_new(...)` is reached through its own node.
      if (/^[\w$-]+$/.test(text)) names.add(text);
    }
    const childInside = insideFunction || rule.fn.test(node.type);
    for (const child of node.namedChildren) {
      if (child) visit(child, childInside);
    }
  };
  visit(root, false);
  return [...names];
}

function keptMask(length: number, analysis: StructuralAnalysis, level: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const s of analysis.levels[level]!.segments) {
    if (s.status === 'kept') mask.fill(1, s.start, s.end);
  }
  return mask;
}

const fixtures = [
  'sample.ts',
  'sample.tsx',
  'sample.js',
  'sample.py',
  'sample.go',
  'sample.rs',
  'Sample.java',
  'sample.c',
  'sample.cpp',
  'Sample.cs',
  'sample.rb',
  'sample.php',
  'sample.sh',
  'sample.ps1',
  'sample.css',
  // Second files, so the reduction table's medians are not one file's figure.
  'handlers.py',
  'server.go',
  'lru.rs',
  'EventBus.java',
  'strbuf.c',
];

describe('structural levels per language', () => {
  const parsers = new Map<string, Parser>();

  before(async () => {
    tokenizer = await loadTokenizer('o200k_base');
  });

  after(() => {
    for (const p of parsers.values()) p.delete();
  });

  async function errorsIn(grammar: string, text: string): Promise<number> {
    let parser = parsers.get(grammar);
    if (!parser) {
      parser = await runtime.parser(grammar);
      parsers.set(grammar, parser);
    }
    const tree = parser.parse(text)!;
    try {
      return countErrors(tree);
    } finally {
      tree.delete();
    }
  }

  it('covers every tree language with a fixture', () => {
    const covered = new Set(fixtures.map((f) => languageIdForPath(f)));
    for (const id of Object.keys(TREE_LANGUAGES)) {
      // javascriptreact shares the javascript grammar and spec; it has no file extension of its own here.
      if (id === 'javascriptreact') continue;
      assert.ok(covered.has(id), `no fixture for ${id}`);
    }
  });

  for (const file of fixtures) {
    const languageId = languageIdForPath(file)!;
    describe(`${file} (${languageId})`, () => {
      let text: string;
      let analysis: StructuralAnalysis;

      before(async () => {
        text = readFileSync(join(FIXTURES, file), 'utf8');
        analysis = await compressor.analyse(text, languageId);
      });

      it('yields the four levels from the tree', () => {
        assert.equal(analysis.kind, 'tree');
        assert.deepEqual(
          analysis.levels.map((l) => l.level),
          ['full', 'no-comments', 'signatures', 'outline'],
        );
        assert.equal(analysis.levels[0]!.text, text);
        assert.equal(analysis.inputErrors, 0, 'fixture itself should parse cleanly');
      });

      it('each level parses with no more ERROR/MISSING nodes than the input', async () => {
        const grammar = TREE_LANGUAGES[languageId]!.grammar;
        const input = await errorsIn(grammar, text);
        for (const level of analysis.levels) {
          const errors = await errorsIn(grammar, level.text);
          assert.ok(errors <= input, `${level.level}: ${errors} error nodes > ${input}\n${level.text}`);
        }
      });

      it('keeps every declared name at the signatures level', async () => {
        const grammar = TREE_LANGUAGES[languageId]!.grammar;
        const parser = await runtime.parser(grammar);
        const tree = parser.parse(text)!;
        const names = declaredNames(tree.rootNode, languageId);
        tree.delete();
        parser.delete();
        assert.ok(names.length >= 3, `expected several declarations in ${file}, found ${names.join(', ')}`);
        const signatures = analysis.levels[2]!.text;
        const missing = names.filter(
          (n) => !new RegExp(`(^|[^\\w$])${n.replace(/[.$]/g, '\\$&')}($|[^\\w$])`).test(signatures),
        );
        assert.deepEqual(missing, [], `names lost at signatures level`);
      });

      it('is a strict reduction: every level keeps a subset of the previous one and costs fewer tokens', () => {
        const counts = analysis.levels.map((l) => tokenizer.count(l.text));
        for (let i = 1; i < analysis.levels.length; i++) {
          const before = keptMask(text.length, analysis, i - 1);
          const now = keptMask(text.length, analysis, i);
          for (let k = 0; k < text.length; k++) {
            if (now[k] && !before[k]) {
              assert.fail(`${analysis.levels[i]!.level} keeps offset ${k} that the previous level dropped`);
            }
          }
          assert.ok(counts[i]! <= counts[i - 1]!, `${analysis.levels[i]!.level}: ${counts[i]} > ${counts[i - 1]}`);
        }
        // Comments exist in every fixture, and bodies are the bulk of the code.
        assert.ok(counts[1]! < counts[0]!, 'no-comments should remove something');
        assert.ok(counts[2]! < 0.75 * counts[1]!, `signatures should cut at least 25%: ${counts.join(' → ')}`);
      });

      it('segments cover the source in order and rebuild the output', () => {
        for (const level of analysis.levels) {
          let pos = 0;
          let out = '';
          for (const s of level.segments) {
            assert.equal(s.start, pos, `${level.level}: gap or overlap at ${pos}`);
            assert.ok(s.end > s.start || s.status === 'elided');
            out += s.status === 'kept' ? text.slice(s.start, s.end) : s.status === 'elided' ? s.replacement! : '';
            pos = s.end;
          }
          assert.equal(pos, text.length);
          assert.equal(out, level.text);
        }
      });

      it('reversible: every removed region is one marker with an id, and expanding them restores the file', async () => {
        const reversible = await compressor.analyse(text, languageId, { reversible: true });
        const counts = reversible.levels.map((l) => tokenizer.count(l.text));
        for (const [i, level] of reversible.levels.entries()) {
          assert.deepEqual(
            level.segments.filter((s) => s.status === 'dropped'),
            [],
            `${level.level}: nothing dropped without a marker`,
          );
          const elisions = elisionsOf(text, level.segments);
          assert.equal(elisions.length, level.segments.filter((s) => s.status === 'elided').length);
          assert.equal(new Set(elisions.map((e) => e.id)).size, elisions.length, `${level.level}: ids unique`);
          for (const e of elisions) assert.equal(level.text.split(e.marker).length, 2, `${e.marker} occurs once`);
          assert.equal(expandElisions(level.text, elisions), text, `${level.level} expands to the file`);
          // Built without a tokenizer, a level's markers are estimated (ids tokenise poorly): within 1% of the last.
          if (i > 0) assert.ok(counts[i]! <= counts[i - 1]! * 1.01, `${level.level}: ${counts.join(' → ')}`);
        }
        assert.ok(counts[2]! < 0.8 * counts[0]!, `signatures still cut bodies: ${counts.join(' → ')}`);
        // Ids are stable: the same input gives the same markers.
        const again = await compressor.analyse(text, languageId, { reversible: true });
        assert.deepEqual(
          again.levels.map((l) => l.text),
          reversible.levels.map((l) => l.text),
        );
      });
    });
  }
});

// What "comment", "body" and "declaration" mean in each grammar. Node type names come from the grammars shipped
// by @vscode/tree-sitter-wasm 0.3.1, tree-sitter-c 0.24.1 and tree-sitter-json 0.24.8.
import type { Node } from 'web-tree-sitter';
import { indentationAt, type Edit } from './edits';

export interface TreeLanguageSpec {
  /** Grammar file name, e.g. `tree-sitter-python.wasm`. */
  grammar: string;
  comments: ReadonlySet<string>;
  /** Node types that own a body to elide at the signatures level. */
  bodyOwners: ReadonlySet<string>;
  /** Returns the edit that elides `owner`'s body, or null to keep it (no body, or too short to matter). */
  elideBody(owner: Node, source: string): Edit | null;
  /** Node types whose named children are declarations or statements of a scope (the outline drops some). */
  containers: ReadonlySet<string>;
  /** At the outline level, whether a child of a container goes. */
  dropAtOutline(node: Node): boolean;
  /** Replacement for a container whose children would all be dropped (Python needs a statement there). */
  emptyContainerFiller?: (containerType: string, containerStart: number, source: string) => string | null;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

/** `{ /* … *\/ }` replaces a brace body: valid in every C-like grammar and clearly a marker. */
export const BRACE_MARKER = '{ /* … */ }';

function braceBody(field = 'body', bodyTypes?: ReadonlySet<string>) {
  return (owner: Node, source: string): Edit | null => {
    const body = owner.childForFieldName(field);
    if (!body || (bodyTypes && !bodyTypes.has(body.type))) {
      return null;
    }
    if (shortEnough(body.endIndex - body.startIndex, BRACE_MARKER)) {
      return null;
    }
    return braceEdit(source, body.startIndex, body.endIndex);
  };
}

/** Elides [start, end); an Allman-style brace on its own line moves up to the signature's line. */
function braceEdit(source: string, start: number, end: number): Edit {
  let s = start;
  while (s > 0 && /[ \t\r\n]/.test(source[s - 1]!)) s--;
  if (s > 0 && source.slice(s, start).includes('\n')) {
    return { start: s, end, replacement: ` ${BRACE_MARKER}` };
  }
  return { start, end, replacement: BRACE_MARKER };
}

// Eliding a body no longer than its marker would cost tokens and lose information.
const shortEnough = (length: number, marker: string) => length <= marker.length;

const JS_BODY_OWNERS = set(
  'function_declaration',
  'function_expression',
  'function',
  'generator_function_declaration',
  'generator_function',
  'method_definition',
  'arrow_function',
);
const JS_DROP = set(
  'import_statement',
  'expression_statement',
  'if_statement',
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
  'try_statement',
  'switch_statement',
  'throw_statement',
  'return_statement',
  'empty_statement',
  'labeled_statement',
  'statement_block',
  'class_static_block',
);
const JS_MODULES = set('internal_module', 'module', 'ambient_declaration');
const jsLike = (grammar: string): TreeLanguageSpec => ({
  grammar,
  comments: set('comment', 'html_comment'),
  bodyOwners: JS_BODY_OWNERS,
  // Arrow functions with an expression body keep it: it is usually short and is the signature's meaning.
  elideBody: braceBody('body', set('statement_block')),
  containers: set('program', 'class_body', 'statement_block'),
  // `namespace X {}` parses as an expression statement wrapping the module: keep those.
  dropAtOutline: (n) =>
    n.type === 'expression_statement' ? !JS_MODULES.has(n.namedChild(0)?.type ?? '') : JS_DROP.has(n.type),
});

const PY_DROP = set(
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'assert_statement',
  'delete_statement',
  'raise_statement',
  'print_statement',
  'exec_statement',
  'global_statement',
  'nonlocal_statement',
  'match_statement',
);
const python: TreeLanguageSpec = {
  grammar: 'tree-sitter-python.wasm',
  comments: set('comment'),
  bodyOwners: set('function_definition'),
  elideBody(owner, source) {
    const body = owner.childForFieldName('body');
    // The colon, not just the previous sibling: a comment may sit between them.
    const colon = owner.children.filter((c) => c?.type === ':' && body && c.endIndex <= body.startIndex).pop();
    if (!body || !colon) {
      return null;
    }
    // Replace from the colon on, so a comment between the colon and the first statement goes too and the
    // marker gets the body's own indentation (or stays on the line for `def f(): return 1`).
    const sameLine = body.startPosition.row === colon.endPosition.row;
    const replacement = sameLine ? ' ...' : `\n${indentationAt(source, body.startIndex)}...`;
    if (shortEnough(body.endIndex - colon.endIndex, replacement)) {
      return null;
    }
    return { start: colon.endIndex, end: body.endIndex, replacement };
  },
  containers: set('module', 'block'),
  dropAtOutline(n) {
    if (PY_DROP.has(n.type)) {
      return true;
    }
    // Keep assignments (module constants, class attributes); drop calls, docstrings and other expressions.
    if (n.type === 'expression_statement') {
      const first = n.namedChild(0);
      return !first || (first.type !== 'assignment' && first.type !== 'augmented_assignment');
    }
    return false;
  },
  emptyContainerFiller: (type, start, source) => (type === 'block' ? `${indentationAt(source, start)}...\n` : null),
};

const go: TreeLanguageSpec = {
  grammar: 'tree-sitter-go.wasm',
  comments: set('comment'),
  bodyOwners: set('function_declaration', 'method_declaration', 'func_literal'),
  elideBody: braceBody(),
  containers: set('source_file'),
  dropAtOutline: (n) => n.type === 'import_declaration',
};

const RUST_DROP = set('use_declaration', 'extern_crate_declaration', 'expression_statement');
const rust: TreeLanguageSpec = {
  grammar: 'tree-sitter-rust.wasm',
  comments: set('line_comment', 'block_comment'),
  bodyOwners: set('function_item'),
  elideBody: braceBody(),
  containers: set('source_file', 'declaration_list'),
  dropAtOutline: (n) => RUST_DROP.has(n.type),
};

const java: TreeLanguageSpec = {
  grammar: 'tree-sitter-java.wasm',
  comments: set('line_comment', 'block_comment'),
  bodyOwners: set(
    'method_declaration',
    'constructor_declaration',
    'compact_constructor_declaration',
    'lambda_expression',
  ),
  elideBody: braceBody('body', set('block', 'constructor_body')),
  containers: set('program', 'class_body', 'interface_body', 'enum_body', 'enum_body_declarations'),
  dropAtOutline: (n) => n.type === 'import_declaration' || n.type === 'static_initializer' || n.type === 'block',
};

const C_DROP = set('preproc_include', 'expression_statement', 'using_declaration');
const cFamily = (grammar: string, extraOwners: string[]): TreeLanguageSpec => ({
  grammar,
  comments: set('comment'),
  bodyOwners: set('function_definition', ...extraOwners),
  elideBody: braceBody('body', set('compound_statement')),
  containers: set(
    'translation_unit',
    'declaration_list',
    'preproc_ifdef',
    'preproc_if',
    'preproc_else',
    'preproc_elif',
    'linkage_specification',
  ),
  dropAtOutline: (n) => C_DROP.has(n.type),
});

const csharp: TreeLanguageSpec = {
  grammar: 'tree-sitter-c-sharp.wasm',
  comments: set('comment'),
  bodyOwners: set(
    'method_declaration',
    'constructor_declaration',
    'destructor_declaration',
    'operator_declaration',
    'conversion_operator_declaration',
    'local_function_statement',
    'accessor_declaration',
    'lambda_expression',
  ),
  elideBody: braceBody('body', set('block')),
  containers: set('compilation_unit', 'declaration_list', 'file_scoped_namespace_declaration'),
  dropAtOutline: (n) => n.type === 'using_directive' || n.type === 'global_statement',
};

const RUBY_DROP = set('if', 'unless', 'while', 'until', 'for', 'case', 'begin', 'if_modifier', 'unless_modifier');
const ruby: TreeLanguageSpec = {
  grammar: 'tree-sitter-ruby.wasm',
  comments: set('comment'),
  bodyOwners: set('method', 'singleton_method'),
  elideBody(owner, source) {
    const last = owner.lastChild;
    const body = owner.childForFieldName('body');
    const before = owner.childForFieldName('parameters') ?? owner.childForFieldName('name');
    // Endless methods (`def x = 1`) have no `end`; keep them.
    if (!body || !before || !last || last.type !== 'end') {
      return null;
    }
    const indent = indentationAt(source, owner.startIndex);
    const replacement = `\n${indent}  # …\n${indent}`;
    if (shortEnough(last.startIndex - before.endIndex, replacement)) {
      return null;
    }
    return { start: before.endIndex, end: last.startIndex, replacement };
  },
  containers: set('program', 'body_statement'),
  dropAtOutline(n) {
    if (RUBY_DROP.has(n.type)) {
      return true;
    }
    if (n.type === 'call') {
      const method = n.childForFieldName('method')?.text;
      return method === 'require' || method === 'require_relative' || method === 'puts' || method === 'p';
    }
    return false;
  },
};

const PHP_DROP = set('namespace_use_declaration', 'expression_statement', 'echo_statement', 'if_statement', 'text');
const php: TreeLanguageSpec = {
  grammar: 'tree-sitter-php.wasm',
  comments: set('comment'),
  bodyOwners: set(
    'function_definition',
    'method_declaration',
    'anonymous_function',
    'anonymous_function_creation_expression',
  ),
  elideBody: braceBody('body', set('compound_statement')),
  containers: set('program', 'declaration_list', 'compound_statement'),
  dropAtOutline: (n) => PHP_DROP.has(n.type),
};

// Quoted, so an id after "…" (reversible output) stays an argument of `:` instead of starting a comment.
const BASH_MARKER = "{ : '…'; }";
const BASH_KEEP = set('function_definition', 'variable_assignment', 'declaration_command', 'comment');
const bash: TreeLanguageSpec = {
  grammar: 'tree-sitter-bash.wasm',
  comments: set('comment'),
  bodyOwners: set('function_definition'),
  // `{ }` must hold a command in bash; `:` is the no-op command, with the marker as its argument.
  elideBody(owner) {
    const body = owner.childForFieldName('body');
    if (!body || body.type !== 'compound_statement' || shortEnough(body.endIndex - body.startIndex, BASH_MARKER)) {
      return null;
    }
    return { start: body.startIndex, end: body.endIndex, replacement: BASH_MARKER };
  },
  containers: set('program'),
  // Scripts are mostly commands; the outline keeps what the script defines.
  dropAtOutline: (n) => !BASH_KEEP.has(n.type),
};

const css: TreeLanguageSpec = {
  grammar: 'tree-sitter-css.wasm',
  comments: set('comment'),
  bodyOwners: set('rule_set', 'keyframe_block'),
  elideBody(owner) {
    const block = owner.namedChildren.find((c) => c?.type === 'block');
    if (!block || shortEnough(block.endIndex - block.startIndex, BRACE_MARKER)) {
      return null;
    }
    return { start: block.startIndex, end: block.endIndex, replacement: BRACE_MARKER };
  },
  containers: set('stylesheet', 'block'),
  // The outline keeps the selectors and at-rules: the names a stylesheet defines.
  dropAtOutline: (n) => n.type === 'import_statement' || n.type === 'charset_statement' || n.type === 'declaration',
};

// PowerShell: a function's `{ }` holds a script_block whose param block is the signature; only the body after
// it goes, replaced by a block comment (valid anywhere a statement list is).
const PS_MARKER = '<# … #>';
const PS_KEEP = set(
  'function_statement',
  'class_statement',
  'enum_statement',
  'param_block',
  'statement_list',
  'comment',
);
const powershell: TreeLanguageSpec = {
  grammar: 'tree-sitter-powershell.wasm',
  comments: set('comment'),
  bodyOwners: set('function_statement', 'class_method_definition'),
  elideBody(owner) {
    const block = owner.namedChildren.find((c) => c?.type === 'script_block');
    if (!block) return null;
    const hasParams = block.namedChildren.some((c) => c?.type === 'param_block');
    const body = block.childForFieldName('script_block_body') ?? (hasParams ? null : block);
    if (!body || shortEnough(body.endIndex - body.startIndex, PS_MARKER)) return null;
    return { start: body.startIndex, end: body.endIndex, replacement: PS_MARKER };
  },
  containers: set('program', 'statement_list'),
  dropAtOutline: (n) => !PS_KEEP.has(n.type),
};

export const TREE_LANGUAGES: Readonly<Record<string, TreeLanguageSpec>> = {
  typescript: jsLike('tree-sitter-typescript.wasm'),
  typescriptreact: jsLike('tree-sitter-tsx.wasm'),
  javascript: jsLike('tree-sitter-javascript.wasm'),
  javascriptreact: jsLike('tree-sitter-javascript.wasm'),
  python,
  go,
  rust,
  java,
  c: cFamily('tree-sitter-c.wasm', []),
  cpp: cFamily('tree-sitter-cpp.wasm', ['lambda_expression']),
  csharp,
  ruby,
  php,
  shellscript: bash,
  powershell,
  css,
};

/** VS Code language ids handled by each path. JSON and Markdown have their own handlers. */
export const JSON_LANGUAGES = new Set(['json', 'jsonc', 'jsonl']);
export const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'restructuredtext', 'asciidoc', 'latex']);

const EXTENSIONS: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  pyi: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  cs: 'csharp',
  rb: 'ruby',
  php: 'php',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  ps1: 'powershell',
  psm1: 'powershell',
  css: 'css',
  json: 'json',
  jsonc: 'jsonc',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'plaintext',
  diff: 'diff',
  patch: 'diff',
  rst: 'restructuredtext',
};

/** VS Code language id for a file path, from its extension; undefined when unknown. */
export function languageIdForPath(path: string): string | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf('.');
  if (dot < 0) {
    return undefined;
  }
  return EXTENSIONS[base.slice(dot + 1).toLowerCase()];
}

/** Common aliases (Markdown fence tags, other tools' ids) for VS Code's language ids. */
const ALIASES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  node: 'javascript',
  py: 'python',
  python3: 'python',
  golang: 'go',
  rs: 'rust',
  'c++': 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  rb: 'ruby',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  ps1: 'powershell',
  pwsh: 'powershell',
  md: 'markdown',
  text: 'plaintext',
  txt: 'plaintext',
};

/** Lower-cased VS Code language id for an id or a common alias; undefined stays undefined. */
export function normaliseLanguageId(id: string | undefined): string | undefined {
  if (!id) {
    return undefined;
  }
  const lower = id.trim().toLowerCase();
  return ALIASES[lower] ?? lower;
}

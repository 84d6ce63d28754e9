// Structural compression: the offline path that needs no model. Code is reduced by its syntax tree (tree-sitter),
// JSON by its tree, prose by blocks, anything else by whitespace and repeated lines.
import type { Parser, Tree } from 'web-tree-sitter';
import type { CompressionRequest, CompressionResult, Compressor, Segment } from '../compressor';
import { CancelledError, countTokens, type Cancellation } from '../tokens/count';
import { looksBinary } from '../tokens/guard';
import type { Tokenizer } from '../tokens/tokenizers';
import { mergeEdits, render, whitespaceEdits, type Edit } from './edits';
import { repeatedLineEdits } from './fallback';
import { analyseDiff, looksLikeDiff } from './diff';
import { analyseJson } from './json';
import { JSON_LANGUAGES, PROSE_LANGUAGES, TREE_LANGUAGES, languageIdForPath, normaliseLanguageId } from './languages';
import { proseCommentEdits, proseLeadEdits, proseSectionEdits, scanBlocks } from './prose';
import { TreeSitterRuntime, WASM_SOURCES, type ReadWasm, type WasmLocation } from './runtime';
import { commentStyle, noLongerThan, reversibleEdits } from './reversible';
import { analyseTree } from './tree';
import { yieldToHost } from '../yieldToHost';

export { languageIdForPath, looksBinary, normaliseLanguageId, WASM_SOURCES, type ReadWasm, type WasmLocation };
export type { Edit };

/** The ladder, from lossless to most lossy. Each level removes everything the previous one did, and more. */
export type Level = 'full' | 'no-comments' | 'signatures' | 'outline';
export const LEVELS: readonly Level[] = ['full', 'no-comments', 'signatures', 'outline'];

export type InputKind = 'tree' | 'json' | 'prose' | 'diff' | 'fallback';

export interface LevelOutput {
  level: Level;
  /** e.g. "structural:signatures", "prose:first-sentences", "none" for the full text. */
  method: string;
  /** One line for people: what this level removed. */
  description: string;
  text: string;
  segments: Segment[];
  /**
   * What this level removes, as plain edits on the source (before any reversible markers): each level's edits cover
   * the previous level's, which makes the levels a tree of units the packer can open one by one (pack/fill.ts).
   */
  edits: readonly Edit[];
}

export interface StructuralAnalysis {
  languageId: string | undefined;
  kind: InputKind;
  /** Levels this kind of input supports, in ladder order (fallback input has only the first two). */
  levels: LevelOutput[];
  /** ERROR/MISSING nodes in the input's own parse (tree and JSON input). */
  inputErrors?: number;
  notes: string[];
}

export interface AnalyseOptions {
  /**
   * Every removed region becomes one marker with an id (`… lines 3–9 elided — expand("k3f9a2c1")`) and expanding the markers restores the input
   * exactly; removals too small to be worth a marker (whitespace, short comments) are not made. For output read by
   * a model that can ask for what was cut; without it, levels also normalise whitespace and drop short comments.
   */
  reversible?: boolean;
  /** With `reversible`: the source's id, so that marker ids are unique across the sources of one context. */
  scope?: string;
  /** With `reversible`: the expand tool's name markers write (`contextBudget_expand("k3f9a2c1")`). */
  expandTool?: string;
  cancellation?: Cancellation;
  /** Called with (done, total) in arbitrary units; total stays constant. */
  onProgress?: (done: number, total: number) => void;
}

/** Raised for input the compressor refuses to touch (binary data). The message is meant for people. */
export class UnsupportedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedInputError';
  }
}

export interface StructuralCompressor extends Compressor {
  readonly id: 'structural';
  /** All levels for a text, without counting tokens. */
  analyse(text: string, languageId: string | undefined, options?: AnalyseOptions): Promise<StructuralAnalysis>;
  /** The least lossy level that fits `budget` (or `rate` × original tokens); the most compressed one otherwise. */
  compress(request: CompressionRequest): Promise<CompressionResult>;
  /** Language ids handled by a grammar (others fall back to prose or whitespace handling). */
  readonly treeLanguages: readonly string[];
}

const DESCRIPTIONS: Record<InputKind, Record<Level, [string, string]>> = {
  tree: {
    full: ['none', 'unchanged'],
    'no-comments': ['structural:no-comments', 'comments and blank-line runs removed'],
    signatures: ['structural:signatures', 'function bodies elided, signatures and types kept'],
    outline: ['structural:outline', 'declarations only (imports and statements dropped)'],
  },
  json: {
    full: ['none', 'unchanged'],
    'no-comments': ['json:compact', 'comments and whitespace between tokens removed'],
    signatures: ['json:sampled', 'arrays cut to their first item, long strings cut'],
    outline: ['json:keys', 'keys and shape only, string values elided'],
  },
  prose: {
    full: ['none', 'unchanged'],
    'no-comments': ['prose:normalised', 'HTML comments and blank-line runs removed'],
    signatures: [
      'prose:first-sentences',
      'each paragraph cut to its first sentence, lists and code to their first line',
    ],
    outline: ['prose:section-leads', 'headings and the lead sentence of each section'],
  },
  diff: {
    full: ['none', 'unchanged'],
    'no-comments': ['diff:whole', 'unchanged'],
    signatures: ['diff:changes', 'unchanged context lines elided, changed lines and headers kept'],
    outline: ['diff:headers', 'file and hunk headers only, each hunk a count of its changes'],
  },
  fallback: {
    full: ['none', 'unchanged'],
    'no-comments': ['fallback:normalised', 'whitespace normalised, repeated lines collapsed'],
    signatures: ['', ''],
    outline: ['', ''],
  },
};

/** Minified or generated code: very long lines. Structure still works; whitespace handling gains nothing. */
export function looksMinified(text: string): boolean {
  if (text.length < 2000) return false;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lines++;
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  longest = Math.max(longest, text.length - start);
  return longest > 5000 && text.length / lines > 300;
}

/** `location`: where the host keeps the grammar files (Node: `{ readWasm }` from src/node/treeSitterFiles.ts). */
export function createStructuralCompressor(location: WasmLocation): StructuralCompressor {
  const runtime = new TreeSitterRuntime(location);

  async function parse(
    grammar: string,
    text: string,
    options: AnalyseOptions,
  ): Promise<{ tree: Tree; parser: Parser }> {
    const parser = await runtime.parser(grammar);
    const total = text.length || 1;
    let tree: Tree | null = null;
    let reported = 0;
    try {
      tree = parser.parse(text, null, {
        // Returning true stops the parse. The callback runs very often: report only whole percents.
        progressCallback: ((state: { currentOffset: number }) => {
          // currentOffset counts UTF-16 bytes.
          const fraction = Math.min(1, state.currentOffset / 2 / total);
          if (fraction - reported >= 0.01) {
            reported = fraction;
            options.onProgress?.(fraction, 1);
          }
          return options.cancellation?.isCancellationRequested === true;
        }) as never,
      });
    } catch (err) {
      parser.delete();
      throw err;
    }
    if (!tree) {
      parser.delete();
      if (options.cancellation?.isCancellationRequested) throw new CancelledError();
      throw new Error(`tree-sitter could not parse the input (${grammar})`);
    }
    return { tree, parser };
  }

  async function analyse(text: string, languageId: string | undefined, options: AnalyseOptions = {}) {
    const progress = (fraction: number) => options.onProgress?.(Math.round(fraction * 1000), 1000);
    const check = () => {
      if (options.cancellation?.isCancellationRequested) throw new CancelledError();
    };
    check();
    if (looksBinary(text)) {
      throw new UnsupportedInputError('binary content (NUL or control characters): not compressed');
    }
    const notes: string[] = [];
    const minified = looksMinified(text);
    if (minified) notes.push('input looks minified or generated (very long lines)');
    const id = normaliseLanguageId(languageId);
    const spec = id ? TREE_LANGUAGES[id] : undefined;
    let kind: InputKind;
    const ladder: Edit[][] = [[]];
    let inputErrors: number | undefined;
    const code = !!spec || (!!id && JSON_LANGUAGES.has(id));
    const withWhitespace = (edits: Edit[]) => mergeEdits(edits, whitespaceEdits(text, edits, { openers: code }));

    // A grammar that cannot be loaded (a deployment without the .wasm files) degrades to the fallback, with a note.
    let unavailable: string | undefined;
    const grammar = spec?.grammar ?? (id && JSON_LANGUAGES.has(id) ? 'tree-sitter-json.wasm' : undefined);
    if (grammar) {
      try {
        (await runtime.parser(grammar)).delete();
      } catch (err) {
        unavailable = `grammar ${grammar} unavailable (${err instanceof Error ? err.message : String(err)})`;
      }
    }

    if (spec && !unavailable) {
      kind = 'tree';
      const { tree, parser } = await parse(spec.grammar, text, { ...options, onProgress: (d) => progress(0.4 * d) });
      try {
        const a = await analyseTree(tree, spec, text, options.cancellation, (f) => progress(0.4 + 0.4 * f));
        inputErrors = a.errors;
        if (a.errors > 0) notes.push(`input has ${a.errors} syntax error node(s); levels may keep more than usual`);
        const l1 = withWhitespace(mergeEdits([], a.comments));
        const l2 = withWhitespace(mergeEdits(l1, a.bodies));
        const l3 = withWhitespace(mergeEdits(l2, a.outline));
        ladder.push(l1, l2, l3);
      } finally {
        tree.delete();
        parser.delete();
      }
    } else if (id && JSON_LANGUAGES.has(id) && !unavailable) {
      kind = 'json';
      const { tree, parser } = await parse('tree-sitter-json.wasm', text, {
        ...options,
        onProgress: (d) => progress(0.4 * d),
      });
      try {
        const a = await analyseJson(tree, text, options.cancellation, (f) => progress(0.4 + 0.4 * f));
        inputErrors = tree.rootNode.hasError ? 1 : 0;
        const l1 = withWhitespace(mergeEdits([], a.comments));
        const l2 = withWhitespace(mergeEdits(l1, a.sampled));
        const l3 = withWhitespace(mergeEdits(l2, a.keys));
        ladder.push(l1, l2, l3);
      } finally {
        tree.delete();
        parser.delete();
      }
    } else if (id && PROSE_LANGUAGES.has(id)) {
      kind = 'prose';
      const blocks = scanBlocks(text);
      const l1 = withWhitespace(mergeEdits([], proseCommentEdits(text)));
      const l2 = withWhitespace(mergeEdits(l1, proseLeadEdits(text, blocks)));
      const l3 = withWhitespace(mergeEdits(l2, proseSectionEdits(text, blocks)));
      ladder.push(l1, l2, l3);
    } else if (id === 'diff' || (!id && looksLikeDiff(text))) {
      kind = 'diff';
      const d = analyseDiff(text);
      const l2 = mergeEdits([], d.context);
      ladder.push([], l2, mergeEdits(l2, d.hunks));
    } else {
      kind = 'fallback';
      notes.push(
        unavailable
          ? `${unavailable}: whitespace and repeated lines only`
          : id
            ? `no grammar for '${id}': whitespace and repeated lines only`
            : 'unknown language: whitespace and repeated lines only',
      );
      ladder.push(withWhitespace(mergeEdits([], repeatedLineEdits(text))));
    }
    progress(0.85);
    await yieldToHost();
    check();
    const style = commentStyle(id);
    let previous: Edit[] = [];
    const levels: LevelOutput[] = ladder.map((edits, i) => {
      const level = LEVELS[i]!;
      const [method, description] = DESCRIPTIONS[kind][level];
      previous = options.reversible
        ? noLongerThan(reversibleEdits(text, edits, style, options.scope, options.expandTool), previous)
        : edits;
      const { text: out, segments } = render(text, previous);
      return { level, method, description, text: out, segments, edits };
    });
    progress(1);
    const result: StructuralAnalysis = { languageId: id, kind, levels, notes };
    if (inputErrors !== undefined) result.inputErrors = inputErrors;
    return result;
  }

  async function compress(request: CompressionRequest): Promise<CompressionResult> {
    const { text, tokenizer, cancellation } = request;
    const onProgress = request.onProgress;
    // Analysis is the first 80%, counting the rest.
    const analysis = await analyse(text, request.languageId, {
      ...(cancellation ? { cancellation } : {}),
      onProgress: (d, t) => onProgress?.(Math.round((800 * d) / t), 1000),
    });
    const counts = await countLevels(analysis.levels, tokenizer, cancellation, (i) =>
      onProgress?.(800 + Math.round((200 * (i + 1)) / analysis.levels.length), 1000),
    );
    const originalTokens = counts[0]!;
    const target = request.budget ?? Math.floor((request.rate ?? 1) * originalTokens);
    let chosen = counts.findIndex((c) => c <= target);
    const notes = ['offline structural compression (no model)', ...analysis.notes];
    if (chosen < 0) {
      chosen = counts.length - 1;
      notes.push(
        `no level reaches ${target} tokens; the most compressed (${analysis.levels[chosen]!.level}) has ${counts[chosen]}`,
      );
    }
    const level = analysis.levels[chosen]!;
    notes.push(`level ${level.level}: ${level.description}`);
    return {
      text: level.text,
      originalTokens,
      compressedTokens: counts[chosen]!,
      method: level.method,
      segments: level.segments,
      notes,
    };
  }

  return {
    id: 'structural',
    analyse,
    compress,
    treeLanguages: Object.keys(TREE_LANGUAGES),
  };
}

/** Token counts of each level, cooperatively (yields between pieces, honours cancellation). */
export async function countLevels(
  levels: readonly LevelOutput[],
  tokenizer: Tokenizer,
  cancellation?: Cancellation,
  onLevel?: (index: number) => void,
): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < levels.length; i++) {
    const previous = i > 0 ? levels[i - 1]! : undefined;
    // Identical text, identical count: saves a full count on levels that changed nothing.
    counts.push(
      previous && previous.text === levels[i]!.text
        ? counts[i - 1]!
        : await countTokens(levels[i]!.text, tokenizer, cancellation),
    );
    onLevel?.(i);
  }
  return counts;
}

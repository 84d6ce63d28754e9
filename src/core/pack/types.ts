// The packer's shapes: the public ones (re-exported by index.ts) and the per-source working state shared by the
// ladder, the plan and the last resort.
import type { Compressor, Segment } from '../compressor';
import type { Cancellation } from '../tokens/count';
import type { Tokenizer } from '../tokens/tokenizers';
import type { StructuralAnalysis, StructuralCompressor } from '../structural/index';

export interface ExtraCompressor {
  compressor: Compressor;
  /** Rates (kept fraction of tokens) to offer as candidates, e.g. [0.5, 0.33]. */
  rates: readonly number[];
  /** Information lost per removed token, 0..1 (structural: comments 0.1, bodies 0.5, outline 0.8). Default 0.5. */
  lossPerToken?: number;
  /**
   * Shares of the source's tokens to ask for as budgets (limits) rather than rates. With protected identifiers a
   * rate applies to the rest only, so its rung can exceed its share; a budget keeps them first, the rest compressed
   * harder, and the most important of them when they alone do not fit.
   */
  budgetShares?: readonly number[];
}

export interface PackSource {
  /** Stable id (a path, "selection", a chat reference id). */
  id: string;
  /** Shown in explanations; defaults to id. */
  label?: string;
  text: string;
  /** VS Code language id; picks the structural handler. */
  languageId?: string;
  /** Higher is more important. Suggested: selection 100, active editor 80, open editors 50, chat references 40. */
  priority: number;
  /** Placed before the source in the packed text (e.g. "// file: src/a.ts\n"); counted against the budget. */
  header?: string;
  compressors?: readonly ExtraCompressor[];
  /**
   * Ranges of `text` the context shows whole elsewhere (the question's excerpts): the fill leaves the units inside
   * them closed, so the same code is not sent twice.
   */
  shown?: readonly { start: number; end: number }[];
}

export interface PackOptions {
  budget: number;
  tokenizer: Tokenizer;
  /** The host's structural compressor (it knows where the grammar files are); reuse one across calls. */
  structural: StructuralCompressor;
  /** Between sources in the packed text. Default: a blank line. */
  separator?: string;
  /** Reversible output: every cut is a marker with an id (see AnalyseOptions.reversible); truncated tails too. */
  reversible?: boolean;
  /** With `reversible`: the name of the expand tool the reader has; markers write `name("id")`. Default `expand`. */
  expandTool?: string;
  /** What the user asks about the sources: units relevant to it are opened first when the budget is filled. */
  question?: string;
  /** Identifier-like words are never cut out of a line the selection keeps in part (see identifierWords). */
  protectIdentifiers?: boolean;
  cancellation?: Cancellation;
  onProgress?: (done: number, total: number) => void;
}

export interface Candidate {
  /** "full", "no-comments", "signatures", "outline", an extra compressor's method, "truncated" or "omitted". */
  level: string;
  method: string;
  description: string;
  tokens: number;
  /** Information lost, in token units weighted by kind (see LOSS). */
  loss: number;
}

/** How many units of one kind (function bodies, items, lines) a source kept of those its level removes. */
/** A packer's note: what a source's analysis or a compressor said about it (English), or the final safety cut. */
export type PackNote = { kind: 'source'; label: string; text: string } | { kind: 'joinedCut'; budget: number };

export interface UnitCount {
  /** What the units are, in English words ("function bodies"); surfaces may word it in their language. */
  kind: string;
  kept: number;
  total: number;
  /** Of those kept, how many were opened because the question is about them. */
  forQuestion: number;
  /** Units not kept whole but in part: their first lines, the rest one marker. */
  partly?: number;
}

export interface PackedSource {
  id: string;
  label: string;
  priority: number;
  level: string;
  method: string;
  /** For a truncated source: the level it was cut from (e.g. "signatures", "llmlingua2@0.33"). */
  cutFrom?: string;
  text: string;
  /** Tokens of this source's text alone (header not included). */
  tokens: number;
  originalTokens: number;
  headerTokens: number;
  segments: Segment[];
  /** Why this source got this level, in one sentence. */
  reason: string;
  /** The ladder that was considered, least lossy first. */
  candidates: Candidate[];
  /** When the budget was filled unit by unit above `level`: the units of each kind kept. */
  units?: UnitCount[];
  /** A model rung that had to drop protected identifiers (they alone exceeded its budget): how many it kept. */
  protectedKept?: { kept: number; total: number };
  /** Tokens the next more faithful rung would need beyond the budget, when that is what stopped this source. */
  shortBy?: number;
  /** What the structural analysis took the input for: 'tree' (code), 'prose', 'json', 'fallback'. */
  input?: string;
  /** Compressors that failed on this source, in their own words. */
  failures?: string[];
  /** Why a source was left out regardless of the budget (binary content). */
  unsupported?: string;
}

export interface PackResult {
  text: string;
  /** Exact count of `text` in the target tokenizer; never above `budget`. */
  totalTokens: number;
  budget: number;
  originalTokens: number;
  sources: PackedSource[];
  /** What a user should know: the input's oddities (syntax errors, minified), failures, a final safety cut. */
  notes: PackNote[];
  /** The packer's steps (levels tried, tokens saved per loss, replans), for the log. */
  log: string[];
}

/** A candidate with its text; internal to the packer. */
export interface Variant extends Candidate {
  /** For a truncated variant: the level it was cut from. */
  cutFrom?: string;
  text: string;
  segments: Segment[];
  /** For a structural level: its index in the source's analysis (the fill opens units below it). */
  analysisLevel?: number;
  /** For a variant the fill made: the units of each kind kept. */
  units?: UnitCount[];
  /** See PackedSource.protectedKept. */
  protectedKept?: { kept: number; total: number };
}

/** One source while it is packed: its ladder, the rung the plan chose, and any last-resort variant. Internal. */
export interface SourceState {
  index: number;
  source: PackSource;
  label: string;
  /** Position of the source's priority among the distinct priorities, lowest 0. */
  rank: number;
  headerTokens: number;
  /** The ladder, least lossy first; [0] is the full text. */
  variants: Variant[];
  chosen: number;
  /** Set when the last resort applied. */
  final?: Variant;
  /** Set by the plan: tokens the next more faithful rung needs beyond the budget. */
  shortBy?: number;
  /** Set when the fill opened units of the planned level (pack/fill.ts). */
  filled?: Variant;
  /** Its level's units when the fill opened none of them: every kind, none kept. */
  closed?: UnitCount[];
  /** The structural analysis, when the source had one. */
  analysis?: StructuralAnalysis;
  /** What the structural analysis said about this input (fallbacks, syntax errors, minified input). */
  analysisNotes?: string[];
  reason?: string;
  /** Extra compressors that failed while the ladder was built ("llmlingua2 failed (…); not offered"): kept apart
   * from `reason`, which every plan recomputes, so the failure still shows in the result. */
  failures?: string[];
  unsupported?: string;
  count: (text: string) => number;
}

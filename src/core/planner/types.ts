// The one budget planner's contract: every surface (savings view, Compress Open Editors, @budget, the language-model
// tool, the CLI) hands it sources, a budget and the target's own counter, and gets back text that fits that count.
// Implemented by ./index.ts (planContext). No fields added; clarified: PlannedSource.targetTokens includes the
// excerpts kept whole for the question; `segments` mark those excerpts' ranges kept in their source, so with focus
// they describe what went in rather than rebuild `context` character for character. The compressor policy
// (which languages are prose, LLMLingua-2 rates and loss weights) lives in ./policy.ts, used by the planner only.
import type { Compressor, Segment, WordRules } from '../compressor';
import type { Elision } from '../elisions';
import type { SourceSummary } from './explain';
import type { PlanNote } from './notes';
import type { PackedSource, PackSource } from '../pack';
import type { StructuralCompressor } from '../structural/index';
import type { Cancellation } from '../tokens/count';
import type { Tokenizer } from '../tokens/tokenizers';

/** Where a source's text comes from; two sources from the same document with overlapping ranges are one. */
export interface SourceOrigin {
  /** A document URI or path, compared as a string. */
  uri: string;
  /** Character offsets of the text in that document; absent: the whole document. */
  start?: number;
  end?: number;
}

/** A pack source (id, label, text, languageId, priority, header) and where its text comes from. */
export interface PlanSource extends Omit<PackSource, 'compressors'> {
  origin?: SourceOrigin;
}

/** The target's own count: a bundled tokenizer, or a chat model's countTokens (asynchronous, maybe slow). */
export type TargetCount = (text: string, cancellation?: Cancellation) => number | Promise<number>;

/** auto: LLMLingua-2 for prose when a model is installed, structural otherwise; structural never runs a model. */
export type CompressorChoice = 'auto' | 'structural' | 'llmlingua2';

export interface PlanRequest extends WordRules {
  sources: readonly PlanSource[];
  /** Most tokens the final text (frame included) may take, in the target's own count. */
  budget: number;
  /** What the user asks about the sources: units relevant to it are kept whole first. */
  question?: string;
  compressor: CompressorChoice;
  /** The target's own count; the final text is checked with it. */
  count: TargetCount;
  /** A fast bundled tokenizer the packer plans with (it needs synchronous counts). */
  planning: Tokenizer;
  structural: StructuralCompressor;
  /** The LLMLingua-2 compressor when a model is installed (loaded on first use). */
  llmlingua2?: () => Promise<Compressor>;
  /**
   * Wraps the packed context into the text that is actually sent or shown (instruction, headers, question, a summary
   * line); its whole result must fit. Default: the context as it is.
   */
  frame?: (context: string) => string;
  /** Between sources in the context. Default: a blank line. */
  separator?: string;
  /** Keep a share instead of a budget: budget = floor(rate × the original's target count). */
  rate?: number;
  /** Every cut becomes a marker with an id whose original the result keeps (`elisions`); see AnalyseOptions. */
  reversible?: boolean;
  /**
   * With `reversible`: the name of the expand tool the reader has (`contextBudget_expand` in VS Code,
   * `expand_elision` over MCP); each marker ends with `name("id")`. Default `expand`.
   */
  expandTool?: string;
  cancellation?: Cancellation;
  onProgress?: (done: number, total: number) => void;
}

/** A unit (function, section, entry) kept at full fidelity because the question is about it. */
export interface FocusUnit {
  sourceId: string;
  label: string;
  /** Character offsets in the (deduplicated) source text. */
  start: number;
  end: number;
  score: number;
}

export interface PlannedSource extends PackedSource {
  /** What ran and what was kept, as data: each surface words it in its language (explainSource). */
  summary: SourceSummary;
  /** The summary in English words: "structural: signatures — 12 of 40 function bodies kept". */
  explanation: string;
  /** Its size in the target's own count (its packed text plus any excerpts of it kept whole for the question). */
  targetTokens: number;
  originalTargetTokens: number;
  /** Ids of sources merged into this one (same document, overlapping ranges). */
  mergedFrom: string[];
}

export interface PlanResult {
  /** The packed context (no frame). */
  context: string;
  /** frame(context): what fits the budget. */
  text: string;
  /** Target count of `text`; never above `budget`. */
  tokens: number;
  budget: number;
  /** Target count of all (deduplicated) sources in full, headers and separators included, framed. */
  originalTokens: number;
  /** True when every source went in whole: nothing was compressed. */
  untouched: boolean;
  sources: PlannedSource[];
  focus: FocusUnit[];
  /** Segments over the joined deduplicated sources (headers and separators kept), for the kept/dropped view. */
  segments: Segment[];
  /** The joined deduplicated sources that `segments` index into. */
  sourceText: string;
  /** What a user should know, in order: sources counted once, compressor failures, the input's oddities, last resorts. */
  notes: string[];
  /** The same notes as data, for a surface that words them in its display language (noteText). */
  noteData: PlanNote[];
  /** The planner's and packer's steps (levels tried, loss per token, replans with the target's count), for a log. */
  log: string[];
  /** Planning budgets tried (planning-tokenizer units). */
  attempts: number[];
  /**
   * With `reversible`: each marker in `text` (exactly once) and the original it stands for. Putting every original
   * back restores the sources (for one source without a header, the source itself) unless LLMLingua-2 dropped
   * words, a question kept excerpts beside a source, or the last resort cut the joined text.
   */
  elisions: Elision[];
}

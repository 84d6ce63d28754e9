// The extension's door to the one budget planner (src/core/planner): it resolves the compressors the host offers
// (structural everywhere, LLMLingua-2 when a model is installed) and hands every surface's sources, budget,
// question and frame to planContext, counted with the target's own counter. Policy (what to measure, which
// compressor runs on what, retries against the target's count) lives in the planner, not here.
import { ElisionStore, type ElisionPersistence } from '../core/elisions';
import { wordRulesOf, type Compressor, type Segment, type WordRules } from '../core/compressor';
import {
  ENGLISH,
  ENGLISH_NOTES,
  explainSource,
  noteText,
  planContext,
  type ExplainWords,
  type NoteWords,
  type PlanResult,
  type PlanSource,
  type TargetCount,
} from '../core/planner';
import { explainWhat } from '../core/planner/explain';
import { modelNote, sourceNote, type PlanNote } from '../core/planner/notes';
import type { StructuralCompressor } from '../core/structural';
import type { Cancellation } from '../core/tokens/count';
import type { CountTarget } from '../core/tokens/target';
import { loadTokenizer, type Tokenizer } from '../core/tokens/tokenizers';
import type { CompressorChoice } from '../webviewProtocol';

export interface CompressorInfo {
  id: CompressorChoice;
  label: string;
  available: boolean;
  detail: string;
}

export interface CompressorProvider {
  info(): CompressorInfo;
  /** Resolves the compressor, loading it on first use. */
  get(): Promise<Compressor>;
}

export interface PlanJob extends WordRules {
  sources: readonly PlanSource[];
  /** Most tokens the framed result may take, in the target's own count; ignored when `rate` is set. */
  budget: number;
  /** Keep this share of the original's target count instead of a fixed budget. */
  rate?: number;
  /** What the user asks about the sources: the units it names are kept whole first. */
  question?: string;
  compressor: CompressorChoice;
  /** Cuts become markers with ids whose originals the service keeps (for models that can ask for them). */
  reversible?: boolean;
  /** With `reversible`: the expand call markers name. Default contextBudget_expand (the LM tool and @budget's). */
  expandTool?: string;
  /** The target's own counter; a bundled tokenizer id, when it has one, is also what the packer plans with. */
  target: { count: TargetCount; tokenizer?: CountTarget['tokenizer'] };
  frame?: (context: string) => string;
  separator?: string;
  cancellation?: Cancellation;
  onProgress?: (done: number, total: number) => void;
}

/** A result as the savings view shows it: the planner's, or a chat request's record (Show savings). */
export interface CompressOutcome {
  text: string;
  originalTokens: number;
  compressedTokens: number;
  budget: number;
  /** What ran: one source's method ("structural:signatures", "llmlingua2", "none"), "packer" for several. */
  method: string;
  /** Index into `sourceText`. */
  segments: Segment[];
  sourceText: string;
  /** Per source what ran ("label: explanation"), then the planner's notes. */
  notes: string[];
  /**
   * What each source got, in the target's count (the savings view draws one row per source); `what`: what ran on
   * it in the display language, without the details ("structural: signatures"), for the view's method row.
   */
  sources: { label: string; originalTokens: number; tokens: number; explanation: string; what?: string }[];
  untouched: boolean;
  /**
   * Excerpts kept whole for the question, placed after their source under a header: the text is context for a
   * model, not a drop-in replacement for the source range.
   */
  focusExcerpts: number;
}

/**
 * The bundled tokenizer the packer plans with (it needs synchronous counts): the target's own when it has one,
 * else o200k_base, which is close to most current chat models. The target's own count has the last word.
 */
export async function planningTokenizer(target: { tokenizer?: CountTarget['tokenizer'] }): Promise<Tokenizer> {
  return loadTokenizer(target.tokenizer ?? 'o200k_base');
}

/** The "Auto" choice's label and detail; the extension passes translated ones (this module has no vscode). */
export type DescribeAuto = (modelAvailable: boolean) => { label: string; detail: string };

/** The VS Code expand tool (src/lmTool/expand.ts registers it; @budget answers it too): what markers name here. */
export const EXPAND_TOOL_NAME = 'contextBudget_expand';

const describeAutoInEnglish: DescribeAuto = (modelAvailable) => ({
  label: 'Auto',
  detail: modelAvailable ? 'LLMLingua-2 for prose, structural for code' : 'structural (offline; no model installed)',
});

/** What a surface words the planner's results in: per-source explanations and notes about the whole request. */
export interface SurfaceWords {
  sources: ExplainWords;
  notes: NoteWords;
}

/** The words each plan of a service was worded in, for outcomeOf (which the panel calls with the plan alone). */
const wordedIn = new WeakMap<PlanResult, SurfaceWords>();

export class CompressionService {
  /** Originals of every reversible plan's cuts (kept per workspace when persisted): what contextBudget_expand reads. */
  readonly elisions: ElisionStore;

  constructor(
    private readonly providers: Record<Exclude<CompressorChoice, 'auto'>, CompressorProvider>,
    private readonly describeAuto: DescribeAuto = describeAutoInEnglish,
    /** The explanations' and notes' words in the display language (the core's are English). */
    private readonly words: SurfaceWords = { sources: ENGLISH, notes: ENGLISH_NOTES },
    /** Where the planner's steps go (the output channel): not the savings view, not the chat footer. */
    private readonly onLog?: (lines: readonly string[]) => void,
    /** Where originals outlive the session (the workspace's storage); call `elisions.load()` once. */
    persistence?: ElisionPersistence,
  ) {
    this.elisions = new ElisionStore(undefined, undefined, persistence);
  }

  compressors(): CompressorInfo[] {
    const structural = this.providers.structural.info();
    const model = this.providers.llmlingua2.info();
    const auto: CompressorInfo = { id: 'auto', available: true, ...this.describeAuto(model.available) };
    return [auto, structural, model];
  }

  /** Every surface's one call: the planner, with this host's compressors. */
  async plan(job: PlanJob): Promise<PlanResult> {
    const model = this.providers.llmlingua2;
    // What the model's runs said about themselves (which runtime ran, a rung's protected identifiers): the planner
    // keeps only its text. Which runtime ran goes to the user; the rest describes rungs tried, for the log.
    const modelSaid: string[] = [];
    const llmlingua2 = model.info().available
      ? async (): Promise<Compressor> => {
          const compressor = await model.get();
          return {
            id: compressor.id,
            compress: async (request) => {
              const result = await compressor.compress(request);
              for (const n of result.notes) if (!modelSaid.includes(n)) modelSaid.push(n);
              return result;
            },
          };
        }
      : undefined;
    const result = await planContext({
      sources: job.sources,
      budget: job.budget,
      ...(job.rate !== undefined ? { rate: job.rate } : {}),
      ...(job.question ? { question: job.question } : {}),
      compressor: job.compressor,
      count: job.target.count,
      planning: await planningTokenizer(job.target),
      structural: (await this.providers.structural.get()) as StructuralCompressor,
      ...(llmlingua2 ? { llmlingua2 } : {}),
      ...(job.frame ? { frame: job.frame } : {}),
      ...(job.separator !== undefined ? { separator: job.separator } : {}),
      ...wordRulesOf(job),
      ...(job.reversible ? { reversible: true, expandTool: job.expandTool ?? EXPAND_TOOL_NAME } : {}),
      ...(job.cancellation ? { cancellation: job.cancellation } : {}),
      ...(job.onProgress ? { onProgress: job.onProgress } : {}),
    });
    this.elisions.add(result.elisions);
    const modelNotes = modelSaid.map(modelNote).filter((n): n is PlanNote => n !== undefined);
    const log = [...result.log, ...modelSaid.filter((n) => !modelNote(n)).map((n) => `LLMLingua-2: ${n}`)];
    this.onLog?.(log);
    const sources =
      this.words.sources === ENGLISH
        ? result.sources
        : result.sources.map((s) => ({ ...s, explanation: explainSource(s.summary, this.words.sources) }));
    // The packer's notes about a source (English text) as data, so they are worded like the rest.
    const noteData = [...result.noteData.map((n) => (n.kind === 'source' ? sourceNote(n) : n)), ...modelNotes];
    const notes = noteData.map((n) => noteText(n, this.words.notes));
    const planned: PlanResult = { ...result, sources, notes, noteData, log };
    wordedIn.set(planned, this.words);
    return planned;
  }
}

/** Per source, what ran on it, in words (the planner's explanation). */
export function sourceExplanations(plan: PlanResult): string[] {
  return plan.sources.map((s) => `${s.label}: ${s.explanation}`);
}

/** The planner's result as the savings view shows it; `several` when the request had more than one source. */
export function outcomeOf(plan: PlanResult, several: boolean): CompressOutcome {
  const words = wordedIn.get(plan)?.sources ?? ENGLISH;
  return {
    text: plan.text,
    originalTokens: plan.originalTokens,
    compressedTokens: plan.tokens,
    budget: plan.budget,
    method: plan.untouched ? 'none' : several ? 'packer' : (plan.sources[0]?.method ?? 'none'),
    segments: plan.segments,
    sourceText: plan.sourceText,
    notes: [...sourceExplanations(plan), ...plan.notes],
    sources: plan.sources.map((s) => ({
      label: s.label,
      originalTokens: s.originalTargetTokens,
      tokens: s.targetTokens,
      explanation: s.explanation,
      what: explainWhat(s.summary, words),
    })),
    untouched: plan.untouched,
    focusExcerpts: plan.focus.length,
  };
}

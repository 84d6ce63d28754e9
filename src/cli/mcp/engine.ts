// What the MCP server's tools do, apart from the protocol: count, compress through the one planner (its frame is the
// whole tool result, summary lines included), expand an elided region by id. One engine per server process: the
// structural compressor (tree-sitter grammars) and the tokenizers load once and serve every call.
import { budgetUsage } from '../../core/budget';
import type { Compressor } from '../../core/compressor';
import { ElisionStore, parseElisionId, type ElisionLocation, type ElisionPersistence } from '../../core/elisions';
import { TEXT_SOURCE, expandAnswer } from '../../core/expandAnswer';
import { formatChange, formatCost, formatPercent, formatSaved, formatTokens } from '../../core/format';
import type { PlanResult } from '../../core/planner/index';
import { createStructuralCompressor, type ReadWasm, type StructuralCompressor } from '../../core/structural/index';
import { CATALOG, findCatalogModel, type CatalogModel } from '../../core/tokens/catalog';
import { loadTokenizer } from '../../core/tokens/tokenizers';
import { OFFLINE_PROTECT, languageOf, planSources, type SourceInput } from '../compress';
import { keptNothing, planFramed, smallestUsefulBudget, type FrameFor } from '../framedPlan';
import { DEFAULT_MAX_BYTES, readInputs } from '../input';

export const EXPAND_TOOL = 'expand_elision';
export const EXPAND_HINT = `Each cut region's marker names its lines and the call that brings it back: ${EXPAND_TOOL}("id") returns the original.`;

/** A tool's answer: text for the model; `isError` when the call could not be done as asked. */
export interface ToolAnswer {
  text: string;
  isError?: boolean;
  structured?: Record<string, unknown>;
}

export interface SourcesInput {
  paths?: string[] | undefined;
  text?: string | undefined;
  model?: string | undefined;
  /** The call's cancellation: listing and reading paths stop when the client cancels. */
  signal?: AbortSignal | undefined;
}

export interface CompressInput extends SourcesInput {
  budget: number;
  question?: string | undefined;
  protect?: boolean | undefined;
}

export class UsageError extends Error {}

export class Engine {
  /** Originals (bounded) and where each id came from, kept after the original itself is dropped. */
  private readonly store: ElisionStore;
  private structural: StructuralCompressor | undefined;
  /** The LLMLingua-2 compressor (`mcp --compressor DIR`), made once: its model loads on the first prose it compresses. */
  private llmlingua2: Promise<Compressor> | undefined;

  constructor(
    private readonly options: {
      readWasm: ReadWasm;
      defaultModel: CatalogModel;
      maxBytes?: number;
      /** An LLMLingua-2 model for prose and `protect` (the server's --compressor folder); structural only without. */
      llmlingua2?: () => Promise<Compressor>;
      /** Characters of originals kept for expand_elision (least recently used out first). */
      maxOriginalChars?: number;
      /** Keeps each id's file and lines for later server processes (the server: a file in the user's cache). */
      cache?: ElisionPersistence & { locate(id: string): Promise<ElisionLocation | undefined> };
    },
  ) {
    this.store = new ElisionStore(options.maxOriginalChars, undefined, options.cache);
    // Earlier servers' ids, read while the first call is planned; expand waits for it.
    void this.store.load();
  }

  /** Loads what every call needs (grammars load on first use by language; tokenizers here). */
  async warm(): Promise<void> {
    await loadTokenizer(this.options.defaultModel.tokenizer);
    this.structural ??= createStructuralCompressor({ readWasm: this.options.readWasm });
  }

  private model(id: string | undefined): CatalogModel {
    if (id === undefined || id === '') return this.options.defaultModel;
    const model = findCatalogModel(id);
    if (!model) throw new UsageError(`unknown model '${id}'. Known: ${CATALOG.map((m) => m.id).join(', ')}`);
    return model;
  }

  private async sources(input: SourcesInput): Promise<{ sources: SourceInput[]; skipped: string[] }> {
    const paths = input.paths ?? [];
    if (paths.length === 0 && (input.text === undefined || input.text === '')) {
      throw new UsageError('give `paths` (files or folders) and/or `text`');
    }
    const sources: SourceInput[] = [];
    const skipped: string[] = [];
    if (input.text) {
      sources.push({
        file: TEXT_SOURCE,
        text: input.text,
        languageId: languageOf({ file: '-', text: input.text }, undefined),
      });
    }
    if (paths.includes('-')) throw new UsageError("'-' (stdin) is not a path here: pass the content as `text`");
    for (const f of await readInputs(paths, {
      maxBytes: this.options.maxBytes ?? DEFAULT_MAX_BYTES,
      signal: input.signal,
    })) {
      if ('error' in f) {
        // A path that does not exist is the caller's mistake: say which, so it can be fixed.
        if (f.kind === 'missing' || f.kind === 'unreadable') throw new UsageError(`${f.file}: ${f.error}`);
        skipped.push(`${f.file}: skipped (${f.error})`);
        continue;
      }
      if (f.invalidUtf8) skipped.push(`${f.file}: warning: invalid UTF-8, read with replacement characters`);
      sources.push({ file: f.file, text: f.text, languageId: languageOf(f, undefined) });
    }
    if (sources.length === 0) throw new UsageError(`nothing to read: ${skipped.join('; ')}`);
    return { sources, skipped };
  }

  async count(input: SourcesInput): Promise<ToolAnswer> {
    const model = this.model(input.model);
    const tokenizer = await loadTokenizer(model.tokenizer);
    const { sources, skipped } = await this.sources(input);
    const rows = sources.map((s) => ({ source: s.file, tokens: tokenizer.count(s.text) }));
    const total = rows.reduce((n, r) => n + r.tokens, 0);
    const usage = budgetUsage(total, model, { reserveTokens: 0 });
    const approx = tokenizer.approximate ? ', approximate' : '';
    const lines = [
      `${formatTokens(total)} tokens in total for ${model.id} (${tokenizer.id}${approx}): ` +
        `${formatPercent(usage.fractionOfWindow)} of its ${formatTokens(model.contextWindow)}-token window, input cost ${formatCost(usage.costUsd)}`,
      ...rows.map((r) => `- ${r.source}: ${formatTokens(r.tokens)}`),
      ...skipped.map((s) => `- ${s}`),
    ];
    return {
      text: lines.join('\n'),
      structured: {
        model: model.id,
        tokenizer: tokenizer.id,
        approximate: tokenizer.approximate,
        total,
        contextWindow: model.contextWindow,
        fractionOfWindow: usage.fractionOfWindow,
        costUsd: usage.costUsd ?? null,
        sources: rows,
        skipped,
      },
    };
  }

  async compress(input: CompressInput): Promise<ToolAnswer> {
    if (!Number.isInteger(input.budget) || input.budget <= 0) {
      throw new UsageError(`budget must be a positive whole number of tokens, got ${String(input.budget)}`);
    }
    const model = this.model(input.model);
    const tokenizer = await loadTokenizer(model.tokenizer);
    const { sources, skipped } = await this.sources(input);
    const question = input.question?.trim();
    const headers = sources.length > 1;
    const n = sources.length;
    const header = (plan: PlanResult | undefined, minimal: boolean, original: number, tokens: number) => {
      const saved = formatSaved(original, tokens);
      const lines = [
        `Context Budget: ${n} source(s), ${formatChange(original, tokens)} tokens (${saved.percent} saved), budget ` +
          `${formatTokens(input.budget)}, counted for ${model.id} (${tokenizer.id}).`,
      ];
      if (!minimal && plan) {
        // Short: the level and the figures (the planner's full explanations would eat a small budget).
        for (const s of plan.sources) {
          lines.push(`- ${s.id}: ${s.level}, ${formatChange(s.originalTargetTokens, s.targetTokens)} tokens`);
        }
        for (const s of skipped) lines.push(`- ${s}`);
      }
      if (input.protect && !this.options.llmlingua2) lines.push(`No compressor model${OFFLINE_PROTECT}.`);
      if (!plan || plan.elisions.length) lines.push(EXPAND_HINT);
      return `${lines.join('\n')}\n\n`;
    };
    const load = this.options.llmlingua2;
    // Sources, headers and separators counted apart: at least their joined count.
    const upper = sources.reduce((sum, s) => sum + tokenizer.count(s.text) + 16, 0);
    const request = {
      sources: planSources(sources, headers),
      budget: input.budget,
      ...(question ? { question } : {}),
      ...(input.protect ? { protectIdentifiers: true } : {}),
      reversible: true,
      expandTool: EXPAND_TOOL,
      compressor: load ? ('auto' as const) : ('structural' as const),
      ...(load ? { llmlingua2: () => (this.llmlingua2 ??= load()) } : {}),
      count: (text: string) => tokenizer.count(text),
      planning: tokenizer,
      structural: (this.structural ??= createStructuralCompressor({ readWasm: this.options.readWasm })),
    };
    const frame: FrameFor = (plan, form) => {
      // Placeholder figures as wide as any real ones (no result exceeds its sources); then the plan's own.
      const original = plan ? tokenizer.count(plan.sourceText) : upper;
      const tokens = plan ? tokenizer.count(plan.context) : upper;
      return { before: header(plan, form === 'minimal', original, tokens), after: '' };
    };
    const planned = await planFramed(request, frame);
    // A summary of nothing is no answer: say which budget keeps something.
    if (keptNothing(planned.plan)) {
      const smallest = await smallestUsefulBudget(request, frame, ['full', 'minimal']);
      throw new UsageError(
        `budget ${input.budget} is too small: nothing of the sources fits` +
          (smallest ? `; the smallest budget that keeps something is ${smallest}` : ''),
      );
    }
    this.remember(planned.plan);
    return {
      text: planned.text,
      structured: {
        budget: input.budget,
        tokens: planned.tokens,
        model: model.id,
        tokenizer: tokenizer.id,
        // A count only: the ids and their lines are in the text (within the budget); a list here would not be.
        elided: planned.plan.elisions.length,
      },
    };
  }

  async expand(rawId: string): Promise<ToolAnswer> {
    await this.store.ready();
    const surface = {
      expandTool: EXPAND_TOOL,
      compressTool: 'compress_context',
      keptWhere: 'this server keeps originals in limited memory, per server process',
    };
    let answer = expandAnswer(this.store, rawId, surface);
    const id = parseElisionId(rawId);
    if (!answer.found && id && !this.store.locate(id) && this.options.cache) {
      // Another server process (running beside this one) may have made the id since this one started.
      const at = await this.options.cache.locate(id);
      if (at) answer = expandAnswer(await storeOf({ id, location: at }), rawId, surface);
    }
    return answer.found ? { text: answer.text } : { text: answer.text, isError: true };
  }

  /** Keeps each elision's original (bounded) and where it came from: the planner's source and line range. */
  private remember(plan: PlanResult): void {
    this.store.add(plan.elisions);
  }
}

/** A store that knows one id's place only. */
async function storeOf(entry: { id: string; location: ElisionLocation }): Promise<ElisionStore> {
  const store = new ElisionStore(undefined, undefined, { load: async () => [entry], save: () => undefined });
  await store.load();
  return store;
}

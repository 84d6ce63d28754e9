// Picks and runs a compressor for the adapter (panel, chat, tool) behind one call, so every entry point
// behaves the same: count first, return untouched when it fits, otherwise compress to the budget.
import type { CompressionResult, Compressor, Segment } from '../core/compressor';
import { type ExtraCompressor, packSources, type PackResult, type PackSource } from '../core/pack';
import type { StructuralCompressor } from '../core/structural';
import { CancelledError, type Cancellation } from '../core/tokens/count';
import type { CountTarget } from '../core/tokens/target';
import { loadTokenizer, type Tokenizer } from '../core/tokens/tokenizers';
import type { CompressionOptions, CompressorChoice } from '../webviewProtocol';

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

export interface CompressJob {
  text: string;
  languageId?: string;
  options: CompressionOptions;
  target: CountTarget;
  cancellation?: Cancellation;
  onProgress?: (done: number, total: number) => void;
}

export interface CompressOutcome extends CompressionResult {
  budget: number;
  untouched: boolean;
  compressor: CompressorChoice | 'none';
  /** The text `segments` index into: the source, or for several sources their headers and texts joined. */
  sourceText: string;
  /** Per source, the method the packer chose (several sources only). */
  sourceMethods: string[];
}

const SEPARATOR = '\n\n';

/**
 * The bundled tokenizer compressors plan with (they need synchronous counts): the target's own when it has one,
 * else o200k_base, which is close to most current chat models. Chat models' own counts then have the last word.
 */
export async function budgetTokenizer(target: Pick<CountTarget, 'tokenizer'>): Promise<Tokenizer> {
  return loadTokenizer(target.tokenizer ?? 'o200k_base');
}

export class CompressionService {
  constructor(private readonly providers: Record<Exclude<CompressorChoice, 'auto'>, CompressorProvider>) {}

  compressors(): CompressorInfo[] {
    const structural = this.providers.structural.info();
    const model = this.providers.llmlingua2.info();
    const auto: CompressorInfo = {
      id: 'auto',
      label: 'Auto',
      available: true,
      detail: model.available
        ? 'LLMLingua-2 for prose, structural for code'
        : 'structural (offline; no model installed)',
    };
    return [auto, structural, model];
  }

  async compress(job: CompressJob): Promise<CompressOutcome> {
    const choice = this.choose(job);
    if (choice === 'structural') {
      // Through the packer even for one source: it alone guarantees the budget (truncating as a last resort).
      const packed = await this.compressSources(
        [{ id: 'source', text: job.text, languageId: job.languageId, priority: 100 }],
        job,
      );
      return { ...packed, method: packed.untouched ? 'none' : (packed.sourceMethods[0] ?? packed.method) };
    }
    const { originalTokens, budget } = await this.measure(job.text, job);
    if (originalTokens <= budget) {
      return untouched(job.text, originalTokens, budget);
    }
    const compressor = await this.providers[choice].get();
    if (job.cancellation?.isCancellationRequested) {
      throw new CancelledError();
    }
    const result = await compressor.compress({
      text: job.text,
      languageId: job.languageId,
      budget,
      tokenizer: await budgetTokenizer(job.target),
      forceTokens: job.options.forceTokens,
      keepDigits: job.options.keepDigits,
      cancellation: job.cancellation,
      onProgress: job.onProgress,
    });
    // Compressors budget in a bundled tokenizer; report the target's own count (chat models differ).
    const compressedTokens = job.target.tokenizer
      ? result.compressedTokens
      : await job.target.count(result.text, job.cancellation);
    return {
      ...result,
      originalTokens,
      compressedTokens,
      budget,
      untouched: false,
      compressor: choice,
      sourceText: job.text,
      sourceMethods: [],
    };
  }

  /** The fastest compression is the one not run: count first, in the target's own tokens. */
  private async measure(
    text: string,
    job: Omit<CompressJob, 'text'>,
  ): Promise<{ originalTokens: number; budget: number }> {
    const originalTokens = await job.target.count(text, job.cancellation);
    const budget =
      job.options.mode === 'budget' ? job.options.budget : Math.max(1, Math.floor(originalTokens * job.options.rate));
    return { originalTokens, budget };
  }

  /**
   * The budget packer over structural levels, plus LLMLingua-2 for prose sources when a model is installed.
   * Chat, the language-model tool and Compress Open Editors all pack through here.
   */
  async pack(
    sources: readonly PackSource[],
    options: {
      budget: number;
      tokenizer: Tokenizer;
      cancellation?: Cancellation;
      onProgress?: (done: number, total: number) => void;
    },
  ): Promise<PackResult> {
    let extra: ExtraCompressor[] = [];
    if (this.providers.llmlingua2.info().available) {
      try {
        extra = [{ compressor: await this.providers.llmlingua2.get(), rates: [0.5, 0.33] }];
      } catch {
        // A model that fails to load leaves the structural path, which always works.
      }
    }
    const withModel = sources.map((s) => (extra.length && isProse(s.languageId) ? { ...s, compressors: extra } : s));
    return packSources(withModel, {
      ...options,
      separator: SEPARATOR,
      structural: (await this.providers.structural.get()) as StructuralCompressor,
    });
  }

  /** Several sources sharing one budget, through the budget packer (structural levels per source). */
  async compressSources(
    sources: PackSource[],
    job: Omit<CompressJob, 'text' | 'languageId'>,
  ): Promise<CompressOutcome> {
    const joined = sources.map((s) => (s.header ?? '') + s.text).join(SEPARATOR);
    const { originalTokens, budget } = await this.measure(joined, job);
    if (originalTokens <= budget) {
      return untouched(joined, originalTokens, budget);
    }
    const packed = await this.pack(sources, {
      budget,
      tokenizer: await budgetTokenizer(job.target),
      cancellation: job.cancellation,
      onProgress: job.onProgress,
    });
    // Segments index into the joined sources: shift each source's segments past the headers before it.
    const segments: Segment[] = [];
    let offset = 0;
    sources.forEach((source, i) => {
      const header = source.header ?? '';
      if (header) {
        segments.push({ start: offset, end: offset + header.length, status: 'kept' });
      }
      offset += header.length;
      for (const seg of packed.sources[i]!.segments) {
        segments.push({ ...seg, start: seg.start + offset, end: seg.end + offset });
      }
      offset += source.text.length;
      if (i + 1 < sources.length) {
        segments.push({ start: offset, end: offset + SEPARATOR.length, status: 'kept' });
        offset += SEPARATOR.length;
      }
    });
    const compressedTokens = job.target.tokenizer
      ? packed.totalTokens
      : await job.target.count(packed.text, job.cancellation);
    return {
      text: packed.text,
      originalTokens,
      compressedTokens,
      method: 'packer',
      segments,
      notes: [
        ...packed.sources.map((s) => `${s.label}: ${s.level} (${s.originalTokens} → ${s.tokens}) — ${s.reason}`),
        ...packed.notes,
      ],
      budget,
      untouched: packed.sources.every((s) => s.level === 'full'),
      compressor: 'structural',
      sourceText: joined,
      sourceMethods: packed.sources.map((x) => x.method),
    };
  }

  private choose(job: CompressJob): Exclude<CompressorChoice, 'auto'> {
    const wanted = job.options.compressor;
    if (wanted !== 'auto') {
      if (!this.providers[wanted].info().available) {
        throw new Error(
          `${this.providers[wanted].info().label} is not available: ${this.providers[wanted].info().detail}`,
        );
      }
      return wanted;
    }
    return isProse(job.languageId) && this.providers.llmlingua2.info().available ? 'llmlingua2' : 'structural';
  }
}

function untouched(text: string, tokens: number, budget: number): CompressOutcome {
  return {
    text,
    originalTokens: tokens,
    compressedTokens: tokens,
    method: 'none',
    segments: text ? [{ start: 0, end: text.length, status: 'kept' }] : [],
    notes: [`already fits: ${tokens} ≤ ${budget} tokens, nothing was compressed`],
    budget,
    untouched: true,
    compressor: 'none',
    sourceText: text,
    sourceMethods: [],
  };
}

/** Text the model compresses better than structure does. */
function isProse(languageId: string | undefined): boolean {
  return !languageId || languageId === 'plaintext' || languageId === 'markdown';
}

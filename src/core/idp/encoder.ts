// Encoder-based prompt scoring with the compressor model's own representations (IDP's rule over text prompts).
//
// Two scores are defined; whichever the installed model's graph exposes is used:
//  - attention (IDP, arXiv 2310.00867): prompts are placed before the input in one sequence, and a prompt's score
//    is the mean, over input tokens i and that prompt's tokens j, of the last layer's attention A[i][j] averaged
//    over heads. `idpAttentionScores` computes it from the matrix.
//  - cosine: each text is encoded alone, its last hidden state mean-pooled over all positions (special tokens
//    included); a prompt's score is the highest cosine similarity between the request's vector and the vectors
//    of its description and exemplars. `EncoderRanker` does this, caching every prompt text's vector per model.
//
// The published LLMLingua-2 ONNX exports output only logits, so either score needs the graph edited once to
// also output the last hidden state / attention probabilities; `PromptEncoder` is what that edited session
// provides. Pure TypeScript here: no ONNX Runtime import, so it runs in both extension hosts and in tests.
import type { HiddenStates, Span } from '../onnx/encoding';
import type { OnnxPromptEncoder } from './onnxEncoder';
import type { PromptEntry } from './schema';

export type { HiddenStates, Span };

export interface PromptEncoder {
  /** Identifies the model (e.g. its file path and size); cached prompt vectors are keyed by it. */
  readonly id: string;
  encode(text: string): Promise<HiddenStates>;
}

export function meanPool(h: HiddenStates): Float32Array {
  const out = new Float32Array(h.dim);
  if (h.tokens === 0) return out;
  for (let t = 0; t < h.tokens; t++) {
    const row = t * h.dim;
    for (let d = 0; d < h.dim; d++) out[d]! += h.data[row + d]!;
  }
  for (let d = 0; d < h.dim; d++) out[d]! /= h.tokens;
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`vector sizes differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * IDP's score: mean attention from the input's tokens to each prompt's tokens. `attention` is the [T × T]
 * matrix (rows = from, columns = to), already averaged over heads.
 */
export function idpAttentionScores(
  attention: Float32Array,
  tokens: number,
  promptSpans: readonly Span[],
  input: Span,
): number[] {
  if (attention.length !== tokens * tokens) {
    throw new Error(`attention has ${attention.length} values, expected ${tokens}²`);
  }
  const [i0, i1] = input;
  return promptSpans.map(([j0, j1]) => {
    if (j1 <= j0 || i1 <= i0) return 0;
    let sum = 0;
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) sum += attention[i * tokens + j]!;
    return sum / ((i1 - i0) * (j1 - j0));
  });
}

/** Encodings of prompt texts survive across rankers (and so across pool reloads) for the same model. */
const vectorCache = new Map<string, Float32Array>();

export function clearEncoderCache(): void {
  vectorCache.clear();
}

export function encoderCacheSize(): number {
  return vectorCache.size;
}

export class EncoderRanker {
  readonly kind = 'encoder:cosine' as const;

  constructor(
    readonly prompts: readonly PromptEntry[],
    private readonly encoder: PromptEncoder,
  ) {}

  private async vector(text: string, cache: boolean): Promise<Float32Array> {
    const key = `${this.encoder.id}\u0000${text}`;
    const hit = cache ? vectorCache.get(key) : undefined;
    if (hit) return hit;
    const v = meanPool(await this.encoder.encode(text));
    if (cache) vectorCache.set(key, v);
    return v;
  }

  async score(request: string): Promise<number[]> {
    const q = await this.vector(request, false);
    const scores: number[] = [];
    for (const p of this.prompts) {
      let best = -1;
      for (const text of [p.description, ...p.exemplars]) {
        best = Math.max(best, cosine(q, await this.vector(text, true)));
      }
      scores.push(best);
    }
    return scores;
  }
}

/** The text of a prompt placed in the sequence for attention scoring: short, so many prompts fit in 512 positions. */
export function attentionText(p: PromptEntry): string {
  return `${p.title}: ${p.description}`;
}

/** IDP's rule: mean attention from the input's tokens to each prompt's tokens (last layer, mean over heads). */
export class AttentionRanker {
  readonly kind = 'encoder:attention' as const;

  constructor(
    readonly prompts: readonly PromptEntry[],
    private readonly encoder: OnnxPromptEncoder,
  ) {
    if (!encoder.attend) throw new Error('this model exposes no attention probabilities; use the cosine ranker');
  }

  async score(request: string): Promise<number[]> {
    const r = await this.encoder.attend!(this.prompts.map(attentionText), request);
    return idpAttentionScores(r.attention, r.tokens, r.promptSpans, r.input);
  }
}

/** Attention when the graph exposes it, else cosine similarity of mean-pooled hidden states. */
export function encoderScorer(
  prompts: readonly PromptEntry[],
  encoder: OnnxPromptEncoder,
): AttentionRanker | EncoderRanker {
  return encoder.attend ? new AttentionRanker(prompts, encoder) : new EncoderRanker(prompts, encoder);
}

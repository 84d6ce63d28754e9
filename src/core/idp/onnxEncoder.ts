// PromptEncoder and IDP attention matrices on an LLMLingua-2 (BERT / XLM-R token classifier) ONNX model, through
// onnxruntime-web (session setup shared with the compressor: ../llmlingua2/ortSession.ts). The graph is edited in memory once per model (see ../onnx/graph.ts): the edit is a linear copy of
// the bytes plus ~150 bytes of new outputs, so it is redone on load rather than writing a second copy of a
// several-hundred-MB model to disk.
import { ModelTokenizer } from '../llmlingua2/tokenizer';
import type { AttentionResult, EncoderService } from '../onnx/encoding';
import type { HiddenStates, PromptEncoder, Span } from './encoder';
import { exposeEncoderOutputs, type EncoderOutputs } from '../onnx/graph';
import { createOrtSession } from '../llmlingua2/ortSession';
import { openFirst } from '../llmlingua2/device';
import { planFor, type InferenceOptions } from '../llmlingua2/inference';

/** BERT-family models have 512 positions. */
const MAX_POSITIONS = 512;
/** Request tokens kept for attention scoring; the request's opening says what it asks for. */
const INPUT_RESERVE = 128;
/** Below this many tokens per prompt the pool is too large for one sequence. */
const MIN_PROMPT_TOKENS = 4;

export type { AttentionResult };

export interface OnnxPromptEncoder extends PromptEncoder, EncoderService {
  readonly outputs: EncoderOutputs;
  /** Runs prompts then input as one sequence (IDP's placement); undefined when the graph has no attention output. */
  attend?(prompts: readonly string[], input: string): Promise<AttentionResult>;
  release(): Promise<void>;
}

/** Runtime and device as for the compressor's session (../llmlingua2/inference.ts; default WASM). */
export interface OnnxEncoderOptions
  extends Pick<
    InferenceOptions,
    'numThreads' | 'wasmPaths' | 'wasmBinary' | 'backend' | 'device' | 'loadNativeOrt' | 'webGpu' | 'noGpu'
  > {
  /** Identifies the model in the prompt-vector cache. */
  id: string;
  model: Uint8Array;
  tokenizerJson: unknown;
}

export async function createOnnxPromptEncoder(options: OnnxEncoderOptions): Promise<OnnxPromptEncoder> {
  const edited = exposeEncoderOutputs(options.model);
  // One run at load, so a GPU that cannot run the edited graph falls back to the CPU here.
  const { value: session } = await openFirst(await planFor(options.model, options), async (kind) => {
    const s = await createOrtSession(kind, edited.bytes, options);
    try {
      await s.run(new BigInt64Array(8), new BigInt64Array(8).fill(1n), 1, 8, [edited.outputs.hidden]);
    } catch (e) {
      await s.release();
      throw e;
    }
    return s;
  });
  const tokenizer = new ModelTokenizer(options.tokenizerJson as ConstructorParameters<typeof ModelTokenizer>[0]);
  const bert = tokenizer.mode === 'bert';
  const cls = tokenizer.tokenToId(bert ? '[CLS]' : '<s>');
  const sep = tokenizer.tokenToId(bert ? '[SEP]' : '</s>');

  const run = async (ids: number[], fetch: string) => {
    const n = ids.length;
    const data = BigInt64Array.from(ids, (i) => BigInt(i));
    const out = await session.run(data, new BigInt64Array(n).fill(1n), 1, n, [fetch]);
    return out[fetch]!;
  };

  const encoder: OnnxPromptEncoder = {
    id: options.id,
    outputs: edited.outputs,
    async encode(text: string): Promise<HiddenStates> {
      const ids = [cls, ...tokenizer.tokenize(text).ids.slice(0, MAX_POSITIONS - 2), sep];
      const t = await run(ids, edited.outputs.hidden);
      const [, tokens, dim] = t.dims as [number, number, number];
      return { data: t.data as Float32Array, tokens, dim };
    },
    release: () => session.release(),
  };
  const attentionName = edited.outputs.attention;
  if (attentionName) {
    encoder.attend = async (prompts, input) => {
      // [CLS] prompt₁ [SEP] … promptₘ [SEP] input [SEP] in 512 positions: the input keeps up to INPUT_RESERVE tokens,
      // and each prompt gets an equal share of the rest (cut at its end), so no prompt wins by being longer.
      const inputAll = tokenizer.tokenize(input).ids;
      const inputLen = Math.max(1, Math.min(inputAll.length, INPUT_RESERVE));
      const share = Math.floor((MAX_POSITIONS - 2 - prompts.length - inputLen) / Math.max(1, prompts.length));
      if (share < MIN_PROMPT_TOKENS) {
        throw new Error(`${prompts.length} prompts do not fit the model's ${MAX_POSITIONS} positions beside the input`);
      }
      const ids = [cls];
      const promptSpans: Span[] = [];
      for (const p of prompts) {
        const pid = tokenizer.tokenize(p).ids.slice(0, share);
        promptSpans.push([ids.length, ids.length + pid.length]);
        ids.push(...pid, sep);
      }
      const inputIds = inputAll.slice(0, MAX_POSITIONS - ids.length - 1);
      const inputSpan: Span = [ids.length, ids.length + inputIds.length];
      ids.push(...inputIds, sep);
      const t = await run(ids, attentionName);
      const [, heads, n] = t.dims as [number, number, number, number];
      const all = t.data as Float32Array;
      const mean = new Float32Array(n * n);
      for (let h = 0; h < heads; h++) for (let k = 0; k < n * n; k++) mean[k]! += all[h * n * n + k]! / heads;
      return { attention: mean, tokens: n, promptSpans, input: inputSpan };
    };
  }
  return encoder;
}

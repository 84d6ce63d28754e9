// The prompt encoder when its session lives in the compressor model's worker: the same interface, each call a
// message to the worker, so scoring never blocks the extension host.
import type { HiddenStates } from './encoder';
import type { AttentionResult, OnnxPromptEncoder } from './onnxEncoder';
import type { EncoderOutputs } from '../onnx/graph';

export interface EncoderCalls {
  encoderOutputs(): Promise<EncoderOutputs>;
  encode(text: string): Promise<HiddenStates>;
  attend(prompts: readonly string[], input: string): Promise<AttentionResult>;
}

/** @param outputs what calls.encoderOutputs() answered */
export function remotePromptEncoder(id: string, outputs: EncoderOutputs, calls: EncoderCalls): OnnxPromptEncoder {
  return {
    id,
    outputs,
    encode: (text) => calls.encode(text),
    ...(outputs.attention
      ? { attend: (prompts: readonly string[], input: string) => calls.attend(prompts, input) }
      : {}),
    // The worker owns the session; it goes when the model is unloaded.
    release: async () => {},
  };
}

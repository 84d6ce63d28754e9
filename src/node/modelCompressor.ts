// Node host: LLMLingua-2 from a model folder, loaded on first use.
import { createLLMLingua2Compressor } from '../core/llmlingua2/compressor';
import { loadEngineFromFolder } from '../core/llmlingua2/folder';
import type { ModelCompressorFactory } from '../compressors';

export const nodeModelCompressor: ModelCompressorFactory = (modelPath) =>
  createLLMLingua2Compressor(() => loadEngineFromFolder(modelPath));

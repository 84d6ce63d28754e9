export { builtinPool } from './builtin';
export {
  cosine,
  EncoderRanker,
  idpAttentionScores,
  meanPool,
  clearEncoderCache,
  encoderCacheSize,
  type HiddenStates,
  type PromptEncoder,
  type Span,
} from './encoder';
export { Bm25Index, LexicalRanker, terms } from './lexical';
export {
  mergePools,
  parsePool,
  parsePoolText,
  PoolError,
  PoolSchema,
  type PromptEntry,
  type PromptPool,
} from './schema';
export {
  DEFAULT_FALLBACK_ID,
  selectPrompt,
  type PromptScorer,
  type ScoredPrompt,
  type Selection,
  type SelectOptions,
} from './selector';
export { exposeEncoderOutputs, findEncoderOutputs, readGraph, type EncoderOutputs } from '../onnx/graph';

export { packSources } from './packer';
export { LOSS } from './ladder';
export { PRIORITY_FACTOR } from './plan';
export { cutSegments, cutSegmentsDropping } from './truncate';
export type {
  Candidate,
  ExtraCompressor,
  PackNote,
  PackOptions,
  PackResult,
  PackSource,
  PackedSource,
  UnitCount,
} from './types';

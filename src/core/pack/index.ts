export {
  packSources,
  cutSegments,
  LOSS,
  PRIORITY_FACTOR,
  type Candidate,
  type ExtraCompressor,
  type PackOptions,
  type PackResult,
  type PackSource,
  type PackedSource,
} from './packer';

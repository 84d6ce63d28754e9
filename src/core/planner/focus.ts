// Question-aware packing (filled in next): units relevant to the question, kept whole.
import type { StructuralCompressor } from '../structural/index';
import type { Cancellation } from '../tokens/count';
import type { Tokenizer } from '../tokens/tokenizers';
import type { DedupedSource } from './dedupe';
import type { FocusUnit } from './types';

export interface FocusExcerpt {
  sourceIndex: number;
  unit: FocusUnit;
  text: string;
  header: string;
}

export async function findFocus(
  _sources: readonly DedupedSource[],
  _question: string,
  _planBudget: number,
  _structural: StructuralCompressor,
  _planning: Tokenizer,
  _cancellation?: Cancellation,
): Promise<{ excerpts: FocusExcerpt[]; notes: string[] }> {
  return { excerpts: [], notes: [] };
}

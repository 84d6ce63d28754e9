// Lexical prompt ranker: BM25 (../search/bm25.ts) over each prompt's title, description and exemplar requests. Used
// when no compressor model is installed.
import { Bm25Index, terms, type Bm25Options } from '../search/bm25';
import type { PromptEntry } from './schema';

export { Bm25Index, identifierTerms, terms, type Bm25Options } from '../search/bm25';

/** The text of a prompt the lexical ranker matches against. */
export function promptDocument(p: PromptEntry): string[] {
  return terms([p.title, p.description, ...p.exemplars].join('\n'));
}

export class LexicalRanker {
  readonly kind = 'lexical' as const;
  private readonly index: Bm25Index;

  constructor(
    readonly prompts: readonly PromptEntry[],
    options: Bm25Options = {},
  ) {
    this.index = new Bm25Index(prompts.map(promptDocument), options);
  }

  score(request: string): number[] {
    return this.index.score(terms(request));
  }
}

// A count target is anything that can count tokens and has a context window: a catalog model (counted with
// its tokenizer) or, in the extension, a VS Code chat model (counted with its own countTokens).
import type { BudgetTarget } from '../budget';
import type { CatalogModel } from './catalog';
import { type Cancellation, countTokens } from './count';
import { loadTokenizer, type TokenizerId } from './tokenizers';

export interface CountTarget extends BudgetTarget {
  id: string;
  label: string;
  approximate: boolean;
  /** Set when a bundled tokenizer counts for this target, so the count can also run in a worker. */
  tokenizer?: TokenizerId;
  count(text: string, cancellation?: Cancellation): Promise<number>;
}

export async function catalogTarget(model: CatalogModel): Promise<CountTarget> {
  const tokenizer = await loadTokenizer(model.tokenizer);
  return {
    id: model.id,
    label: model.label,
    contextWindow: model.contextWindow,
    inputPricePerMTok: model.inputPricePerMTok,
    approximate: tokenizer.approximate,
    tokenizer: model.tokenizer,
    count: (text, cancellation) => countTokens(text, tokenizer, cancellation),
  };
}

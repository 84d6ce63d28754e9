// What the front (../tokenizer.ts) needs of a subword model, and the tokenizer.json shapes it reads.
import type { NormalizerStep } from './normalize';

export interface TokenizedText {
  tokens: string[];
  ids: number[];
  /** UTF-16 offsets into the input text; a token the normalizer invented (Metaspace prefix) is zero-width. */
  starts: number[];
  ends: number[];
}

/** tokenizer.json's `model`. */
export interface ModelJson {
  type: string;
  vocab: Record<string, number> | [string, number][];
  unk_token?: string;
  unk_id?: number;
  continuing_subword_prefix?: string;
  max_input_chars_per_word?: number;
}

/** tokenizer.json's `normalizer`: a step (or a Sequence of them), with BertNormalizer's options. */
export type NormalizerJson = NormalizerStep & { lowercase?: boolean | null; strip_accents?: boolean | null };

/** A vocabulary with its normalizer, pre-tokenizer, model and decoder; added tokens are the front's concern. */
export abstract class SubwordModel {
  protected readonly vocab = new Map<string, number>();
  protected readonly idToTok: string[] = [];
  abstract readonly unkToken: string;
  abstract readonly unkId: number;

  idOf(token: string): number | undefined {
    return this.vocab.get(token);
  }

  tokenOf(id: number): string | undefined {
    return this.idToTok[id];
  }

  /** Appends the tokens of text[start, end), which holds no added token. */
  abstract tokenizeSegment(text: string, start: number, end: number, out: TokenizedText): void;

  /** transformers' convert_tokens_to_string: tokenizer.json's decoder applied to token strings. */
  abstract decode(tokens: string[]): string;
}

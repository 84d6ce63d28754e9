// Compressor-model tokenizer (WordPiece for mBERT, Unigram/Metaspace for XLM-R) read from tokenizer.json.
// Own implementation because @huggingface/tokenizers 0.2.0 returns no character offsets and has no `Nmt`
// normalizer (XLM-R); tests cross-check it against that library and against the recorded reference tokens.
// This front picks the model and splits out added tokens; the pipelines live in tokenizer/.
import type { ModelJson, NormalizerJson, SubwordModel, TokenizedText } from './tokenizer/model';
import { Unigram } from './tokenizer/unigram';
import { WordPiece } from './tokenizer/wordpiece';

export type { TokenizedText } from './tokenizer/model';
export type { NormalizerStep } from './tokenizer/normalize';

export type ModelMode = 'bert' | 'xlmr';

interface AddedTokenJson {
  id: number;
  content: string;
  special?: boolean;
}

interface TokenizerJson {
  normalizer?: NormalizerJson | null;
  model: ModelJson;
  added_tokens?: AddedTokenJson[];
  decoder?: { type: string; prefix?: string; cleanup?: boolean; replacement?: string } | null;
}

export class ModelTokenizer {
  readonly mode: ModelMode;
  private readonly model: SubwordModel;
  private readonly addedRe: RegExp | null;
  private readonly addedByContent = new Map<string, number>();
  private readonly addedById = new Map<number, string>();

  constructor(json: TokenizerJson) {
    const type = json.model.type;
    if (type === 'WordPiece') {
      this.mode = 'bert';
      this.model = new WordPiece(json.model, json.normalizer);
    } else if (type === 'Unigram') {
      this.mode = 'xlmr';
      this.model = new Unigram(json.model, json.normalizer);
    } else {
      throw new Error(`Unsupported tokenizer model type: ${type} (expected WordPiece or Unigram)`);
    }
    const added = json.added_tokens ?? [];
    for (const a of added) {
      this.addedByContent.set(a.content, a.id);
      this.addedById.set(a.id, a.content);
    }
    const contents = added.map((a) => a.content).sort((a, b) => b.length - a.length);
    this.addedRe = contents.length
      ? new RegExp(contents.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
      : null;
  }

  get unknownToken(): string {
    return this.model.unkToken;
  }

  tokenToId(token: string): number {
    return this.addedByContent.get(token) ?? this.model.idOf(token) ?? this.model.unkId;
  }

  idToToken(id: number): string {
    return this.addedById.get(id) ?? this.model.tokenOf(id) ?? this.model.unkToken;
  }

  hasToken(token: string): boolean {
    return this.addedByContent.has(token) || this.model.idOf(token) !== undefined;
  }

  /** Like transformers' `tokenize` (no special tokens added), with ids and offsets. */
  tokenize(text: string): TokenizedText {
    const out: TokenizedText = { tokens: [], ids: [], starts: [], ends: [] };
    let pos = 0;
    const segment = (end: number) => {
      if (end > pos) this.model.tokenizeSegment(text, pos, end, out);
    };
    if (this.addedRe) {
      this.addedRe.lastIndex = 0;
      for (let m = this.addedRe.exec(text); m; m = this.addedRe.exec(text)) {
        segment(m.index);
        out.tokens.push(m[0]);
        out.ids.push(this.addedByContent.get(m[0])!);
        out.starts.push(m.index);
        out.ends.push(m.index + m[0].length);
        pos = m.index + m[0].length;
      }
    }
    segment(text.length);
    return out;
  }

  /** transformers' convert_tokens_to_string: the tokenizer.json decoder applied to token strings. */
  convertTokensToString(tokens: string[]): string {
    return this.model.decode(tokens);
  }
}

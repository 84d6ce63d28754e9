// Okapi BM25 over stemmed terms, and terms for code (identifiers split, compounds kept whole). Shared by the prompt
// selector (idp/lexical.ts), question focus (planner/focus.ts) and the budget fill (pack/fill.ts). Hand-written
// (≈40 lines) because the small npm BM25 packages match terms as substrings ("test" inside "latest").
import { stemmer } from 'stemmer';

// Words that say nothing about the task; kept short so task words like "why", "how" and "what" still count.
const STOPWORDS = new Set(
  'a an the and or of to in on for with at by from this that these those it its is are was were be been being i me my we our you your he she they them their do does did can could would should will shall may might please just some any into about as so than then there here also me let us'.split(
    ' ',
  ),
);

/** Lowercased, camelCase and snake_case split, stop words dropped, Porter-stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  const words =
    text
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    if (STOPWORDS.has(w)) continue;
    // British -ise spellings stem differently from -ize ones (summarise / summarize); fold them first.
    out.push(stemmer(w.length > 6 ? w.replace(/is(e|es|ed|ing|ation|ations)$/, 'iz$1') : w));
  }
  return out;
}

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export class Bm25Index {
  private readonly docs: Map<string, number>[];
  private readonly lengths: number[];
  private readonly avgLength: number;
  private readonly df = new Map<string, number>();
  private readonly k1: number;
  private readonly b: number;

  constructor(documents: readonly string[][], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.docs = documents.map((d) => {
      const tf = new Map<string, number>();
      for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return tf;
    });
    this.lengths = documents.map((d) => d.length);
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, documents.length) || 1;
  }

  /** The score a document outside the index would get, with the index's document frequencies and mean length. */
  scoreDocument(query: readonly string[], document: readonly string[]): number {
    const tf = new Map<string, number>();
    for (const t of document) tf.set(t, (tf.get(t) ?? 0) + 1);
    return this.sum(query, tf, document.length);
  }

  /** One score per document; a query term repeated counts once per occurrence, as in the BM25 sum. */
  score(query: readonly string[]): number[] {
    return this.docs.map((tf, i) => this.sum(query, tf, this.lengths[i]!));
  }

  private sum(query: readonly string[], tf: ReadonlyMap<string, number>, length: number): number {
    const n = this.docs.length;
    let s = 0;
    for (const q of query) {
      const f = tf.get(q);
      if (!f) continue;
      const df = this.df.get(q) ?? 0;
      // BM25+ style idf floor (the "+1" inside the log) keeps terms found in most prompts non-negative.
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      s += (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * length) / this.avgLength));
    }
    return s;
  }
}

/**
 * Terms for matching code and questions about it: `terms` with identifiers split further (acronyms: parseHTTPReply
 * → parse http reply; snake_case, dotted names, paths and `::` paths by their separators), plus each compound
 * identifier kept whole, lowercased, as an exact term, so a question naming `parseConfig` or `os.path.join`
 * matches that identifier above its common parts.
 */
export function identifierTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of text.match(/[\p{L}\p{N}_$]+(?:(?:[./\\-]|::)[\p{L}\p{N}_$]+)*/gu) ?? []) {
    const split = token.replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2');
    out.push(...terms(split));
    if (compound(token)) out.push(token.toLowerCase());
    // `TokenBucket.retryAfterMs` also names `retryAfterMs` on its own, as code writes it.
    const segments = token.split(/[./\\-]|::/);
    if (segments.length > 1) for (const segment of segments) if (compound(segment)) out.push(segment.toLowerCase());
  }
  return out;
}

/** camelCase, snake_case, a dotted name or a path: an identifier worth matching whole. */
function compound(token: string): boolean {
  return /[_./\\:$-]|\p{Ll}\p{Lu}/u.test(token.replace(/^[_$]+|[_$]+$/g, ''));
}

// JSON by its tree: long arrays sampled, long strings cut, and at the outline only keys and shape remain.
// JSON has no comment syntax, so every marker is itself a JSON string and the output stays valid JSON.
import type { Tree } from 'web-tree-sitter';
import { CancelledError, type Cancellation } from '../tokens/count';
import type { Edit } from './edits';
import { yieldToHost } from '../yieldToHost';

const NODES_PER_SLICE = 20_000;

/** Arrays longer than this keep their first element and a count. */
const ARRAY_KEEP = 1;
const LONG_STRING = 160;
const STRING_KEEP = 80;

export interface JsonAnalysis {
  /** Comments, and whitespace between tokens: JSON's indentation costs tokens and carries nothing. */
  comments: Edit[];
  sampled: Edit[];
  keys: Edit[];
}

export async function analyseJson(
  tree: Tree,
  source: string,
  cancellation?: Cancellation,
  onProgress?: (fraction: number) => void,
): Promise<JsonAnalysis> {
  const comments: Edit[] = [];
  const sampled: Edit[] = [];
  const keys: Edit[] = [];
  // Strings and comments, in document order: the only places where whitespace means something.
  const verbatim: Array<[number, number]> = [];
  const cursor = tree.walk();
  let visited = 0;
  try {
    for (;;) {
      const type = cursor.nodeType;
      // Large documents (lock files, data dumps) must not block the host: yield and check now and then.
      if (++visited % NODES_PER_SLICE === 0) {
        onProgress?.(source.length ? cursor.startIndex / source.length : 1);
        await yieldToHost();
        if (cancellation?.isCancellationRequested) throw new CancelledError();
      }
      if (type === 'comment') {
        comments.push({ start: cursor.startIndex, end: cursor.endIndex, replacement: '' });
        verbatim.push([cursor.startIndex, cursor.endIndex]);
      } else if (type === 'array') {
        const items = cursor.currentNode.namedChildren.filter((c) => c && c.type !== 'comment');
        if (items.length > ARRAY_KEEP + 1) {
          const keepEnd = items[ARRAY_KEEP - 1]!.endIndex;
          const last = items[items.length - 1]!;
          const more = items.length - ARRAY_KEEP;
          sampled.push({ start: keepEnd, end: last.endIndex, replacement: `,"… ${more} more items"` });
        }
      } else if (type === 'string') {
        verbatim.push([cursor.startIndex, cursor.endIndex]);
        const node = cursor.currentNode;
        const isKey = node.parent?.type === 'pair' && node.parent.childForFieldName('key')?.id === node.id;
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        if (!isKey && end - start > LONG_STRING) {
          sampled.push({ start: safeCut(source, start + STRING_KEEP, start + 1), end: end - 1, replacement: '…' });
        }
        if (!isKey && end - start > 5) {
          keys.push({ start, end, replacement: '"…"' });
        }
      }
      if (type !== 'string' && cursor.gotoFirstChild()) continue;
      for (;;) {
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return { comments: withCompaction(source, comments, verbatim), sampled, keys };
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Moves a cut point back so that it neither splits an escape sequence nor a surrogate pair. */
function safeCut(source: string, cut: number, min: number): number {
  const space = source.lastIndexOf(' ', cut);
  if (space > cut - 30 && space > min) return space;
  let c = cut;
  // An escape is at most 6 characters (\uXXXX): step back over any backslash in that window.
  const window = source.slice(Math.max(min, c - 6), c);
  const slash = window.lastIndexOf('\\');
  if (slash >= 0) c = Math.max(min, c - 6) + slash;
  if (c > min && /[\uD800-\uDBFF]/.test(source[c - 1] ?? '')) c--;
  return c;
}

/** Comment drops plus drops of every whitespace run outside strings and comments, sorted. */
function withCompaction(source: string, comments: Edit[], verbatim: Array<[number, number]>): Edit[] {
  const edits = [...comments];
  // Sticky: each run is matched where the scan stands, never searched for to the end of the source (compact JSON
  // has thousands of gaps without whitespace).
  const ws = /\s+/y;
  let pos = 0;
  const gap = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      if (!/\s/.test(source[i]!)) continue;
      ws.lastIndex = i;
      const m = ws.exec(source)!;
      const end = Math.min(to, i + m[0].length);
      edits.push({ start: i, end, replacement: '' });
      i = end - 1;
    }
  };
  for (const [start, end] of verbatim) {
    if (start > pos) gap(pos, start);
    pos = Math.max(pos, end);
  }
  gap(pos, source.length);
  return edits.sort((a, b) => a.start - b.start);
}

// Prose (Markdown, plain text) has no grammar here: tree-sitter-markdown ships no prebuilt WASM on npm, and a
// line-based block scanner is enough for headings, paragraphs, lists, tables and code fences.
import { widenToLines, type Edit } from './edits';

interface Block {
  kind: 'heading' | 'paragraph' | 'list' | 'table' | 'fence';
  start: number;
  /** End of the block's last line, line break excluded. */
  end: number;
  /** Line start offsets inside the block. */
  lines: number[];
}

const HEADING = /^ {0,3}#{1,6}(\s|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/;
const SETEXT = /^ {0,3}(=+|-+)\s*$/;

export function scanBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  const lineEnd = (k: number) => {
    const next = k + 1 < lineStarts.length ? lineStarts[k + 1]! - 1 : text.length;
    return next > lineStarts[k]! && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  };
  const lineText = (k: number) => text.slice(lineStarts[k]!, lineEnd(k));
  let current: Block | null = null;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };
  for (let k = 0; k < lineStarts.length; k++) {
    const line = lineText(k);
    const fence = FENCE.exec(line);
    if (fence) {
      close();
      const marker = fence[1]!;
      const block: Block = { kind: 'fence', start: lineStarts[k]!, end: lineEnd(k), lines: [lineStarts[k]!] };
      for (k = k + 1; k < lineStarts.length; k++) {
        block.lines.push(lineStarts[k]!);
        block.end = lineEnd(k);
        if (lineText(k).trim().startsWith(marker)) break;
      }
      blocks.push(block);
      continue;
    }
    if (!line.trim()) {
      close();
      continue;
    }
    if (HEADING.test(line)) {
      close();
      blocks.push({ kind: 'heading', start: lineStarts[k]!, end: lineEnd(k), lines: [lineStarts[k]!] });
      continue;
    }
    const cur = current as Block | null;
    if (cur && cur.kind === 'paragraph' && cur.lines.length === 1 && SETEXT.test(line)) {
      // Setext heading: the paragraph line above is the title.
      cur.kind = 'heading';
      cur.lines.push(lineStarts[k]!);
      cur.end = lineEnd(k);
      close();
      continue;
    }
    const kind: Block['kind'] = line.trimStart().startsWith('|')
      ? 'table'
      : LIST_ITEM.test(line)
        ? 'list'
        : 'paragraph';
    if (!cur) {
      current = { kind, start: lineStarts[k]!, end: lineEnd(k), lines: [lineStarts[k]!] };
    } else {
      cur.lines.push(lineStarts[k]!);
      cur.end = lineEnd(k);
    }
  }
  close();
  return blocks;
}

/** Longest lead kept from a paragraph, in characters. */
const MAX_LEAD = 400;

/** End offset of the first sentence starting at `start`, or -1 when it runs to `end`. */
function firstSentenceEnd(text: string, start: number, end: number): number {
  const re = /[.!?:](?=["')\]]*(\s|$))/g;
  re.lastIndex = start;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    const stop = m.index + 1;
    // Skip common abbreviations and numbered lists ("e.g.", "1.").
    const before = text.slice(Math.max(start, m.index - 4), m.index + 1);
    if (/(\b(e\.g|i\.e|etc|vs|cf)\.|^\s*\d+\.)$/i.test(before)) continue;
    if (stop - start >= 12) return stop < end ? stop : -1;
  }
  return -1;
}

export function proseCommentEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  const re = /<!--[\s\S]*?-->/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [s, e] = widenToLines(text, m.index, m.index + m[0].length);
    edits.push({ start: s, end: e, replacement: '' });
  }
  return edits;
}

/** Each block cut to its lead: first sentence of a paragraph, first item of a list, header of a table. */
export function proseLeadEdits(text: string, blocks: Block[]): Edit[] {
  const edits: Edit[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        break;
      case 'fence': {
        // Keep the fence lines so the block still reads as code of that language.
        if (b.lines.length > 2) {
          const contentStart = b.lines[1]!;
          const closing = b.lines[b.lines.length - 1]!;
          if (closing - contentStart > 2) edits.push({ start: contentStart, end: closing, replacement: '…\n' });
        }
        break;
      }
      case 'list':
      case 'table': {
        const keep = b.kind === 'table' ? 2 : 1;
        if (b.lines.length > keep) {
          const cut = b.lines[keep]! - 1;
          edits.push({ start: cut, end: b.end, replacement: '\n…' });
        }
        break;
      }
      case 'paragraph': {
        let stop = firstSentenceEnd(text, b.start, b.end);
        // No sentence end (notes, word lists, unpunctuated prose): the first line is the lead.
        if (stop < 0 && b.lines.length > 1) stop = b.lines[1]! - 1;
        // A run-on first sentence is capped at a word boundary.
        if (stop - b.start > MAX_LEAD || (stop < 0 && b.end - b.start > MAX_LEAD)) {
          const space = text.lastIndexOf(' ', b.start + MAX_LEAD);
          stop = space > b.start ? space : b.start + MAX_LEAD;
        }
        if (stop > 0 && text.charCodeAt(stop - 1) === 13) stop--;
        if (stop > 0 && b.end - stop > 2) edits.push({ start: stop, end: b.end, replacement: ' …' });
        break;
      }
    }
  }
  return edits;
}

/** Headings, and under each the lead of its first block; the other blocks go. */
export function proseSectionEdits(text: string, blocks: Block[]): Edit[] {
  const edits: Edit[] = [];
  let leadTaken = false;
  for (const b of blocks) {
    if (b.kind === 'heading') {
      leadTaken = false;
      continue;
    }
    if (!leadTaken && b.kind !== 'fence') {
      leadTaken = true;
      continue;
    }
    const [s, e] = widenToLines(text, b.start, b.end);
    edits.push({ start: s, end: e, replacement: '' });
  }
  return edits;
}

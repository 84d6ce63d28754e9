// A small scanner over JSON (and JSONC) text that finds the members of an object or the items of an array with their
// offsets, without a parse tree: question focus and the budget fill both split JSON into entries with it.

export interface JsonChild {
  /** The member's key (objects); absent for array items. */
  key?: string;
  index: number;
  /** Where the member starts (its key, or the item's value). */
  start: number;
  valueStart: number;
  end: number;
}

export function skipSpace(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else return i;
  }
}

export function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

export function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = skipString(text, j) - 1;
      else if (d === '/' && (text[j + 1] === '/' || text[j + 1] === '*')) j = skipSpace(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  const m = /^[^,}\]\s]*/.exec(text.slice(i, i + 200))!;
  return i + Math.max(1, m[0].length);
}

export function jsonChildren(text: string, open: number): JsonChild[] {
  const object = text[open] === '{';
  const out: JsonChild[] = [];
  let i = open + 1;
  for (let index = 0; i < text.length; index++) {
    i = skipSpace(text, i);
    while (text[i] === ',') i = skipSpace(text, i + 1);
    if (i >= text.length || text[i] === '}' || text[i] === ']') break;
    const start = i;
    let key: string | undefined;
    if (object) {
      if (text[i] !== '"') break;
      const keyEnd = skipString(text, i);
      key = text.slice(i + 1, keyEnd - 1);
      i = skipSpace(text, keyEnd);
      if (text[i] !== ':') break;
      i = skipSpace(text, i + 1);
    }
    const valueStart = i;
    i = skipValue(text, i);
    out.push({ ...(key !== undefined ? { key } : {}), index, start, valueStart, end: i });
  }
  return out;
}

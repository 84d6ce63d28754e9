// Normalizers with offsets: every normalized UTF-16 unit keeps the original range it came from, so tokens map back
// to the input. BertNormalizer for WordPiece; for Unigram the steps tokenizer.json lists.

/** A normalized string with, per UTF-16 unit, the original [start, end) it came from. */
export interface Mapped {
  text: string;
  from: number[];
  to: number[];
}

export interface NormalizerStep {
  type: string;
  normalizers?: NormalizerStep[];
  pattern?: { String?: string; Regex?: string };
  content?: string;
}

const CONTROL_RE = /^[\p{Cc}\p{Cf}\p{Cn}\p{Co}]$/u;
const WHITE_RE = /^\s$/u;
const MARK_RE = /^\p{M}$/u;

export function isWhitespace(c: string): boolean {
  return c === '\t' || c === '\n' || c === '\r' || (WHITE_RE.test(c) && c !== '\ufeff');
}

function isControl(c: string): boolean {
  if (c === '\t' || c === '\n' || c === '\r') return false;
  return CONTROL_RE.test(c);
}

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export interface BertNormalizerOptions {
  lowercase: boolean;
  stripAccents: boolean;
}

/** BertNormalizer: clean_text, CJK padding, then strip_accents and lowercase as configured. */
export function bertNormalize(text: string, start: number, end: number, opts: BertNormalizerOptions): Mapped {
  const m: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  const emit = (s: string, a: number, b: number) => {
    parts.push(s);
    for (let k = 0; k < s.length; k++) {
      m.from.push(a);
      m.to.push(b);
    }
  };
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i)!;
    const c = String.fromCodePoint(cp);
    const j = i + c.length;
    if (cp === 0 || cp === 0xfffd || isControl(c)) {
      // removed
    } else if (isWhitespace(c)) {
      emit(' ', i, j);
    } else if (isChineseChar(cp)) {
      emit(' ', i, i);
      emit(c, i, j);
      emit(' ', j, j);
    } else {
      let t = c;
      if (opts.stripAccents) {
        t = t.normalize('NFD').replace(/\p{Mn}/gu, '');
      }
      if (opts.lowercase) {
        t = t.toLowerCase();
      }
      if (t) {
        emit(t, i, j);
      }
    }
    i = j;
  }
  m.text = parts.join('');
  return m;
}

function nmtMap(cp: number): string | null {
  if ((cp >= 1 && cp <= 8) || cp === 0x0b || (cp >= 0x0e && cp <= 0x1f) || cp === 0x7f || cp === 0x8f || cp === 0x9f) {
    return null;
  }
  if (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0c ||
    cp === 0x0d ||
    cp === 0x1680 ||
    (cp >= 0x200b && cp <= 0x200f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x2581 ||
    cp === 0xfeff ||
    cp === 0xfffd
  ) {
    return ' ';
  }
  return String.fromCodePoint(cp);
}

/** The normalizer steps of a tokenizer.json (a Sequence flattened); null means none. */
export function normalizerSteps(config: NormalizerStep | null | undefined): NormalizerStep[] {
  if (!config) {
    return [];
  }
  if (config.type === 'Sequence') {
    return (config.normalizers ?? []).flatMap((n) => normalizerSteps(n));
  }
  return [config];
}

function identityMapped(text: string, start: number, end: number): Mapped {
  const m: Mapped = { text: text.slice(start, end), from: [], to: [] };
  for (let i = start; i < end; ) {
    const len = text.codePointAt(i)! > 0xffff ? 2 : 1;
    for (let k = 0; k < len; k++) {
      m.from.push(i);
      m.to.push(i + len);
    }
    i += len;
  }
  return m;
}

/** Applies fn per code point (null removes it); every output unit keeps its source range. */
function mapCodePoints(m: Mapped, fn: (cp: number) => string | null): Mapped {
  const out: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  for (let i = 0; i < m.text.length; ) {
    const cp = m.text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const r = fn(cp);
    if (r !== null) {
      parts.push(r);
      for (let k = 0; k < r.length; k++) {
        out.from.push(m.from[i]!);
        out.to.push(m.to[i + len - 1]!);
      }
    }
    i += len;
  }
  out.text = parts.join('');
  return out;
}

/** Unicode normalization per cluster (base + combining marks), so offsets stay exact. */
function normalizeForm(m: Mapped, form: 'NFKC' | 'NFC' | 'NFD' | 'NFKD'): Mapped {
  const whole = m.text.normalize(form);
  const out: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  let i = 0;
  while (i < m.text.length) {
    let j = i + (m.text.codePointAt(i)! > 0xffff ? 2 : 1);
    while (j < m.text.length) {
      const c = String.fromCodePoint(m.text.codePointAt(j)!);
      if (!MARK_RE.test(c)) {
        break;
      }
      j += c.length;
    }
    const n = m.text.slice(i, j).normalize(form);
    parts.push(n);
    for (let k = 0; k < n.length; k++) {
      out.from.push(m.from[i]!);
      out.to.push(m.to[j - 1]!);
    }
    i = j;
  }
  out.text = parts.join('');
  if (out.text !== whole) {
    // Rare composition across clusters (e.g. Hangul jamo): keep the exact text, spread offsets coarsely.
    const a = m.from[0] ?? 0;
    const b = m.to[m.to.length - 1] ?? a;
    return { text: whole, from: new Array<number>(whole.length).fill(a), to: new Array<number>(whole.length).fill(b) };
  }
  return out;
}

function replaceMapped(m: Mapped, re: RegExp, content: string): Mapped {
  const out: Mapped = { text: '', from: [], to: [] };
  const parts: string[] = [];
  let last = 0;
  const copy = (a: number, b: number) => {
    parts.push(m.text.slice(a, b));
    for (let k = a; k < b; k++) {
      out.from.push(m.from[k]!);
      out.to.push(m.to[k]!);
    }
  };
  for (const match of m.text.matchAll(re)) {
    const a = match.index;
    const b = a + match[0].length;
    if (b === a) {
      continue;
    }
    copy(last, a);
    parts.push(content);
    for (let k = 0; k < content.length; k++) {
      out.from.push(m.from[a]!);
      out.to.push(m.to[b - 1]!);
    }
    last = b;
  }
  copy(last, m.text.length);
  out.text = parts.join('');
  return out;
}

/**
 * The normalizer of a SentencePiece-style tokenizer.json: Nmt, NFKC/NFC/NFD/NFKD, Replace, Lowercase, and
 * Precompiled (SentencePiece's nmt_nfkc charsmap, applied as Nmt + NFKC, the rules it was compiled from).
 */
export function sequenceNormalize(steps: NormalizerStep[], text: string, start: number, end: number): Mapped {
  let m = identityMapped(text, start, end);
  for (const step of steps) {
    switch (step.type) {
      case 'Nmt':
        m = mapCodePoints(m, nmtMap);
        break;
      case 'Precompiled':
        m = normalizeForm(mapCodePoints(m, nmtMap), 'NFKC');
        break;
      case 'NFKC':
      case 'NFC':
      case 'NFD':
      case 'NFKD':
        m = normalizeForm(m, step.type);
        break;
      case 'Lowercase':
        m = mapCodePoints(m, (cp) => String.fromCodePoint(cp).toLowerCase());
        break;
      case 'Replace': {
        const re =
          step.pattern?.Regex !== undefined
            ? new RegExp(step.pattern.Regex, 'gu')
            : new RegExp((step.pattern?.String ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
        m = replaceMapped(m, re, step.content ?? '');
        break;
      }
      default:
        throw new Error(`Unsupported normalizer in tokenizer.json: ${step.type}`);
    }
  }
  return m;
}

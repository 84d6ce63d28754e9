// How every surface writes numbers: the status bar, CodeLens, the savings view, the chat footer, the
// language-model tool and the CLI. Pure (no vscode, no DOM), so the webview bundle and the CLI use it too. Numbers
// follow the display language: each UI host sets it once (the extension host from VS Code's language, the webview
// from its page's lang); the CLI and the MCP server, read by scripts and models, keep en-US.

let locale = 'en-US';
let integer = new Intl.NumberFormat(locale);

/** The display language for numbers, as a BCP 47 tag (`de`, `en-US`); an unknown tag leaves it as it was. */
export function setNumberLocale(tag: string): void {
  try {
    integer = new Intl.NumberFormat(tag);
    locale = tag;
  } catch {
    // RangeError for a malformed tag: numbers stay in the previous locale.
  }
}

/** A token count with thousands separators: 123,904. */
export function formatTokens(n: number): string {
  return integer.format(n);
}

/** A size in bytes, KB or MB (1024s), one decimal above bytes: 512 B, 1.5 KB (German 1,5 KB), 27.0 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${integer.format(bytes)} B`;
  }
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)} ${unit}`;
}

/** "before → after", both as token counts. */
export function formatChange(before: number, after: number): string {
  return `${formatTokens(before)} → ${formatTokens(after)}`;
}

/** A share of a window or budget: one decimal under 10% (0.1%), whole above (46%), so small shares are not 0%. */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const digits = pct < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(pct)}%`;
}

/** A whole percent (50%): settings such as the chat's share of the window, the keep rate, progress. */
export function formatWholePercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** US dollars: four decimals under a cent so a small request is not $0.00; n/a when the price is unknown. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === undefined || usd === null) {
    return 'n/a';
  }
  const digits = usd === 0 ? 0 : usd < 0.01 ? 4 : 2;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(usd);
}

/**
 * What compression saved: the token count and its whole-percent share of the original. Never negative: a packed
 * result can count a separator or two more than its untouched sources.
 */
export function formatSaved(originalTokens: number, compressedTokens: number): { tokens: string; percent: string } {
  const saved = Math.max(0, originalTokens - compressedTokens);
  return {
    tokens: formatTokens(saved),
    percent: formatWholePercent(originalTokens ? saved / originalTokens : 0),
  };
}

// How every surface writes numbers: the status bar, CodeLens, the savings view, the chat footer, the
// language-model tool and the CLI. Pure (no vscode, no DOM), so the webview bundle and the CLI use it too.

const integer = new Intl.NumberFormat('en-US');

/** A token count with thousands separators: 123,904. */
export function formatTokens(n: number): string {
  return integer.format(n);
}

/** "before → after", both as token counts. */
export function formatChange(before: number, after: number): string {
  return `${formatTokens(before)} → ${formatTokens(after)}`;
}

/** A share of a window or budget: one decimal under 10% (0.1%), whole above (46%), so small shares are not 0%. */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
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
  if (usd === 0) {
    return '$0';
  }
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
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

// The line that ends a compressing @budget reply: what compression saved, the share of the window the request
// (or, for /compress, the context) takes, the prompt chosen, each reference's level and what ran on it (the
// planner's explanation), and "Show savings".
import * as vscode from 'vscode';
import { formatChange, formatPercent, formatSaved, formatTokens } from '../core/format';
import type { ChatSavings } from './pipeline';
import type { ChatTurn } from './request';

export const SHOW_SAVINGS_COMMAND = 'contextBudget.showSavings';

/** @param requestTokens the whole message sent to the model; undefined when nothing was sent (/compress) */
export function savingsFooter(turn: ChatTurn, s: ChatSavings, requestTokens: number | undefined): void {
  const { window, out } = turn;
  const refs = turn.sources.length;
  const saved = formatSaved(s.originalTokens, s.compressedTokens);
  const summary = vscode.l10n.t(
    '{0} tokens (saved {1}, {2})',
    formatChange(s.originalTokens, s.compressedTokens),
    saved.tokens,
    saved.percent,
  );
  const parts = [
    refs === 1
      ? vscode.l10n.t('**Context Budget** · 1 reference: {0}', summary)
      : vscode.l10n.t('**Context Budget** · {0} references: {1}', refs, summary),
  ];
  const used = requestTokens ?? s.compressedTokens;
  const share = [formatTokens(used), formatPercent(used / window), formatTokens(window)];
  parts.push(
    requestTokens
      ? vscode.l10n.t('request {0} tokens = {1} of the {2}-token window', ...share)
      : vscode.l10n.t('context {0} tokens = {1} of the {2}-token window', ...share),
  );
  if (s.expanded) {
    parts.push(
      s.expanded === 1
        ? vscode.l10n.t('1 elided section expanded for the model')
        : vscode.l10n.t('{0} elided sections expanded for the model', s.expanded),
    );
  }
  if (s.prompt) {
    const how = s.prompt.method === 'override' ? vscode.l10n.t('chosen by you') : s.prompt.method;
    parts.push(vscode.l10n.t('prompt: *{0}* ({1})', s.prompt.title, how));
  }
  const levels = s.sources
    .map((x) => `\`${x.label}\` ${x.level} (${formatChange(x.originalTokens, x.tokens)})`)
    .join(', ');
  // What ran, per source, in the planner's words: the level names alone do not say whether a model ran.
  const explained = s.sources.map((x) => `- \`${x.label}\`: ${x.explanation}`).join('\n');
  out(`\n\n---\n${parts.join(' · ')}\n\n${levels}\n\n${explained}\n`);
  turn.stream.button({ command: SHOW_SAVINGS_COMMAND, title: vscode.l10n.t('Show savings'), arguments: [s] });
}

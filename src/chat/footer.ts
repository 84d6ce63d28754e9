// The line that ends a compressing @budget reply: what compression saved, the share of the window the request
// (or, for /compress, the context) takes, the prompt chosen, each reference's level and what ran on it (the
// planner's explanation), and "Show savings".
import * as vscode from 'vscode';
import { formatChange, formatPercent, formatTokens } from '../core/format';
import { savingsSummary, type ChatSavings } from './pipeline';
import type { ChatTurn } from './request';

export const SHOW_SAVINGS_COMMAND = 'contextBudget.showSavings';

/** @param requestTokens the whole message sent to the model; undefined when nothing was sent (/compress) */
export function savingsFooter(turn: ChatTurn, s: ChatSavings, requestTokens: number | undefined): void {
  const { window, out } = turn;
  const refs = turn.sources.length;
  const parts = [`**Context Budget** · ${refs} reference${refs === 1 ? '' : 's'}: ${savingsSummary(s)}`];
  const used = requestTokens ?? s.compressedTokens;
  parts.push(
    `${requestTokens ? 'request' : 'context'} ${formatTokens(used)} tokens = ${formatPercent(used / window)} of the ${formatTokens(window)}-token window`,
  );
  if (s.expanded) {
    parts.push(
      s.expanded === 1
        ? vscode.l10n.t('1 elided section expanded for the model')
        : vscode.l10n.t('{0} elided sections expanded for the model', s.expanded),
    );
  }
  if (s.prompt) {
    parts.push(`prompt: *${s.prompt.title}* (${s.prompt.method === 'override' ? 'chosen by you' : s.prompt.method})`);
  }
  const levels = s.sources
    .map((x) => `\`${x.label}\` ${x.level} (${formatChange(x.originalTokens, x.tokens)})`)
    .join(', ');
  // What ran, per source, in the planner's words: the level names alone do not say whether a model ran.
  const explained = s.sources.map((x) => `- \`${x.label}\`: ${x.explanation}`).join('\n');
  out(`\n\n---\n${parts.join(' · ')}\n\n${levels}\n\n${explained}\n`);
  turn.stream.button({ command: SHOW_SAVINGS_COMMAND, title: vscode.l10n.t('Show savings'), arguments: [s] });
}

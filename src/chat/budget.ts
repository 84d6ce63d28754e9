// `@budget /budget`: what each reference costs against the chat model's window, and whether they fit the
// configured share of it. Counts only; nothing is compressed or sent. The total counts a file attached twice (or a
// selection inside an attached file) once, as the planner does.
import * as vscode from 'vscode';
import { formatPercent, formatTokens, formatWholePercent } from '../core/format';
import { dedupeSources, noteText } from '../core/planner';
import { localNoteWords } from '../explainWords';
import { allowedTokens, type ChatTurn } from './request';

export async function budgetFlow(turn: ChatTurn): Promise<vscode.ChatResult> {
  const { sources, window, count, out } = turn;
  if (sources.length === 0) {
    out(
      vscode.l10n.t(
        'No references attached. Attach files with `#file:…` or select code, and `/budget` shows what each costs against the model’s window.',
      ),
    );
    return {};
  }
  const rows: string[] = ['| reference | tokens | % of window |', '| --- | ---: | ---: |'];
  const perSource: { label: string; tokens: number }[] = [];
  for (const s of sources) {
    const n = await count((s.header ?? '') + s.text);
    perSource.push({ label: s.label, tokens: n });
    rows.push(`| \`${s.label}\` | ${formatTokens(n)} | ${formatPercent(n / window)} |`);
  }
  const deduped = dedupeSources(sources);
  let sum = 0;
  if (deduped.sources.length === sources.length) {
    sum = perSource.reduce((a, s) => a + s.tokens, 0);
  } else {
    for (const s of deduped.sources) sum += await count((s.header ?? '') + s.text);
  }
  rows.push(`| **total** | **${formatTokens(sum)}** | **${formatPercent(sum / window)}** |`);
  for (const note of deduped.notes) rows.push('', `_${noteText(note, localNoteWords)}_`);
  const allowed = allowedTokens(turn);
  const share = `${formatWholePercent(turn.settings.contextShare)} of the ${formatTokens(window)}-token window`;
  const verdict =
    sum <= allowed
      ? `Fits: ${formatTokens(sum)} of the ${formatTokens(allowed)} tokens allowed (${share}).`
      : `Over by ${formatTokens(sum - allowed)}: ${formatTokens(sum)} tokens against ${formatTokens(allowed)} allowed (${share}); \`@budget\` compresses to fit.`;
  out(`${rows.join('\n')}\n\n${verdict}\n`);
  return { metadata: { budget: { window, allowed, total: sum, sources: perSource } } };
}

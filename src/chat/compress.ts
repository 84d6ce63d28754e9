// `@budget /compress`: the references packed into the chat's share of the window, returned as a code block
// without a model call, then the savings footer.
import * as vscode from 'vscode';
import { formatTokens } from '../core/format';
import { savingsFooter } from './footer';
import { allowedTokens, chatSavings, chooseInstruction, planReferences, type ChatTurn, type FlowDeps } from './request';

export async function compressFlow(turn: ChatTurn, deps: FlowDeps): Promise<vscode.ChatResult> {
  const { sources, out } = turn;
  if (sources.length === 0) {
    out(
      vscode.l10n.t(
        'No references to compress. Attach files with `#file:…`, select code in an editor, or drag files into the chat, then ask again.',
      ),
    );
    return {};
  }
  const selection = await chooseInstruction(turn, deps.scorers);
  const total = allowedTokens(turn);
  turn.stream.progress(
    vscode.l10n.t('Compressing {0} reference(s) to {1} tokens…', sources.length, formatTokens(total)),
  );
  // No frame: the context alone is what the user gets back; a question, when given, still steers what is kept whole.
  const plan = await planReferences(turn, deps.compression, total);
  const savings = await chatSavings(turn, plan, selection, false);
  out(fence(plan.context));
  savingsFooter(turn, savings, undefined);
  return { metadata: { savings } };
}

/** A Markdown code fence longer than any backtick run inside, so compressed code cannot close it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}\n`;
}

// `@budget` without a command: the chosen instruction, the references and the question, planned as one message
// into the configured share of the chat model's window by that model's own count (the planner keeps the units the
// question names whole first), sent to the chat model; its answer is streamed, then the savings footer.
import * as vscode from 'vscode';
import { formatTokens, formatWholePercent } from '../core/format';
import { MARKER_ID_RE } from '../core/elisions';
import { EXPAND_HINT } from '../lmTool/expand';
import { EXPANSION_SHARE, converse, expandToolFor } from './expandLoop';
import { savingsFooter } from './footer';
import type { ChatSavings } from './pipeline';
import { allowedTokens, chatSavings, chooseInstruction, planReferences, type ChatTurn, type FlowDeps } from './request';

export async function askFlow(turn: ChatTurn, deps: FlowDeps): Promise<vscode.ChatResult> {
  const { request, sources, window, countMessage, question, out } = turn;
  const tool = expandToolFor(request.model);
  const selection = await chooseInstruction(turn, deps.scorers);
  const allowed = allowedTokens(turn);
  const share = `${formatWholePercent(turn.settings.contextShare)} of ${formatTokens(window)}`;
  const tooLarge = (tokens: number, what: string) =>
    new Error(
      `${what} needs ${formatTokens(tokens)} tokens, more than the ${formatTokens(allowed)} allowed (${share})`,
    );
  let message: string;
  let requestTokens: number;
  let savings: ChatSavings | undefined;
  if (sources.length === 0) {
    out('_No references attached, so there is nothing to compress; your request goes to the model as written._\n\n');
    message = question;
    requestTokens = await countMessage(message);
    if (requestTokens > allowed) throw tooLarge(requestTokens, 'the request');
  } else {
    // The frame is the whole message: instruction, context header, question; counted as the message it is sent
    // as, so the model's own framing of a user message is in the count.
    // With the expand tool, cuts carry ids and part of the budget waits for what the model asks back.
    const frame = (context: string) =>
      composeMessage(
        selection.prompt.instruction,
        context,
        question,
        tool && MARKER_ID_RE.test(context) ? EXPAND_HINT : undefined,
      );
    const frameTokens = await countMessage(frame(''));
    if (frameTokens >= allowed) throw tooLarge(frameTokens, 'the request alone');
    turn.stream.progress(
      vscode.l10n.t(
        'Compressing {0} reference(s) into {1} tokens with your request…',
        sources.length,
        formatTokens(allowed),
      ),
    );
    const first = tool ? Math.floor(allowed * (1 - EXPANSION_SHARE)) : allowed;
    const plan = await planReferences(turn, deps.compression, first, frame, countMessage, !!tool);
    message = plan.text;
    requestTokens = plan.tokens;
    savings = { ...(await chatSavings(turn, plan, selection, true)), requestTokens };
  }
  // A provider may end its stream quietly on cancellation; converse throws then, so a cut-off answer gets no footer.
  const conversation = await converse(turn, message, requestTokens, allowed, deps.compression.elisions, tool);
  if (savings) {
    savingsFooter(turn, { ...savings, expanded: conversation.expanded }, conversation.tokens);
  }
  return { metadata: { savings } };
}

export function composeMessage(instruction: string, context: string, question: string, hint?: string): string {
  const parts = [instruction];
  if (context) parts.push(`# Context (compressed to fit a token budget)\n\n${hint ? `${hint}\n\n` : ''}${context}`);
  parts.push(`# Request\n\n${question}`);
  return parts.join('\n\n');
}

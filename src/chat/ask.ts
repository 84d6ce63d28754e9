// `@budget` without a command: the chosen instruction, the references and the question, planned as one message
// into the configured share of the chat model's window by that model's own count (the planner keeps the units the
// question names whole first), sent to the chat model; its answer is streamed, then the savings footer.
import * as vscode from 'vscode';
import { formatTokens, formatWholePercent } from '../core/format';
import { CancelledError } from '../core/tokens/count';
import { savingsFooter } from './footer';
import type { ChatSavings } from './pipeline';
import { allowedTokens, chatSavings, chooseInstruction, planReferences, type ChatTurn, type FlowDeps } from './request';

export async function askFlow(turn: ChatTurn, deps: FlowDeps): Promise<vscode.ChatResult> {
  const { request, token, sources, window, countMessage, question, out } = turn;
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
    const frame = (context: string) => composeMessage(selection.prompt.instruction, context, question);
    const frameTokens = await countMessage(frame(''));
    if (frameTokens >= allowed) throw tooLarge(frameTokens, 'the request alone');
    turn.stream.progress(
      vscode.l10n.t(
        'Compressing {0} reference(s) into {1} tokens with your request…',
        sources.length,
        formatTokens(allowed),
      ),
    );
    const plan = await planReferences(turn, deps.compression, allowed, frame, countMessage);
    message = plan.text;
    requestTokens = plan.tokens;
    savings = { ...(await chatSavings(turn, plan, selection, true)), requestTokens };
  }
  const response = await request.model.sendRequest(
    [vscode.LanguageModelChatMessage.User(message)],
    { justification: 'Context Budget answers with compressed references' },
    token,
  );
  for await (const fragment of response.text) {
    if (token.isCancellationRequested) throw new CancelledError();
    out(fragment);
  }
  // A provider may end its stream quietly on cancellation; a cut-off answer gets no savings footer.
  if (token.isCancellationRequested) throw new CancelledError();
  if (savings) savingsFooter(turn, savings, requestTokens);
  return { metadata: { savings } };
}

export function composeMessage(instruction: string, context: string, question: string): string {
  const parts = [instruction];
  if (context) parts.push(`# Context (compressed to fit a token budget)\n\n${context}`);
  parts.push(`# Request\n\n${question}`);
  return parts.join('\n\n');
}

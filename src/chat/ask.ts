// `@budget` without a command: the chosen instruction, the references compressed to what the question and
// instruction leave of the chat's share of the window, and the question, sent to the chat model; its answer is
// streamed, then the savings footer.
import * as vscode from 'vscode';
import { formatTokens, formatWholePercent } from '../core/format';
import { CancelledError } from '../core/tokens/count';
import { savingsFooter } from './footer';
import type { ChatSavings } from './pipeline';
import { allowedTokens, chatSavings, chooseInstruction, fitReferences, type ChatTurn, type FlowDeps } from './request';

// Fixed cost of a chat message beyond its text (role, separators); the providers we know add fewer than this.
const MESSAGE_OVERHEAD = 8;

export async function askFlow(turn: ChatTurn, deps: FlowDeps): Promise<vscode.ChatResult> {
  const { request, token, sources, window, count, question, out } = turn;
  const selection = await chooseInstruction(turn, deps.scorers);
  const total = allowedTokens(turn);
  // Instruction + compressed context + question, all inside the share of the window.
  const frameTokens = (await count(composeMessage(selection.prompt.instruction, '', question))) + MESSAGE_OVERHEAD;
  let message: string;
  let savings: ChatSavings | undefined;
  if (sources.length === 0) {
    out('_No references attached, so there is nothing to compress; your request goes to the model as written._\n\n');
    message = question;
  } else {
    const contextBudget = total - frameTokens;
    if (contextBudget <= 0) {
      throw new Error(
        `the request alone needs ${formatTokens(frameTokens)} tokens, more than the ${formatTokens(total)} allowed (${formatWholePercent(turn.settings.contextShare)} of ${formatTokens(window)})`,
      );
    }
    turn.stream.progress(`Compressing ${sources.length} reference(s) to ${formatTokens(contextBudget)} tokens…`);
    const fit = await fitReferences(turn, contextBudget, deps.pack);
    message = composeMessage(selection.prompt.instruction, fit.pack.text, question);
    savings = await chatSavings(turn, fit, selection);
  }
  const requestTokens = (await count(message)) + MESSAGE_OVERHEAD;
  if (savings) savings.requestTokens = requestTokens;
  if (requestTokens > window) {
    throw new Error(
      `the request is ${formatTokens(requestTokens)} tokens, over the model's ${formatTokens(window)}-token window`,
    );
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

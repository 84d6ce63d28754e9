// Sends @budget's message and streams the answer. When the chat model can call tools, it is offered
// contextBudget_expand: each call for a marker's id is answered with the original, in a bounded loop (at most
// MAX_ROUNDS requests), and every round's messages count against the same budget as the first message.
import * as vscode from 'vscode';
import type { ElisionStore } from '../core/elisions';
import { CancelledError } from '../core/tokens/count';
import { EXPAND_TOOL_NAME, expandAnswer } from '../lmTool/expand';
import type { ChatTurn } from './request';

export const MAX_ROUNDS = 5;
/** Share of the request's budget the first message leaves for originals the model asks back. */
export const EXPANSION_SHARE = 0.25;

/** Whether the chat model takes tools (the extension host reports it on the model; older hosts do not). */
function supportsTools(model: vscode.LanguageModelChat): boolean {
  const capabilities = (model as { capabilities?: { supportsToolCalling?: boolean } }).capabilities;
  return capabilities?.supportsToolCalling === true;
}

/** The expand tool as registered (its description and schema from package.json), when @budget may offer it. */
export function expandToolFor(model: vscode.LanguageModelChat): vscode.LanguageModelChatTool | undefined {
  if (!supportsTools(model)) return undefined;
  return vscode.lm.tools?.find((t) => t.name === EXPAND_TOOL_NAME);
}

export interface Conversation {
  /** Originals sent back to the model on its request. */
  expanded: number;
  /** Every message sent, in the model's own count (the first message included). */
  tokens: number;
}

/**
 * @param firstTokens the first message's count (the planner's, by the same countMessage)
 * @param allowed the most tokens all rounds' messages together may take
 */
export async function converse(
  turn: ChatTurn,
  first: string,
  firstTokens: number,
  allowed: number,
  store: ElisionStore,
  tool: vscode.LanguageModelChatTool | undefined,
): Promise<Conversation> {
  const { request, token, out } = turn;
  const model = request.model;
  const count = async (message: vscode.LanguageModelChatMessage) => {
    const n = await model.countTokens(message, token);
    if (token.isCancellationRequested) throw new CancelledError();
    return n;
  };
  const messages = [vscode.LanguageModelChatMessage.User(first)];
  const conversation: Conversation = { expanded: 0, tokens: firstTokens };
  let last = false;
  for (let round = 1; ; round++) {
    // The last round offers no tool, so the model answers with what it has.
    const offer = tool && round < MAX_ROUNDS && !last ? tool : undefined;
    const response = await model.sendRequest(
      messages,
      { justification: 'Context Budget answers with compressed references', ...(offer ? { tools: [offer] } : {}) },
      token,
    );
    let said = '';
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of response.stream) {
      if (token.isCancellationRequested) throw new CancelledError();
      if (part instanceof vscode.LanguageModelTextPart) {
        out(part.value);
        said += part.value;
      } else if (part instanceof vscode.LanguageModelToolCallPart) {
        calls.push(part);
      }
    }
    if (token.isCancellationRequested) throw new CancelledError();
    if (!offer || calls.length === 0) return conversation;

    const before = { ...conversation };
    const assistant = vscode.LanguageModelChatMessage.Assistant([
      ...(said ? [new vscode.LanguageModelTextPart(said)] : []),
      ...calls,
    ]);
    conversation.tokens += await count(assistant);
    const results: vscode.LanguageModelToolResultPart[] = [];
    for (const call of calls) {
      const answer =
        call.name === EXPAND_TOOL_NAME
          ? expandAnswer(store, call.input)
          : { text: `There is no tool named ${call.name}; only ${EXPAND_TOOL_NAME}.`, found: false };
      let part = toolResult(call.callId, answer.text);
      let cost = await count(vscode.LanguageModelChatMessage.User([part]));
      if (conversation.tokens + cost > allowed) {
        part = toolResult(
          call.callId,
          `Not expanded: the original (${cost} tokens) would take this request over its budget of ${allowed} ` +
            `tokens (${conversation.tokens} already used). Answer from the context you have.`,
        );
        cost = await count(vscode.LanguageModelChatMessage.User([part]));
      } else if (answer.found) {
        conversation.expanded++;
      }
      results.push(part);
      conversation.tokens += cost;
    }
    if (conversation.tokens > allowed) {
      // Not even the refusals fit: this round's calls are not sent; the model answers without tools.
      Object.assign(conversation, before);
      last = true;
      continue;
    }
    messages.push(assistant, vscode.LanguageModelChatMessage.User(results));
  }
}

function toolResult(callId: string, text: string): vscode.LanguageModelToolResultPart {
  return new vscode.LanguageModelToolResultPart(callId, [new vscode.LanguageModelTextPart(text)]);
}

// Test-only language-model provider (plain JS, no build). One model with a 2,000-token input window whose
// countTokens is ceil(characters / 3): deliberately unlike o200k, so callers must trust the model's own count.
// Every request is recorded (messages, token count, what was streamed back and whether the stream finished, was
// cancelled or failed); tests read the records and script the next answer through commands.
// A second model, gated-count, holds every countTokens call until a test releases it: a deliberately slow
// tokenizer, so tests can force a count to finish after a newer one instead of hoping for it.
// A third, half-chars, counts ceil(characters / 2) in a 4,000-token window: a target whose count is well above
// o200k's, so a budget planned in o200k alone overshoots it. A message (not a string) costs 4 tokens more.
// A fourth, tool-caller (chars / 3, 8,000 tokens), calls tools: offered contextBudget_expand, it asks for the first
// marker id in the request, then for an unknown id, then answers with what the two calls returned.
// Plain CommonJS so the folder loads without a build step.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode');

const MODEL = {
  id: 'scripted-2k',
  name: 'Scripted 2k',
  family: 'scripted',
  version: '1',
  maxInputTokens: 2000,
  maxOutputTokens: 500,
  capabilities: {},
};

const GATED = { ...MODEL, id: 'gated-count', name: 'Gated count', maxInputTokens: 3000 };
const HALF = { ...MODEL, id: 'half-chars', name: 'Half chars', maxInputTokens: 4000 };
const TOOLS = {
  ...MODEL,
  id: 'tool-caller',
  name: 'Tool caller',
  maxInputTokens: 8000,
  capabilities: { toolCalling: true },
};
const UNKNOWN_ID = 'zzzzzzzz';

const count = (text) => Math.ceil(text.length / 3);
const halfCount = (text) => Math.ceil(text.length / 2);
/** Each model's own count. */
const countFor = (model) => (model.id === HALF.id ? halfCount : count);
/** A chat message costs its text plus its role's framing, as real chat tokenizers count it. */
const MESSAGE_FRAME = 4;
const countMessage = (model, message) =>
  countFor(model)(messageText(message)) + (typeof message === 'string' ? 0 : MESSAGE_FRAME);

function messageText(message) {
  if (typeof message === 'string') return message;
  return message.content.map(partText).join('');
}

/** Text parts as they are; a tool call as `name(input)`; a tool result as its text. */
function partText(part) {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  if (part instanceof vscode.LanguageModelToolCallPart) return `${part.name}(${JSON.stringify(part.input)})`;
  if (part instanceof vscode.LanguageModelToolResultPart) return part.content.map(partText).join('');
  return '';
}

/** tool-caller's turn: the next expand call, or its final answer once both calls were answered. */
function toolCallerTurn(messages, options) {
  const offered = (options.tools ?? []).some((t) => t.name === 'contextBudget_expand');
  const results = messages.flatMap((m) =>
    m.content.filter((p) => p instanceof vscode.LanguageModelToolResultPart).map(partText),
  );
  if (offered && results.length === 0) {
    const id = /contextBudget_expand\("([a-z][0-9a-z]{7})"\)/.exec(messageText(messages[0]))?.[1];
    if (id) return { call: new vscode.LanguageModelToolCallPart('call-1', 'contextBudget_expand', { id }) };
  }
  if (offered && results.length === 1) {
    return { call: new vscode.LanguageModelToolCallPart('call-2', 'contextBudget_expand', { id: UNKNOWN_ID }) };
  }
  return {
    reply: `TOOL ANSWER after ${results.length} call(s). ${results.map((r, i) => `[${i + 1}] ${r}`).join(' ')}`,
  };
}

/** Waits `ms`, or less once `token` is cancelled. */
function pause(ms, token) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = token.onCancellationRequested(done);
    function done() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

function activate(context) {
  let records = [];
  let script = {};
  /** Streams held between their two halves (script.gate) until cbTest.lm.releaseStream or a cancel. */
  let streamGates = [];
  const releaseStreams = () => {
    const waiting = streamGates;
    streamGates = [];
    waiting.forEach((release) => release());
    return waiting.length;
  };
  /** Waits until the stream is released or `token` is cancelled. */
  const gate = (token) =>
    new Promise((resolve) => {
      const sub = token.onCancellationRequested(done);
      streamGates.push(done);
      function done() {
        sub.dispose();
        resolve();
      }
    });
  /** countTokens calls of the gated model waiting for cbTest.lm.releaseCounts, and how many were answered. */
  let gated = [];
  let gatedAnswered = 0;
  const provider = {
    provideLanguageModelChatInformation: () => [MODEL, GATED, HALF, TOOLS],
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const texts = messages.map(messageText);
      const record = {
        model: model.id,
        messages: messages.map((m, i) => ({ role: m.role, text: texts[i] })),
        tokens: messages.reduce((sum, m) => sum + countMessage(model, m), 0),
        /** What the model streamed back so far. */
        streamed: '',
        /** streaming, then finished, cancelled (the caller's token fired) or failed (a scripted error). */
        state: 'streaming',
        /** Tools offered with the request. */
        tools: (options.tools ?? []).map((t) => t.name),
      };
      records.push(record);
      let toolReply;
      if (model.id === TOOLS.id) {
        const turn = toolCallerTurn(messages, options);
        if (turn.call) {
          progress.report(turn.call);
          record.streamed = partText(turn.call);
          record.state = 'finished';
          return;
        }
        toolReply = turn.reply;
      }
      if (script.error) {
        record.state = 'failed';
        throw new Error(script.error);
      }
      const reply = toolReply ?? script.reply ?? `SCRIPTED ANSWER to ${record.tokens} tokens.`;
      // Streamed in two parts so the caller's streaming path is exercised; a cancel cuts the wait short.
      const half = Math.ceil(reply.length / 2);
      const pieces = [reply.slice(0, half), reply.slice(half)];
      for (const [i, piece] of pieces.entries()) {
        if (token.isCancellationRequested) break;
        progress.report(new vscode.LanguageModelTextPart(piece));
        record.streamed += piece;
        // script.gate: the first half waits for the test (or a cancel); otherwise a short pause.
        await (script.gate && i === 0 ? gate(token) : pause(script.delayMs ?? 5, token));
      }
      record.state = token.isCancellationRequested ? 'cancelled' : 'finished';
    },
    async provideTokenCount(model, text) {
      if (model.id !== GATED.id) {
        return countMessage(model, text);
      }
      const answer = await new Promise((resolve) => gated.push(resolve));
      gatedAnswered++;
      return answer;
    },
  };
  context.subscriptions.push(
    vscode.lm.registerLanguageModelChatProvider('cb-test', provider),
    vscode.commands.registerCommand('cbTest.lm.records', () => records),
    vscode.commands.registerCommand('cbTest.lm.reset', () => {
      records = [];
      script = {};
      releaseStreams();
    }),
    vscode.commands.registerCommand('cbTest.lm.releaseStream', releaseStreams),
    vscode.commands.registerCommand('cbTest.lm.heldStreams', () => streamGates.length),
    vscode.commands.registerCommand('cbTest.lm.script', (next) => {
      script = next ?? {};
    }),
    vscode.commands.registerCommand('cbTest.lm.countTokens', (text) => count(text)),
    vscode.commands.registerCommand('cbTest.lm.gatedCounts', () => ({
      waiting: gated.length,
      answered: gatedAnswered,
    })),
    vscode.commands.registerCommand('cbTest.lm.releaseCounts', (answer) => {
      const waiting = gated;
      gated = [];
      waiting.forEach((resolve) => resolve(answer));
      return waiting.length;
    }),
  );
}

module.exports = { activate, deactivate() {} };

// Test-only language-model provider (plain JS, no build). One model with a 2,000-token input window whose
// countTokens is ceil(characters / 3): deliberately unlike o200k, so callers must trust the model's own count.
// Every request is recorded (messages, token count, what was streamed back and whether the stream finished, was
// cancelled or failed); tests read the records and script the next answer through commands.
// A second model, gated-count, holds every countTokens call until a test releases it: a deliberately slow
// tokenizer, so tests can force a count to finish after a newer one instead of hoping for it.
// A third, half-chars, counts ceil(characters / 2) in a 4,000-token window: a target whose count is well above
// o200k's, so a budget planned in o200k alone overshoots it. A message (not a string) costs 4 tokens more.
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
  return message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
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
  /** countTokens calls of the gated model waiting for cbTest.lm.releaseCounts, and how many were answered. */
  let gated = [];
  let gatedAnswered = 0;
  const provider = {
    provideLanguageModelChatInformation: () => [MODEL, GATED, HALF],
    async provideLanguageModelChatResponse(model, messages, _options, progress, token) {
      const texts = messages.map(messageText);
      const record = {
        model: model.id,
        messages: messages.map((m, i) => ({ role: m.role, text: texts[i] })),
        tokens: messages.reduce((sum, m) => sum + countMessage(model, m), 0),
        /** What the model streamed back so far. */
        streamed: '',
        /** streaming, then finished, cancelled (the caller's token fired) or failed (a scripted error). */
        state: 'streaming',
      };
      records.push(record);
      if (script.error) {
        record.state = 'failed';
        throw new Error(script.error);
      }
      const reply = script.reply ?? `SCRIPTED ANSWER to ${record.tokens} tokens.`;
      // Streamed in two parts so the caller's streaming path is exercised; a cancel cuts the wait short.
      const half = Math.ceil(reply.length / 2);
      for (const piece of [reply.slice(0, half), reply.slice(half)]) {
        if (token.isCancellationRequested) break;
        progress.report(new vscode.LanguageModelTextPart(piece));
        record.streamed += piece;
        await pause(script.delayMs ?? 5, token);
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
    }),
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

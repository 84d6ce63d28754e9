// What every @budget command does before its own flow: read the settings, count with the chat model's own
// countTokens, take the references (reporting the ones it cannot read), and, for the commands that compress,
// choose the prompt, plan the references into a budget and state the savings in the model's tokens.
import * as vscode from 'vscode';
import { readChatSettings, readSettings, type ChatSettings } from '../config';
import { selectPrompt, type Selection } from '../core/idp';
import type { PlanResult } from '../core/planner';
import { CancelledError } from '../core/tokens/count';
import type { CompressionService } from '../compression/service';
import { contextTokens, savingsSources, type ChatSavings, type CountFn } from './pipeline';
import { loadPrompts, takeOverride } from './prompts';
import { sourcesFromReferences, type ReferenceSource } from './references';
import type { ScorerProvider } from './scorers';

/** One request, prepared: what each command flow reads. */
export interface ChatTurn {
  request: vscode.ChatRequest;
  stream: vscode.ChatResponseStream;
  token: vscode.CancellationToken;
  /** Streams markdown. */
  out: (md: string) => void;
  settings: ChatSettings;
  /** The chat model's input window. */
  window: number;
  /** The chat model's own count; throws CancelledError once the request is cancelled. */
  count: CountFn;
  /** The same for the text as the one user message it is sent as (role and framing included, as the model counts). */
  countMessage: CountFn;
  /** The request text without a `prompt:<id>` override. */
  question: string;
  override?: string;
  sources: ReferenceSource[];
}

/** What the compressing flows share with the controller: the planner's service and the prompt scorers. */
export interface FlowDeps {
  compression: CompressionService;
  scorers: ScorerProvider;
}

export async function prepareTurn(
  request: vscode.ChatRequest,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<ChatTurn> {
  const out = (md: string) => {
    stream.markdown(md);
  };
  const model = request.model;
  const counted = async (n: Thenable<number>) => {
    const tokens = await n;
    if (token.isCancellationRequested) throw new CancelledError();
    return tokens;
  };
  const count = (text: string) => counted(model.countTokens(text, token));
  const countMessage = (text: string) => counted(model.countTokens(vscode.LanguageModelChatMessage.User(text), token));
  const settings = readChatSettings();
  const { text: question, override } = takeOverride(request.prompt);
  const { sources, skipped } = await sourcesFromReferences(request.references);
  for (const s of skipped) out(`> Skipped ${s}\n\n`);
  return {
    request,
    stream,
    token,
    out,
    settings,
    window: model.maxInputTokens,
    count,
    countMessage,
    question,
    ...(override !== undefined ? { override } : {}),
    sources,
  };
}

/** The prompt pool's best instruction for the request (IDP), with a note per bad pool file or scorer fallback. */
export async function chooseInstruction(turn: ChatTurn, scorers: ScorerProvider): Promise<Selection> {
  const { settings, out } = turn;
  const pool = await loadPrompts(settings);
  for (const err of pool.errors) out(`> ${err}\n\n`);
  const { scorer, fallback, note } = await scorers.scorer(pool.prompts, settings.promptSelector, settings.modelPath);
  if (note) out(`> ${note}\n\n`);
  const selection = await selectPrompt(turn.question || turn.request.command || 'answer', pool.prompts, scorer, {
    override: turn.override ?? (settings.promptOverride || undefined),
    ...(fallback ? { fallback } : {}),
  });
  if (selection.note) out(`> ${selection.note}\n\n`);
  return selection;
}

/** The tokens the whole request may use: the configured share of the model's window. */
export function allowedTokens(turn: ChatTurn): number {
  return Math.floor(turn.window * turn.settings.contextShare);
}

/**
 * The references planned into `budget` tokens of the chat model's own count, `frame` included (the whole message
 * for a request sent on), with the question steering what is kept whole. The compressor and its options are the
 * user's settings, as for Compress Context. `reversible` marks every cut with an id (costs a few tokens each).
 */
export async function planReferences(
  turn: ChatTurn,
  compression: CompressionService,
  budget: number,
  frame?: (context: string) => string,
  count: CountFn = turn.count,
  reversible = false,
): Promise<PlanResult> {
  const c = readSettings().compression;
  return compression.plan({
    sources: turn.sources,
    budget,
    ...(turn.question ? { question: turn.question } : {}),
    compressor: c.compressor,
    forceTokens: c.forceTokens,
    keepDigits: c.keepDigits,
    protectIdentifiers: c.protectIdentifiers,
    // For a model that can ask contextBudget_expand: every cut is a marker with an id. A model without tools gets
    // the plain `{ … }` its instruction describes (it cannot read the lines a marker would name, and the budget is
    // tight).
    ...(reversible ? { reversible } : {}),
    // A chat model has no bundled tokenizer: the planner plans with o200k and checks with the model's countTokens.
    target: { count },
    ...(frame ? { frame } : {}),
    cancellation: turn.token,
  });
}

/** Savings in the target model's own tokens, per source too, with what ran on each. */
export async function chatSavings(
  turn: ChatTurn,
  plan: PlanResult,
  selection: Selection,
  framed: boolean,
): Promise<ChatSavings> {
  const { request, count } = turn;
  const m = request.model;
  return {
    kind: 'chat',
    request: request.prompt,
    model: { vendor: m.vendor, id: m.id, name: m.name, maxInputTokens: m.maxInputTokens },
    budget: plan.budget,
    ...(await contextTokens(plan, count, framed)),
    prompt: {
      id: selection.prompt.id,
      title: selection.prompt.title,
      method: selection.method,
      reason: selection.reason,
      scores: selection.scores,
    },
    sources: savingsSources(plan),
    notes: plan.notes,
    text: plan.context,
  };
}

// The @budget chat participant: counts the request's references with the chat model's own countTokens, activates
// the best prompt of the pool (IDP's rule), plans instruction, references and question as one message into the
// configured share of the model's input window, sends it and streams the answer, then a footer with what
// compression saved. This controller turns failures into messages; each command's flow is its own module.
import * as vscode from 'vscode';
import { CancelledError } from '../core/tokens/count';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';
import { askFlow } from './ask';
import { budgetFlow } from './budget';
import { compressFlow } from './compress';
import type { CompressionService } from '../compression/service';
import { prepareTurn, type FlowDeps } from './request';
import { ScorerProvider } from './scorers';

export const PARTICIPANT_ID = 'contextBudget.budget';

export class ChatParticipantController {
  private readonly deps: FlowDeps;

  constructor(compression: CompressionService, promptEncoder: () => Promise<OnnxPromptEncoder>) {
    this.deps = { compression, scorers: new ScorerProvider(promptEncoder) };
  }

  handler: vscode.ChatRequestHandler = async (request, _context, stream, token) => {
    // The walkthrough's "ask @budget" step completes on this.
    void vscode.commands.executeCommand('setContext', 'contextBudget.askedBudget', true);
    try {
      const turn = await prepareTurn(request, stream, token);
      switch (request.command) {
        case 'budget':
          return await budgetFlow(turn);
        case 'compress':
          return await compressFlow(turn, this.deps);
        default:
          return await askFlow(turn, this.deps);
      }
    } catch (e) {
      if (e instanceof CancelledError || token.isCancellationRequested) {
        return { metadata: { cancelled: true } };
      }
      const message =
        e instanceof vscode.LanguageModelError
          ? vscode.l10n.t(
              'The model {0} returned an error ({1}): {2}',
              request.model.name,
              e.code || 'unknown',
              e.message,
            )
          : vscode.l10n.t(
              'Context Budget could not handle this request: {0}',
              e instanceof Error ? e.message : String(e),
            );
      return { errorDetails: { message } };
    }
  };
}

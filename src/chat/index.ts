// Registers the @budget participant and the contextBudget_compress tool; one call from activate(). Compression
// goes through the budget packer (structural levels, plus LLMLingua-2 for prose when a model is installed).
import * as vscode from 'vscode';
import type { CompressionService } from '../compression/service';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';
import { CompressTool, TOOL_NAME } from '../lmTool/tool';
import { ChatParticipantController, PARTICIPANT_ID } from './participant';
import type { PackFn } from './pipeline';

/** Chat and the tool pack references exactly as Compress Open Editors does (one CompressionService). */
export function createPackFn(compression: CompressionService): PackFn {
  return (sources, budget, tokenizer, cancellation) =>
    compression.pack(sources, { budget, tokenizer, ...(cancellation ? { cancellation } : {}) });
}

export function registerChatFeatures(
  compression: CompressionService,
  promptEncoder: () => Promise<OnnxPromptEncoder>,
): vscode.Disposable[] {
  const pack = createPackFn(compression);
  const controller = new ChatParticipantController(pack, promptEncoder);
  const tool = new CompressTool(pack);
  const disposables: vscode.Disposable[] = [];
  if (vscode.chat?.createChatParticipant) {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, controller.handler);
    participant.iconPath = new vscode.ThemeIcon('fold');
    disposables.push(participant);
  }
  if (vscode.lm?.registerTool) {
    disposables.push(vscode.lm.registerTool(TOOL_NAME, tool));
  }
  return disposables;
}

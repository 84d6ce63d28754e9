// Registers the @budget participant and the contextBudget_compress and contextBudget_expand tools; one call from activate(). Both plan
// through the same CompressionService (the one planner) as Compress Context and Compress Open Editors.
import * as vscode from 'vscode';
import type { CompressionService } from '../compression/service';
import type { OnnxPromptEncoder } from '../core/idp/onnxEncoder';
import { EXPAND_TOOL_NAME, ExpandTool } from '../lmTool/expand';
import { CompressTool, TOOL_NAME } from '../lmTool/tool';
import { ChatParticipantController, PARTICIPANT_ID } from './participant';

export function registerChatFeatures(
  compression: CompressionService,
  promptEncoder: () => Promise<OnnxPromptEncoder>,
): vscode.Disposable[] {
  const controller = new ChatParticipantController(compression, promptEncoder);
  const tool = new CompressTool(compression);
  const disposables: vscode.Disposable[] = [];
  if (vscode.chat?.createChatParticipant) {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, controller.handler);
    participant.iconPath = new vscode.ThemeIcon('fold');
    disposables.push(participant);
  }
  if (vscode.lm?.registerTool) {
    disposables.push(
      vscode.lm.registerTool(TOOL_NAME, tool),
      vscode.lm.registerTool(EXPAND_TOOL_NAME, new ExpandTool(compression.elisions)),
    );
  }
  return disposables;
}

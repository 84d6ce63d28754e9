// Registers the @budget participant, the contextBudget_compress tool and their internal command; one call from
// activate(). Compression goes through the budget packer (structural levels, plus LLMLingua-2 for prose when a
// model is installed).
import * as vscode from 'vscode';
import type { CompressorProvider } from '../compression';
import { packSources, type ExtraCompressor, type PackSource } from '../core/pack';
import { createStructuralCompressor, type StructuralCompressor } from '../core/structural';
import { CompressTool, TOOL_NAME } from '../lmTool/tool';
import { ChatParticipantController, PARTICIPANT_ID } from './participant';
import type { PackFn } from './pipeline';

const PROSE = new Set(['plaintext', 'markdown']);

export function createPackFn(extensionUri: vscode.Uri, model?: CompressorProvider): PackFn {
  let structural: StructuralCompressor | undefined;
  return async (sources, budget, tokenizer, cancellation) => {
    // Grammar WASM is read through the workspace fs so the same code works in the browser extension host.
    structural ??= createStructuralCompressor({
      readWasm: async (name) =>
        vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'tree-sitter', name)),
    });
    let extra: ExtraCompressor[] = [];
    if (model?.info().available) {
      try {
        extra = [{ compressor: await model.get(), rates: [0.5, 0.33] }];
      } catch {
        extra = [];
      }
    }
    const withModel: PackSource[] = sources.map((s) =>
      extra.length && (!s.languageId || PROSE.has(s.languageId)) ? { ...s, compressors: extra } : s,
    );
    return packSources(withModel, { budget, tokenizer, structural, ...(cancellation ? { cancellation } : {}) });
  };
}

export function registerChatFeatures(
  context: vscode.ExtensionContext,
  model?: CompressorProvider,
): vscode.Disposable[] {
  const pack = createPackFn(context.extensionUri, model);
  const controller = new ChatParticipantController(pack, context.extensionUri);
  const tool = new CompressTool(pack);
  const disposables: vscode.Disposable[] = [
    controller,
    // Not in contributes.commands: an internal read-out of recent results (savings view, tests).
    vscode.commands.registerCommand('contextBudget.chat.lastResults', () => ({
      chat: [...controller.records],
      tool: [...tool.records],
    })),
  ];
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

// Node extension host entry (desktop, code-server, remote).
import type * as vscode from 'vscode';
import { activateContextBudget, type ContextBudgetApi } from './activate';
import { registerMcpServer, type McpOffer } from './node/mcpProvider';
import { nodeModelCompressor } from './node/nodeModelCompressor';
import { downloadCompressorModel, type DownloadRequest } from './node/modelDownload';
import { WorkerCounter } from './node/workerCounter';

/** The Node host's API adds the MCP server it offers to VS Code (absent where VS Code has no MCP API). */
export interface NodeContextBudgetApi extends ContextBudgetApi {
  mcp?: McpOffer;
}

export function activate(context: vscode.ExtensionContext): NodeContextBudgetApi {
  const api = activateContextBudget(context, {
    offThreadCounter: new WorkerCounter(),
    modelCompressor: nodeModelCompressor,
    downloadModel: (storage, request) => downloadCompressorModel(storage, request as DownloadRequest),
  });
  const mcp = registerMcpServer(context);
  return mcp ? Object.assign(api, { mcp }) : api;
}

export function deactivate(): void {}

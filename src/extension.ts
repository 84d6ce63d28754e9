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
  // The rank tables (dist/tokenizers.js, 7.6 MB) load on the first count, not with this bundle (esbuild.mjs).
  const rankTablesLoaded = Object.keys(require.cache).some((file) => /[\\/]tokenizers\.js$/.test(file));
  const timings = api.timings();
  const mcp = registerMcpServer(context);
  return { ...api, timings: () => ({ ...timings, rankTablesLoaded }), ...(mcp ? { mcp } : {}) };
}

export function deactivate(): void {}

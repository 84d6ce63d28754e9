// Offers the bundled MCP server (`dist/cli.js mcp`) to VS Code, so agent mode sees count_tokens, compress_context and
// expand_elision. Started with the extension host's own executable: under desktop VS Code that is Electron, which
// runs as plain Node with ELECTRON_RUN_AS_NODE=1 (harmless under Node, e.g. code-server). VS Code versions without
// the MCP API (it is in 1.101+) simply get no provider.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import { findCatalogModel } from '../core/tokens/catalog';

export const MCP_PROVIDER_ID = 'contextBudget.mcp';

export interface McpOffer {
  /** What the provider gives VS Code now (tests start the server exactly from it). */
  definitions(): vscode.McpStdioServerDefinition[];
  /** How often VS Code has asked the provider for its definitions and to resolve one before starting it. */
  calls(): { provide: number; resolve: number };
}

export function registerMcpServer(context: vscode.ExtensionContext): McpOffer | undefined {
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider !== 'function' || !vscode.McpStdioServerDefinition) {
    return undefined;
  }
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  const changed = new vscode.EventEmitter<void>();
  const calls = { provide: 0, resolve: 0 };
  const definitions = () => {
    const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
    // The user's target model counts for the agent too, when the server knows it (a catalog model; a chat model
    // from another extension is not one, and the server's default, gpt-4o, applies).
    const target = findCatalogModel(readSettings().targetModel);
    const definition = new vscode.McpStdioServerDefinition(
      'Context Budget',
      process.execPath,
      [cli, 'mcp', ...(target ? ['--model', target.id] : [])],
      { ELECTRON_RUN_AS_NODE: '1' },
      version,
    );
    // Relative paths in tool calls are read from the first workspace folder on disk.
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (folder) definition.cwd = folder.uri;
    return [definition];
  };
  context.subscriptions.push(
    changed,
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('contextBudget.targetModel')) changed.fire();
    }),
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        calls.provide += 1;
        return definitions();
      },
      resolveMcpServerDefinition: (server) => {
        calls.resolve += 1;
        return server;
      },
    }),
  );
  return { definitions, calls: () => ({ ...calls }) };
}

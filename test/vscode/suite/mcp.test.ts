// The MCP server the extension offers VS Code (contributes.mcpServerDefinitionProviders): the provider gives a stdio
// definition, and the server started exactly from it (command, args, env, cwd) answers tools/list and a tool call.
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as vscode from 'vscode';
import type { NodeContextBudgetApi } from '../../../src/extension';
import { api } from '../helpers';
import { findCatalogModel } from '../../../src/core/tokens/catalog';

describe('MCP server definition provider', function () {
  this.timeout(60_000);

  it('offers the bundled server, and the server started from the definition answers tools/list', async () => {
    const ext = (await api()) as NodeContextBudgetApi;
    assert.ok(ext.mcp, `VS Code ${vscode.version} has the MCP API, so the provider is registered`);
    const [definition, ...more] = ext.mcp.definitions();
    assert.equal(more.length, 0);
    assert.ok(definition instanceof vscode.McpStdioServerDefinition);
    assert.equal(definition.label, 'Context Budget');
    assert.equal(definition.command, process.execPath);
    assert.match(definition.args[0]!, /[\\/]dist[\\/]cli\.js$/);
    assert.equal(definition.args[1], 'mcp');
    // The user's target model, when it is one the server knows.
    const target = findCatalogModel(
      vscode.workspace.getConfiguration('contextBudget').get<string>('targetModel') ?? '',
    );
    assert.deepEqual(definition.args.slice(2), target ? ['--model', target.id] : []);
    assert.equal(definition.env.ELECTRON_RUN_AS_NODE, '1');
    const folder = vscode.workspace.workspaceFolders![0]!;
    assert.equal(definition.cwd?.fsPath, folder.uri.fsPath);

    // Started the way VS Code starts a stdio server: the command and args, its env over the host's.
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...definition.env })) {
      if (v !== null && v !== undefined) env[k] = String(v);
    }
    const client = new Client({ name: 'vscode-suite', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: definition.command,
        args: definition.args,
        env,
        cwd: definition.cwd!.fsPath,
        stderr: 'pipe',
      }),
    );
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['compress_context', 'count_tokens', 'expand_elision']);
      // A relative path resolves in the workspace folder (the definition's cwd).
      const r = (await client.callTool({ name: 'count_tokens', arguments: { paths: ['sample.ts'] } })) as {
        content: Array<{ text?: string }>;
        isError?: boolean;
      };
      assert.ok(!r.isError, r.content[0]?.text);
      assert.match(r.content[0]?.text ?? '', /tokens in total for gpt-4o/);
    } finally {
      await client.close();
    }
  });
});

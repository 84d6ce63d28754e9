// The MCP server the extension offers VS Code (contributes.mcpServerDefinitionProviders): the provider gives a stdio
// definition, and the server started exactly from it (command, args, env, cwd) answers tools/list and a tool call.
// Then VS Code's own MCP machinery end to end: its extension host asks the provider (counted by the extension; no test
// calls the provider), `workbench.mcp.startServer` makes the workbench resolve and launch the server from that
// definition, its tools appear in `vscode.lm.tools` as MCP tools, and a call through `lm.invokeTool` reaches the
// server VS Code started. A settings change makes VS Code ask again, and the restarted server runs the new definition.
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as vscode from 'vscode';
import type { NodeContextBudgetApi } from '../../../src/extension';
import { api, EXTENSION_ID, resetSettings, setSetting, until } from '../helpers';
import { findCatalogModel } from '../../../src/core/tokens/catalog';

/** VS Code's id for a server an extension provides: the extension id (lower-cased, as VS Code keys it), `/`, label. */
const SERVER_ID = `${EXTENSION_ID.toLowerCase()}/Context Budget`;
const TOOLS = ['compress_context', 'count_tokens', 'expand_elision'];

/** The Context Budget server's tools as VS Code lists them: MCP tools named `mcp_<server>_<tool>`, tagged `mcp`. */
function vscodeMcpTools(): vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter(
    (t) => t.tags.includes('mcp') && /^mcp_context-budg/.test(t.name) && TOOLS.some((n) => t.name.endsWith(`_${n}`)),
  );
}

/** count_tokens on sample.ts (a path relative to the definition's cwd), called through VS Code's tools service. */
async function countTokensThroughVscode(): Promise<{
  model: string;
  total: number;
  sources: Array<{ source: string }>;
}> {
  const tool = vscodeMcpTools().find((t) => t.name.endsWith('_count_tokens'));
  assert.ok(tool, "VS Code lists the server's count_tokens tool");
  const result = await vscode.lm.invokeTool(tool.name, {
    input: { paths: ['sample.ts'] },
    toolInvocationToken: undefined,
  });
  const text = result.content.find((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart);
  assert.ok(text, `a text result, got ${JSON.stringify(result.content)}`);
  return JSON.parse(text.value);
}

describe('MCP server definition provider', function () {
  this.timeout(60_000);

  after(async () => {
    await vscode.commands.executeCommand('workbench.mcp.stopServer', SERVER_ID);
    await resetSettings();
  });

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

  it('is asked by VS Code, which starts the server from the definition and calls its tools', async () => {
    const ext = (await api()) as NodeContextBudgetApi;
    const mcp = ext.mcp;
    assert.ok(mcp, `VS Code ${vscode.version} has the MCP API, so the provider is registered`);
    const calls = () => JSON.stringify(mcp.calls());
    // The extension host's MCP service asks a provider for its definitions as soon as it is registered.
    await until(
      'VS Code to ask the provider for its definitions',
      () => mcp.calls().provide > 0 || undefined,
      30_000,
      calls,
    );
    // (Its tools may already be there: earlier tests of the suite can have had VS Code start the server.)

    // VS Code's own start (what the MCP server list and agent mode do): resolve the definition, launch, list tools.
    // The workbench's server list catches up with the provider's collection on a scheduler (500 ms in 1.139); until
    // then startServer finds no server with this id and does nothing, so the wait is on VS Code resolving it.
    const resolvedBefore = mcp.calls().resolve;
    await until(
      'VS Code to list the server and resolve its definition to start it',
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.startServer', SERVER_ID, { waitForLiveTools: true });
        // A server VS Code started earlier in the suite was resolved then, and a start leaves it running.
        const running = resolvedBefore > 0 && vscodeMcpTools().length === TOOLS.length;
        return mcp.calls().resolve > resolvedBefore || running || undefined;
      },
      30_000,
      calls,
    );
    const tools = await until(
      'VS Code to list the tools of the server it started',
      () => (vscodeMcpTools().length === TOOLS.length ? vscodeMcpTools() : undefined),
      30_000,
      () => vscode.lm.tools.map((t) => t.name).join(', '),
    );
    assert.deepEqual(tools.map((t) => t.name.replace(/^mcp_context-budg\w*?_/, '')).sort(), TOOLS);

    // The call goes to the server VS Code launched: the definition's cwd resolves sample.ts, its --model applies.
    const first = await countTokensThroughVscode();
    assert.equal(first.model, 'gpt-4o');
    assert.deepEqual(
      first.sources.map((s) => s.source),
      ['sample.ts'],
    );
    assert.ok(first.total > 0);

    // A new target model changes the definition: the provider's change event makes VS Code ask again, and the
    // server VS Code restarts runs with the new --model.
    const providedBefore = mcp.calls().provide;
    await setSetting('targetModel', 'gpt-4');
    await until(
      'VS Code to ask the provider again',
      () => mcp.calls().provide > providedBefore || undefined,
      30_000,
      calls,
    );
    // VS Code takes the new definition into its server list on the same scheduler (and stops a server whose
    // definition changed): restart until the server VS Code runs answers with the new model.
    const resolvedAgain = mcp.calls().resolve;
    let lastSeen = '';
    const second = await until(
      'the server VS Code restarts to run the new definition',
      async () => {
        await vscode.commands.executeCommand('workbench.mcp.restartServer', SERVER_ID, { waitForLiveTools: true });
        try {
          const r = await countTokensThroughVscode();
          lastSeen = `model ${r.model}`;
          return r.model === 'gpt-4' ? r : undefined;
        } catch (e) {
          lastSeen = String(e); // a call fails while the server restarts
          return undefined;
        }
      },
      30_000,
      () => `${lastSeen}; ${calls()}`,
    );
    assert.ok(mcp.calls().resolve > resolvedAgain, `VS Code resolved the new definition: ${calls()}`);
    assert.equal(second.model, 'gpt-4');
    assert.deepEqual(
      second.sources.map((s) => s.source),
      ['sample.ts'],
    );
  });
});

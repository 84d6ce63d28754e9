// The MCP server hands each call's abort signal to the engine: a call the client cancels stops reading its paths.
// In process, over the SDK's in-memory transport, with an engine that only watches the signal it is given.
import { strict as assert } from 'node:assert';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import type { Engine, SourcesInput, ToolAnswer } from '../../../src/cli/mcp/engine';
import { createMcpServer } from '../../../src/cli/mcp/server';

describe('MCP server: cancellation', () => {
  it('a cancelled count_tokens or compress_context call aborts the signal its engine call was given', async () => {
    const seen: Array<{ tool: string; aborted: Promise<void> }> = [];
    let started: () => void = () => undefined;
    /** Waits until the call's signal aborts, as readInputs stops at its next file. */
    const watch =
      (tool: string) =>
      async (input: SourcesInput & { signal?: AbortSignal }): Promise<ToolAnswer> => {
        const signal = input.signal;
        started();
        if (!signal) return { text: `${tool}: no signal`, isError: true };
        const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        seen.push({ tool, aborted });
        await aborted;
        return { text: 'cancelled', isError: true };
      };
    const engine = { count: watch('count_tokens'), compress: watch('compress_context') } as unknown as Engine;
    const server = createMcpServer(engine);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'cancel-test', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    try {
      for (const [tool, args] of [
        ['count_tokens', { paths: ['/'] }],
        ['compress_context', { paths: ['/'], budget: 100 }],
      ] as const) {
        const ac = new AbortController();
        const running = new Promise<void>((resolve) => (started = resolve));
        const call = client.callTool({ name: tool, arguments: args }, { signal: ac.signal });
        await running;
        ac.abort();
        await assert.rejects(call, /abort/i);
        // The server side: the engine's signal aborts once the client's cancellation arrives.
        await seen.at(-1)!.aborted;
        assert.equal(seen.at(-1)!.tool, tool);
      }
    } finally {
      await client.close();
      await server.close();
    }
  });
});

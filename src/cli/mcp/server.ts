// `context-budget mcp`: an MCP server over stdio (the official TypeScript SDK, v2) with three tools for agents:
// count_tokens, compress_context, expand_elision. Bad input is a tool error (isError), never a crash; calls are
// served concurrently by one engine, which loads grammars and tokenizers once. A call reads at most 5,000 files and
// 64 MB in all (input.ts); each call's request abort signal goes to the engine with its arguments, for reading to stop
// when the client cancels.
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { CATALOG, type CatalogModel } from '../../core/tokens/catalog';
import { readWasm } from '../../node/treeSitterFiles';
import { FrameTooLargeError } from '../framedPlan';
import { InputLimitError } from '../input';
import { ElisionCacheFile } from './elisionCache';
import { folderCompressor, parseBackend } from '../backend';
import { Engine, EXPAND_TOOL, UsageError, type ToolAnswer } from './engine';

import { CLI_VERSION } from '../version';

const paths = z
  .array(z.string().min(1))
  .optional()
  .describe(
    'Files or folders to read (absolute, or relative to the folder the server runs in). Folders are read recursively, honouring .gitignore; binary files are skipped. One call reads at most 5,000 files and 64 MB (by default): name the folders that matter, not a whole disk.',
  );
const text = z.string().optional().describe('Text to use besides (or instead of) files, e.g. a log or a diff.');
// The catalog's ids as an enum: the schema lists the valid values, and a wrong one is refused before any work.
const MODEL_IDS = CATALOG.map((m) => m.id) as [string, ...string[]];
const model = z
  .enum(MODEL_IDS)
  .optional()
  .describe('Target model whose tokenizer counts, window and price apply. Default: the server’s (its --model).');

const DESCRIPTIONS = {
  count: [
    'Counts tokens of files, folders or text as the target model counts them: tokens per source and in total, the',
    "share of the model's context window, and the input cost. Call it before reading large files or pasting long",
    'context, to decide whether it fits or needs compress_context.',
  ].join(' '),
  compress: [
    'Compresses files, folders or text to fit a token budget, keeping their structure: code keeps signatures and',
    'drops bodies, documents keep headings and key sentences; with `question`, the functions and sections it names are',
    'kept whole first. The whole result (its summary lines included) is within `budget` tokens in the target model’s',
    'count. It starts with a summary line and one line per source saying what was done, then the compressed context',
    '(sources are headed "==> path <==" when there are several). Every cut region is replaced by a marker in the',
    'source’s comment syntax that names its lines, the functions inside and the call that brings it back, such as',
    `\`{ /* … lines 120–188 (retry, backoff) elided — ${EXPAND_TOOL}("k3f9a2c1") */ }\`: the text is intact, only`,
    'shortened; make that call to get the original. Use it when files are too large to read whole, or to fit many',
    'files into one answer.',
  ].join(' '),
  expand: [
    `Returns the original text of a region that compress_context cut, by the id its marker passes (\`${EXPAND_TOOL}("k3f9a2c1")\` → id`,
    '"k3f9a2c1"). Call it when the answer depends on a function body, section or tail that was elided. If the id is',
    'unknown or its original is no longer held, the error says which file and lines to read instead.',
  ].join(' '),
};

function result(answer: ToolAnswer) {
  return {
    content: [{ type: 'text' as const, text: answer.text }],
    ...(answer.structured ? { structuredContent: answer.structured } : {}),
    ...(answer.isError ? { isError: true } : {}),
  };
}

/** Runs a tool; a usage error or any failure becomes a tool error with the reason, and the server keeps serving. */
async function guarded(run: () => Promise<ToolAnswer> | ToolAnswer) {
  try {
    return result(await run());
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const usage = err instanceof UsageError || err instanceof FrameTooLargeError || err instanceof InputLimitError;
    return result({ text: usage ? message : `failed: ${message}`, isError: true });
  }
}

/** A call's arguments with its request's abort signal, so that reading its paths stops when the client cancels. */
function cancellable<A extends object>(args: A, signal: AbortSignal): A & { signal: AbortSignal } {
  return { ...args, signal };
}

export function createMcpServer(engine: Engine): McpServer {
  const server = new McpServer(
    { name: 'context-budget', version: CLI_VERSION },
    {
      capabilities: { tools: {} },
      instructions:
        'Context Budget counts tokens and compresses code and documents into a token budget. Compressed context marks ' +
        `each cut region with a marker naming its lines and an ${EXPAND_TOOL}("id") call, which returns the original.`,
    },
  );
  server.registerTool(
    'count_tokens',
    {
      title: 'Count tokens',
      description: DESCRIPTIONS.count,
      inputSchema: z.object({ paths, text, model }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => guarded(() => engine.count(cancellable(args, ctx.mcpReq.signal))),
  );
  server.registerTool(
    'compress_context',
    {
      title: 'Compress context into a token budget',
      description: DESCRIPTIONS.compress,
      inputSchema: z.object({
        paths,
        text,
        budget: z.number().describe('Most tokens the whole result may take (a positive whole number).'),
        model,
        question: z
          .string()
          .optional()
          .describe(
            'What the context is for (e.g. the user’s question): the functions and sections it names are kept whole first.',
          ),
        protect: z
          .boolean()
          .optional()
          .describe(
            'Never drop identifier-like words (paths, URLs, ids, versions, hashes): with a compressor model they are kept while other words go; without one, lines that hold them are kept first and never cut through one.',
          ),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => guarded(() => engine.compress(cancellable(args, ctx.mcpReq.signal))),
  );
  server.registerTool(
    EXPAND_TOOL,
    {
      title: 'Expand an elided region',
      description: DESCRIPTIONS.expand,
      inputSchema: z.object({ id: z.string().describe(`The id a marker passes to ${EXPAND_TOOL}, e.g. k3f9a2c1.`) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => guarded(() => engine.expand(args.id)),
  );
  return server;
}

/** Serves on stdin/stdout until the client closes stdin. Nothing but protocol messages goes to stdout. */
export async function runMcpServer(opts: {
  model: CatalogModel;
  maxSize: number;
  compressor?: string;
  backend: string;
}): Promise<number> {
  // Ids' places outlive this process: a client that restarts the server can still be told where an id came from.
  const cache = new ElisionCacheFile(undefined, (message) => process.stderr.write(`context-budget mcp: ${message}\n`));
  const backend = parseBackend(opts.backend);
  const engine = new Engine({
    readWasm,
    defaultModel: opts.model,
    maxBytes: opts.maxSize,
    cache,
    // Checked by the flag's parser: a bad backend never gets here.
    ...(opts.compressor && typeof backend === 'string'
      ? { llmlingua2: folderCompressor(opts.compressor, backend) }
      : {}),
  });
  await engine.warm();
  const server = createMcpServer(engine);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  await server.connect(transport);
  await closed;
  await cache.flushed();
  return 0;
}

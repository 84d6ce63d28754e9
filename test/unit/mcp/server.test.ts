// `context-budget mcp` end to end: the built dist/cli.js started by the MCP SDK's own client over stdio, as an agent
// starts it. Tools are listed, results checked with the same tokenizer, ids expanded, bad input answered as tool
// errors while the server keeps serving, and concurrent calls served.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { markerIds } from '../../../src/core/elisions';
import { CATALOG } from '../../../src/core/tokens/catalog';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { BUILT_CLI, ensureBuilt } from '../../support/cli';
import { markedLines } from '../../support/markers';

const ROOT = join(__dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures');

interface TextResult {
  content: Array<{ type: string; text?: string }>;
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}

const textOf = (r: TextResult) => r.content.map((c) => c.text ?? '').join('');

/** The server's cache of ids' places goes to a folder of the test's, not the user's ~/.cache. */
const CACHE_DIR = mkdtempSync(join(tmpdir(), 'cb-mcp-cache-'));

async function startServer(onStderr: (d: string) => void = () => undefined): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_CLI, 'mcp'],
    cwd: ROOT,
    env: { ...getDefaultEnvironment(), CONTEXT_BUDGET_CACHE_DIR: CACHE_DIR },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d) => onStderr(String(d)));
  const client = new Client({ name: 'context-budget-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe('context-budget mcp (MCP server over stdio, SDK client)', function () {
  this.timeout(120_000);
  let client: Client;
  let stderr = '';

  before(async () => {
    await ensureBuilt();
    client = await startServer((d) => (stderr += d));
  });

  after(async () => {
    await client?.close();
  });

  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }) as Promise<TextResult>;

  it('lists the three tools with descriptions that say when to call them and what markers mean', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['compress_context', 'count_tokens', 'expand_elision']);
    const compress = tools.find((t) => t.name === 'compress_context')!;
    assert.match(
      compress.description ?? '',
      /… lines 120–188 \(retry, backoff\) elided — expand_elision\("k3f9a2c1"\)/,
    );
    assert.match(compress.description ?? '', /expand_elision/);
    assert.deepEqual((compress.inputSchema as { required?: string[] }).required, ['budget']);
    // The model parameter offers the catalog's ids, and nothing else.
    for (const tool of tools.filter((t) => t.name !== 'expand_elision')) {
      const model = (tool.inputSchema as { properties: Record<string, { enum?: string[]; description?: string }> })
        .properties.model!;
      assert.deepEqual(
        model.enum,
        CATALOG.map((m) => m.id),
      );
      assert.doesNotMatch(model.description ?? '', /llama-3\.1-70b/);
    }
  });

  it('compresses within the budget in the target’s count, summary included; every id expands to its region', async () => {
    const file = join(FIXTURES, 'retention/rateLimiter.ts');
    const original = readFileSync(file, 'utf8');
    const tokenizer = await loadTokenizer('claude');
    const full = tokenizer.count(original);
    const budget = Math.floor(full / 3);
    const r = await call('compress_context', { paths: [file], budget, model: 'claude-sonnet-4' });
    assert.ok(!r.isError, textOf(r));
    const text = textOf(r);
    assert.ok(tokenizer.count(text) <= budget, `${tokenizer.count(text)} > ${budget}`);
    assert.match(text, /^Context Budget: 1 source\(s\), .* budget .*counted for claude-sonnet-4 \(claude\)\./);
    const ids = markerIds(text);
    assert.ok(ids.length > 0, text);
    // Only small figures come as structured content: the ids and their lines are in the text, within the budget.
    assert.deepEqual(Object.keys(r.structuredContent!).sort(), ['budget', 'elided', 'model', 'tokenizer', 'tokens']);
    assert.equal(r.structuredContent!.elided, ids.length);
    const located = markedLines(text);
    const lines = original.split('\n');
    for (const id of ids) {
      const back = await call('expand_elision', { id });
      assert.ok(!back.isError, textOf(back));
      const region = textOf(back);
      // The original region of the file, at the lines its marker names.
      const at = located.get(id)!;
      assert.ok(original.includes(region), `#${id} is a region of the file`);
      const fromLines = lines.slice(at.startLine - 1, at.endLine).join('\n');
      assert.ok(fromLines.includes(region.trim()), `#${id}: lines ${at.startLine}-${at.endLine} hold it`);
    }
  });

  it('keeps what the question names whole', async () => {
    const file = join(FIXTURES, 'retention/rateLimiter.ts');
    const body = readFileSync(file, 'utf8').split('\n').slice(46, 54).join('\n');
    const args = { paths: [file], budget: 450 };
    const blind = textOf(await call('compress_context', args));
    const focused = textOf(
      await call('compress_context', { ...args, question: 'How does TokenBucket.retryAfterMs compute the wait?' }),
    );
    assert.ok(!blind.includes(body), 'without the question the body is cut');
    assert.ok(focused.includes(body), focused);
  });

  it('counts tokens per source and in total, with the window share and cost', async () => {
    const file = join(FIXTURES, 'structural/sample.py');
    const text = 'Why does upload retry forever?';
    const r = await call('count_tokens', { paths: [file], text, model: 'gpt-4o' });
    assert.ok(!r.isError, textOf(r));
    const o200k = await loadTokenizer('o200k_base');
    const s = r.structuredContent as {
      total: number;
      sources: Array<{ source: string; tokens: number }>;
      costUsd: number;
    };
    assert.deepEqual(
      s.sources.map((x) => x.tokens),
      [o200k.count(text), o200k.count(readFileSync(file, 'utf8'))],
    );
    assert.equal(s.total, o200k.count(text) + o200k.count(readFileSync(file, 'utf8')));
    assert.ok(s.costUsd > 0);
    assert.match(textOf(r), /tokens in total for gpt-4o \(o200k_base\): [\d.]+% of its 128,000-token window/);
  });

  it('answers bad input with a tool error and keeps serving', async () => {
    // A folder with more files than one call reads (5,000): refused once its listing passes the limit.
    const huge = mkdtempSync(join(tmpdir(), 'cb-mcp-huge-'));
    for (let i = 0; i < 51; i++) {
      mkdirSync(join(huge, `d${i}`));
      for (let j = 0; j < 100; j++) writeFileSync(join(huge, `d${i}`, `f${j}.txt`), '');
    }
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['compress_context', { text: 'x', budget: 0 }, /positive whole number/],
      ['compress_context', { text: 'x', budget: 'ten' }, /budget/],
      ['compress_context', { paths: [join(FIXTURES, 'nope.ts')], budget: 100 }, /nope\.ts: no such file/],
      ['compress_context', { budget: 100 }, /give `paths`/],
      ['count_tokens', { text: 'x', model: 'gpt-99' }, /model: Invalid option: expected one of .*"gpt-4o"/],
      ['expand_elision', { id: 'zzzzzzzz' }, /Unknown id #zzzzzzzz/],
      ['expand_elision', { id: '../etc' }, /not an elision id/],
      ['count_tokens', { paths: [huge] }, /^\/.*: more than 5,000 files to read, the limit for one call .*narrower/],
    ];
    for (const [name, args, message] of bad) {
      const r = await call(name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${textOf(r)}`);
      assert.match(textOf(r), message);
    }
    const ok = await call('count_tokens', { text: 'still here' });
    assert.ok(!ok.isError);
    assert.doesNotMatch(stderr, /TypeError|ReferenceError|Unhandled/);
  });

  it('a restarted server still says which file and lines an earlier server’s id came from', async () => {
    const file = join(FIXTURES, 'structural/sample.py');
    const first = await startServer();
    const r = (await first.callTool({
      name: 'compress_context',
      arguments: { paths: [file], budget: 250 },
    })) as TextResult;
    const marker = /… lines (\d+)–(\d+)[^\n]*expand_elision\("([a-z0-9]{8})"\)/.exec(textOf(r));
    assert.ok(marker, textOf(r));
    await first.close();
    const second = await startServer();
    try {
      const back = (await second.callTool({ name: 'expand_elision', arguments: { id: marker[3] } })) as TextResult;
      assert.equal(back.isError, true);
      assert.ok(textOf(back).includes(`Read ${file}, lines ${marker[1]}-${marker[2]}, instead.`), textOf(back));
    } finally {
      await second.close();
    }
  });

  it('serves 8 concurrent calls, each within its own budget', async () => {
    const files = ['sample.ts', 'sample.py', 'sample.go', 'lru.rs'].map((f) => join(FIXTURES, 'structural', f));
    const o200k = await loadTokenizer('o200k_base');
    const budgets = [300, 350, 400, 450, 500, 550, 600, 650];
    const results = await Promise.all(
      budgets.map((budget, i) => call('compress_context', { paths: [files[i % 4]!, files[(i + 1) % 4]!], budget })),
    );
    results.forEach((r, i) => {
      assert.ok(!r.isError, textOf(r));
      assert.ok(o200k.count(textOf(r)) <= budgets[i]!, `call ${i}`);
      assert.match(textOf(r), /==> .*structural\/\S+ <==/);
    });
  });
});

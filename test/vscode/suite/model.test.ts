import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { WorkerEngine } from '../../../src/node/llmlingua2/workerClient';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import type { ViewState } from '../../../src/webviewProtocol';
import { api, EXTENSION_ID, open, resetSettings, setSetting } from '../helpers';

/** A loopback "Hugging Face" serving the tiny fixture model at /{repo}/resolve/main/{file}. */
function serveFixtureModel(): Promise<{ server: Server; base: string; requests: string[] }> {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const dir = join(root, 'test', 'fixtures', 'llmlingua2', 'tiny-bert-base-multilingual-cased-ref');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const listed = /^\/api\/models\/test\/(tiny-bert|corrupt)\/tree\/main\?recursive=true$/.exec(req.url ?? '');
    if (listed) {
      // The Hub's listing: LFS entries carry SHA-256 and size, which the download verifies ("corrupt" lies).
      const listing = ['model.onnx', 'tokenizer.json', 'config.json'].map((path) => {
        const body = readFileSync(join(dir, path));
        const sha = listed[1] === 'corrupt' ? '0'.repeat(64) : createHash('sha256').update(body).digest('hex');
        const lfs = path.endsWith('.onnx') ? { oid: sha, size: body.length } : undefined;
        return { type: 'file', path, size: body.length, ...(lfs ? { lfs } : {}) };
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listing));
      return;
    }
    const m = /^\/test\/(?:tiny-bert|corrupt)\/resolve\/main\/([\w.-]+)$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = readFileSync(join(dir, m[1]!));
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

describe('LLMLingua-2 model: download and compression in the extension host', () => {
  let served: Awaited<ReturnType<typeof serveFixtureModel>>;
  before(async () => {
    await api();
    await resetSettings();
    served = await serveFixtureModel();
    await setSetting('models.baseUrl', served.base);
  });
  after(async () => {
    served.server.close();
    await setSetting('models.baseUrl', undefined);
    await setSetting('compression.modelPath', undefined);
    await resetSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('downloads on request from the configured mirror, planned from the repo listing, and becomes the model', async () => {
    const dir = await vscode.commands.executeCommand<string>('contextBudget.downloadModel', { repo: 'test/tiny-bert' });
    assert.ok(dir, 'a model folder was returned');
    assert.deepEqual(served.requests.sort(), [
      '/api/models/test/tiny-bert/tree/main?recursive=true',
      '/test/tiny-bert/resolve/main/config.json',
      '/test/tiny-bert/resolve/main/model.onnx',
      '/test/tiny-bert/resolve/main/tokenizer.json',
    ]);
    assert.equal(vscode.workspace.getConfiguration('contextBudget').get('compression.modelPath'), dir);
  });

  it('rejects a file whose SHA-256 does not match the listing, and keeps the configured model', async () => {
    const before = vscode.workspace.getConfiguration('contextBudget').get('compression.modelPath');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('contextBudget.downloadModel', { repo: 'test/corrupt' })),
      /sha-?256|corrupt/i,
    );
    assert.equal(vscode.workspace.getConfiguration('contextBudget').get('compression.modelPath'), before);
  });

  it('a missing repo fails with a clear error and changes nothing', async () => {
    const before = vscode.workspace.getConfiguration('contextBudget').get('compression.modelPath');
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('contextBudget.downloadModel', { repo: 'test/missing', files: ['model.onnx'] }),
      ),
      /404|not found/i,
    );
    assert.equal(vscode.workspace.getConfiguration('contextBudget').get('compression.modelPath'), before);
  });

  it('Compress Context runs the model in a worker within the budget, and says which runtime ran it', async function () {
    this.timeout(120_000);
    await open('notes.md');
    await setSetting('compression.compressor', 'llmlingua2');
    await setSetting('compression.mode', 'budget');
    await setSetting('compression.budgetTokens', 40);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    assert.equal(state.error, null);
    const r = state.result!;
    assert.ok(r.compressedTokens <= 40 && r.compressedTokens >= 30, `compressed to ${r.compressedTokens} of 40`);
    assert.ok(
      r.segments.some((s) => s.status === 'dropped'),
      'words were dropped',
    );
    assert.ok(
      r.segments.every((s) => s.status !== 'kept' || !/\S/.test(s.text) || typeof s.pKeep === 'number'),
      'words carry p(keep)',
    );
    assert.ok(state.compressors.find((c) => c.id === 'llmlingua2')?.available);
    // The optional native runtime is used whenever it can be loaded from the extension's folder.
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    let native = true;
    try {
      require.resolve('onnxruntime-node', { paths: [join(root, 'dist')] });
    } catch {
      native = false;
    }
    // On the GPU where this machine's Vulkan offers one, else the CPU with why not (the note says which).
    const expected = native ? 'LLMLingua-2 ran on onnxruntime-node ' : 'LLMLingua-2 ran on onnxruntime-web wasm';
    assert.ok(
      r.notes.some((n) => n.startsWith(expected)),
      `${expected} in ${r.notes.join(' | ')}`,
    );
  });

  it("the shipped worker bundle runs WASM sessions side by side in this host's Node", async function () {
    this.timeout(120_000);
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const engine = new WorkerEngine({
      workerScript: join(root, 'dist', 'llmlingua2Worker.js'),
      modelDir: join(root, 'test', 'fixtures', 'llmlingua2', 'tiny-bert-base-multilingual-cased-ref'),
      backend: 'wasm',
      numThreads: 2,
      wasmSessions: 2,
    });
    try {
      // Two sessions where the machine has a second core (CI has 2).
      assert.deepEqual(await engine.load(), {
        backend: 'wasm',
        sessions: Math.min(2, availableParallelism()),
        runtime: 'onnxruntime-web wasm',
      });
      const text = readFileSync(join(root, 'test', 'fixtures', 'llmlingua2', 'cases.json'), 'utf8').slice(0, 20_000);
      const progress: number[] = [];
      const r = await engine.compressToBudget({
        contexts: [text],
        budget: 1000,
        tokenizer: await loadTokenizer('cl100k_base'),
        onProgress: (d) => progress.push(d),
      });
      assert.ok(r.compressed_tokens <= 1000 && r.compressed_tokens > 900, `${r.compressed_tokens} of 1000`);
      assert.ok(r.chunks.total >= 4, `${r.chunks.total} chunks`);
      assert.equal(progress.length, r.chunks.total);
    } finally {
      await engine.dispose();
    }
  });
});

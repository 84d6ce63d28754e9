import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ViewState } from '../../../src/webviewProtocol';
import { api, EXTENSION_ID, open, resetSettings, setSetting } from '../helpers';

/** A loopback "Hugging Face" serving the tiny fixture model at /{repo}/resolve/main/{file}. */
function serveFixtureModel(): Promise<{ server: Server; base: string; requests: string[] }> {
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const dir = join(root, 'test', 'fixtures', 'llmlingua2', 'tiny-bert-base-multilingual-cased-ref');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/test\/tiny-bert\/resolve\/main\/([\w.-]+)$/.exec(req.url ?? '');
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
    (await api()).savingsPanel()?.dispose();
  });

  it('downloads on request from the configured mirror and becomes the configured model', async () => {
    const dir = await vscode.commands.executeCommand<string>('contextBudget.downloadModel', {
      repo: 'test/tiny-bert',
      files: ['model.onnx', 'tokenizer.json'],
    });
    assert.ok(dir, 'a model folder was returned');
    assert.deepEqual(served.requests.sort(), [
      '/test/tiny-bert/resolve/main/model.onnx',
      '/test/tiny-bert/resolve/main/tokenizer.json',
    ]);
    assert.equal(vscode.workspace.getConfiguration('contextBudget').get('compression.modelPath'), dir);
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
    const expected = native ? 'LLMLingua-2 ran on onnxruntime-node (native)' : 'LLMLingua-2 ran on onnxruntime-web (wasm)';
    assert.ok(r.notes.includes(expected), `${expected} in ${r.notes.join(' | ')}`);
  });
});

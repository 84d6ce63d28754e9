// An untrusted folder whose .vscode/settings.json points the model path, the model download (base URL, repo, revision,
// files) and the prompt files elsewhere: none of those values is used, the folder's own prompt file is not read, and
// the user is told why.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { loadPrompts } from '../../../src/chat/prompts';
import { readChatSettings } from '../../../src/config';
import { api, setSetting } from '../helpers';

/** A loopback server that records request paths and answers 404 (no repo there). */
function recorder(): Promise<{ server: Server; base: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(404).end('not found');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }),
    ),
  );
}

const config = () => vscode.workspace.getConfiguration('contextBudget');
const settingsFile = async () =>
  new TextDecoder().decode(
    await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, '.vscode', 'settings.json'),
    ),
  );

describe('an untrusted folder whose settings point elsewhere', () => {
  it('is open in restricted mode, and its unrestricted settings are used', async () => {
    await api();
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is not trusted');
    assert.equal(config().get('targetModel'), 'gpt-4', "the folder's own settings are read");
  });

  it('its compressor model path is not used, and the user is told so', async () => {
    assert.match(await settingsFile(), /"contextBudget\.compression\.modelPath": "\/elsewhere\/folder-model"/);
    // VS Code hides it: neither the value in force nor inspect() shows the folder's value.
    assert.equal(config().get('compression.modelPath'), '', 'the value in force is the user’s (unset)');
    assert.equal(config().inspect('compression.modelPath')?.workspaceValue, undefined);
    const notices = await (await api()).trustNotices();
    assert.ok(
      notices.some((n) => n.includes('contextBudget.compression.modelPath') && /not trusted/.test(n)),
      `told at activation: ${JSON.stringify(notices)}`,
    );
  });

  it('Download Compressor Model fetches from the user’s base URL, repo and files, not the folder’s', async () => {
    const user = await recorder();
    const folder = await recorder();
    try {
      // The folder names its own repo; VS Code hides it, so the value in force is the user's (the default here).
      assert.match(await settingsFile(), /"contextBudget\.models\.repo": "folder\/repo"/);
      const userRepo = config().inspect<string>('models.repo')?.defaultValue;
      assert.ok(userRepo && userRepo !== 'folder/repo', String(userRepo));
      assert.equal(config().get('models.repo'), userRepo);
      assert.equal(config().inspect('models.repo')?.workspaceValue, undefined);
      await setSetting('models.baseUrl', user.base);
      await config().update('models.baseUrl', folder.base, vscode.ConfigurationTarget.Workspace);
      assert.ok((await settingsFile()).includes(folder.base), 'the folder now sets its own base URL');
      assert.equal(config().get('models.baseUrl'), user.base);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('contextBudget.downloadModel', { repo: 'test/tiny-bert' })),
        /404|not found/i,
      );
      assert.deepEqual(folder.requests, [], 'nothing asked of the folder’s server');
      // The listing (404 here), then the user's (default) files: the folder's models.files is not used.
      assert.deepEqual(user.requests, [
        '/api/models/test/tiny-bert/tree/main?recursive=true',
        '/test/tiny-bert/resolve/main/onnx/model_quantized.onnx',
      ]);
      const notices = await (await api()).trustNotices();
      const told = notices.find((n) => n.includes('contextBudget.models.baseUrl'));
      assert.ok(told, `told before the download: ${JSON.stringify(notices)}`);
      for (const key of ['models.repo', 'models.revision', 'models.files']) {
        assert.ok(told.includes(`contextBudget.${key}`), key);
      }
      assert.ok(told.includes(user.base), 'names where the download goes instead');

      // Without a repo in the request the input box offers one: the user's, accepted as offered.
      user.requests.length = 0;
      let settled = false;
      const asked = Promise.resolve(vscode.commands.executeCommand('contextBudget.downloadModel')).finally(
        () => (settled = true),
      );
      for (let i = 0; i < 100 && !settled && user.requests.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      if (user.requests.length === 0) {
        // The box never took the accept: close it so the command returns, and fail here rather than time out.
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await asked;
        assert.fail('the repo input box was not accepted');
      }
      await assert.rejects(asked, /404|not found/i);
      assert.equal(user.requests[0], `/api/models/${userRepo}/tree/main?recursive=true`, JSON.stringify(user.requests));
      assert.ok(!user.requests.some((r) => r.includes('folder')), JSON.stringify(user.requests));
      assert.deepEqual(folder.requests, [], 'nothing asked of the folder’s server');
    } finally {
      await config().update('models.baseUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await setSetting('models.baseUrl', undefined);
      user.server.close();
      folder.server.close();
    }
  });

  it('the folder’s prompt file and its prompts.files are not read, with a note saying why', async () => {
    const settings = readChatSettings();
    assert.deepEqual(settings.promptFiles, [], 'prompts.files in force is the user’s (empty)');
    const { prompts, errors } = await loadPrompts(settings);
    const ids = prompts.map((p) => p.id);
    assert.ok(ids.includes('explain'), 'the built-in pool is there');
    assert.ok(!ids.includes('folder-prompt'), '.vscode/context-budget.prompts.json not read');
    assert.ok(!ids.includes('folder-file-prompt'), 'prompts.files not read');
    assert.ok(
      errors.some((e) => e.includes('.vscode/context-budget.prompts.json') && /not trusted/.test(e)),
      JSON.stringify(errors),
    );
    assert.ok(errors.some((e) => e.includes('contextBudget.prompts.files') && /not trusted/.test(e)));
  });
});

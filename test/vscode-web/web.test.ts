// The browser bundle in the web worker extension host: same status bar, CodeLens and compression as Node.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WEBGPU_WASM } from '../../src/core/models/files';
import type { StatusSnapshot } from '../../src/statusBar';
import type { ViewState } from '../../src/webviewProtocol';
import { skipBecause } from '../support/summaryReporter';

async function open(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0]!;
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name)));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v !== undefined) {
      return v;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('browser bundle in the web worker extension host', () => {
  it('runs in the web worker host, not in this Node host', async () => {
    // This host does not know it (getExtension lists the calling host's extensions), yet its commands answer.
    assert.equal(vscode.extensions.getExtension('context-budget.context-budget'), undefined);
    await until('its commands (activation on startup finished)', async () =>
      (await vscode.commands.getCommands(true)).includes('contextBudget.compressContext') ? true : undefined,
    );
  });

  it('status bar counts the active file for the target model', async () => {
    await open('notes.md');
    const s = await until('the status', async () => {
      const snap = await vscode.commands.executeCommand<StatusSnapshot>('contextBudget.showBudget');
      return snap?.text.startsWith('$(file-text)') ? snap : undefined;
    });
    assert.equal(s.text, '$(file-text) 91 / 123,904 · 0.1% · $0.0002');
  });

  it('CodeLens counts Markdown headings', async () => {
    const editor = await open('notes.md');
    const titles = await until('three lenses', async () => {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          editor.document.uri,
          100,
        )) ?? [];
      const t = lenses.map((l) => l.command?.title ?? '').filter((x) => x.endsWith(' tokens'));
      return t.length === 3 ? t : undefined;
    });
    assert.ok(titles.includes('≈ 22 tokens'), titles.join(', '));
  });

  it('Compress Context compresses structurally, with grammars fetched from the extension', async () => {
    const editor = await open('sample.ts');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    // Settings are shared by both hosts: keep 70% of 135 tokens, a budget of 94 near the signatures level (whose
    // markers name their lines): the signatures, or its most important lines.
    await vscode.workspace
      .getConfiguration('contextBudget')
      .update('compression.rate', 0.7, vscode.ConfigurationTarget.Global);
    const state = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
    await vscode.workspace
      .getConfiguration('contextBudget')
      .update('compression.rate', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(state.error, null);
    assert.equal(state.result?.originalTokens, 135);
    assert.ok((state.result?.compressedTokens ?? Infinity) <= 94, `compressed to ${state.result?.compressedTokens}`);
    assert.match(state.result!.method, /^(selected:)?structural:/, state.result!.notes.join(' | '));
  });

  it('Compress Context runs LLMLingua-2 in a web worker, the model read through workspace.fs', async function () {
    this.timeout(120_000);
    const r = await compressNotesWithModel('cpu', 'onnxruntime-web wasm in a web worker');
    assert.ok(r.compressedTokens <= 40 && r.compressedTokens >= 30, `compressed to ${r.compressedTokens} of 40`);
    assert.ok(
      r.segments.some((s) => s.status === 'dropped' && typeof s.pKeep === 'number'),
      'words dropped, with p(keep)',
    );
  });

  it('with WebGPU in the browser (device gpu), LLMLingua-2 runs on onnxruntime-web webgpu, with the labels and p(keep) of WASM', async function () {
    if (process.env.CB_BROWSER_WEBGPU !== 'on') {
      skipBecause(this, 'this Chromium was started without WebGPU (npm run test:web starts it with WebGPU)');
    }
    // SwiftShader compiles every shader on the CPU at the first run.
    this.timeout(300_000);
    const gpu = await compressNotesWithModel('gpu', 'onnxruntime-web webgpu in a web worker');
    const cpu = await compressNotesWithModel('cpu', 'onnxruntime-web wasm in a web worker');
    // WASM is within 1e-6 of the recorded reference values (unit tests); WebGPU must be within 1e-3 of it.
    assert.deepEqual(
      gpu.segments.map((s) => [s.text, s.status]),
      cpu.segments.map((s) => [s.text, s.status]),
    );
    let maxDiff = 0;
    let words = 0;
    gpu.segments.forEach((s, i) => {
      if (typeof s.pKeep !== 'number') return;
      words++;
      maxDiff = Math.max(maxDiff, Math.abs(s.pKeep - cpu.segments[i]!.pKeep!));
    });
    console.log(`      browser webgpu vs wasm: max |Δp| = ${maxDiff.toExponential(2)} over ${words} words`);
    assert.ok(words > 20, `${words} words with p(keep)`);
    assert.ok(maxDiff < 1e-3, `max |Δp| ${maxDiff}`);
  });

  it('the WebGPU .wasm is read from the model folder first (the universal VSIX leaves it out), checked by its hash', async function () {
    if (process.env.CB_BROWSER_WEBGPU !== 'on') {
      skipBecause(this, 'this Chromium was started without WebGPU (npm run test:web starts it with WebGPU)');
    }
    this.timeout(300_000);
    // A file of that name that is not onnxruntime-web's: refused with the reason, though dist/web/ort/ has the real one
    // in this development build (so the model folder is looked at first).
    const bad = modelFolderWith(new TextEncoder().encode('not a wasm'));
    const real = fs.readFileSync(
      path.resolve(__dirname, '../../../node_modules/onnxruntime-web/dist', WEBGPU_WASM.file),
    );
    const good = modelFolderWith(real);
    try {
      await compressNotesWithModel(
        'gpu',
        'webgpu',
        bad,
        new RegExp(
          `${WEBGPU_WASM.file.replaceAll('.', '\\.')} in the model folder is not onnxruntime-web 1\\.30\\.0's`,
        ),
      );
      await compressNotesWithModel('gpu', 'onnxruntime-web webgpu in a web worker', good);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
      fs.rmSync(good, { recursive: true, force: true });
    }
  });

  it('device auto leaves the fallback (software) adapter SwiftShader for WASM, and the result says why', async function () {
    if (process.env.CB_BROWSER_WEBGPU !== 'on') {
      skipBecause(this, 'this Chromium was started without WebGPU (npm run test:web starts it with WebGPU)');
    }
    this.timeout(120_000);
    await compressNotesWithModel(
      'auto',
      'onnxruntime-web wasm (GPU not used: the WebGPU adapter is a fallback (software) one (google swiftshader), ' +
        'slower than the CPU) in a web worker',
    );
  });

  it('without a WebGPU adapter in the browser, LLMLingua-2 runs on WASM and the result says why', async function () {
    if (process.env.CB_BROWSER_WEBGPU !== 'off') {
      skipBecause(this, 'this Chromium offers WebGPU (npm run test:web -- --no-webgpu runs this test)');
    }
    this.timeout(120_000);
    await compressNotesWithModel(
      'auto',
      'onnxruntime-web wasm (GPU not used: navigator.gpu.requestAdapter() found no adapter) in a web worker',
    );
  });
});

/**
 * Compress Context on notes.md with the fixture model (budget 40) and the given device setting, until the result says
 * the model ran on `runtime` (settings reach the web worker host a moment after update() resolves; a device change
 * reloads the model there).
 */
async function compressNotesWithModel(
  device: string,
  runtime: string,
  modelDir = FIXTURE_MODEL,
  expectError?: RegExp,
): Promise<CompressResult> {
  const settings: [string, unknown][] = [
    ['compression.modelPath', modelDir],
    ['compression.compressor', 'llmlingua2'],
    ['compression.mode', 'budget'],
    ['compression.budgetTokens', 40],
    ['compression.device', device],
  ];
  const cfg = () => vscode.workspace.getConfiguration('contextBudget');
  // An open savings view keeps its own options; a new one starts from the settings.
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const editor = await open('notes.md');
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  for (const [k, v] of settings) await cfg().update(k, v, vscode.ConfigurationTarget.Global);
  const note = `LLMLingua-2 ran on ${runtime}`;
  let last: string[] = [];
  try {
    const state = await until(`a budget-40 LLMLingua-2 result noting "${note}"`, async () => {
      const s = await vscode.commands.executeCommand<ViewState>('contextBudget.compressContext');
      last = s.result?.notes ?? [String(s.error)];
      if (expectError) return expectError.test([s.error ?? '', ...last].join(' | ')) ? s : undefined;
      const ok = s.error === null && s.result?.method === 'llmlingua2' && s.result.compressedTokens <= 40;
      return ok && s.result!.notes.includes(note) ? s : undefined;
    });
    return state.result ?? ({ notes: [state.error] } as unknown as CompressResult);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last notes: ${last.join(' | ')}`);
  } finally {
    for (const [k] of settings) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
  }
}

type CompressResult = NonNullable<ViewState['result']>;

// This suite's bundle is dist/test/vscode-web/index.js; the model folder is a path on the server's file system.
const FIXTURE_MODEL = path.resolve(
  __dirname,
  '../../../test/fixtures/llmlingua2/tiny-bert-base-multilingual-cased-ref',
);

/** A copy of the fixture model folder with `wasm` beside the model as the WebGPU build's .wasm. */
function modelFolderWith(wasm: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-web-model-'));
  fs.cpSync(FIXTURE_MODEL, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, WEBGPU_WASM.file), wasm);
  return dir;
}

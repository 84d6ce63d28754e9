// "Download Compressor Model": fetches an LLMLingua-2 ONNX model on the user's explicit request, with
// progress and cancel, into the extension's global storage, then makes it the configured model.
import * as vscode from 'vscode';
import { readSettings, SECTION } from '../config';
import { formatBytes } from '../core/format';
import {
  ModelDownloadError,
  type ModelFileSpec,
  type ModelVariant,
  planModelFiles,
  variantsFor,
} from '../core/models/store';
import { WEBGPU_WASM } from '../core/models/files';
import { ignoredSettingNames, tellUntrusted } from '../trust';
import { probeNodeWebGpu } from './gpuProbe';
import { downloadModel, listRepoFiles } from './modelStore';

export interface DownloadRequest {
  repo?: string;
  revision?: string;
  files?: string[];
  /** Also fetch onnxruntime-web's WebGPU .wasm (27 MB, hash-checked) into the model folder, for a browser host. */
  webGpuRuntime?: boolean;
}

export async function downloadCompressorModel(
  storage: vscode.Uri,
  request: DownloadRequest = {},
): Promise<string | undefined> {
  const { models } = readSettings();
  // VS Code gives an untrusted folder's restricted settings their user values; say so before fetching anything.
  const ignored = await ignoredSettingNames(['models.baseUrl', 'models.repo', 'models.revision', 'models.files']);
  if (ignored) {
    tellUntrusted(
      vscode.l10n.t(
        'Context Budget: this folder is not trusted, so its settings {0} are not used; the download uses your user settings ({1}).',
        ignored,
        models.baseUrl,
      ),
    );
  }
  const repo =
    request.repo ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Context Budget: download an LLMLingua-2 model'),
      prompt: vscode.l10n.t('Hugging Face repo id (from {0}); files: {1}', models.baseUrl, models.files.join(', ')),
      value: models.repo,
      ignoreFocusOut: true,
    }));
  if (!repo) {
    return undefined;
  }
  const revision = request.revision ?? models.revision;
  const spec = {
    repo,
    revision,
    files: [
      ...(request.files?.map((path) => ({ path })) ?? (await planFiles(repo, revision, models))),
      ...(request.webGpuRuntime
        ? [{ path: WEBGPU_WASM.file, url: WEBGPU_WASM.url, sha256: WEBGPU_WASM.sha256, size: WEBGPU_WASM.size }]
        : []),
    ],
  };
  try {
    const dir = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Downloading {0}', repo),
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return downloadModel(spec, {
          storageDir: storage.fsPath,
          baseUrl: models.baseUrl,
          signal: abort.signal,
          onProgress: (p) => {
            const fraction = p.total ? p.received / p.total : undefined;
            const increment = fraction === undefined ? undefined : Math.max(0, fraction * 100 - reported);
            if (fraction !== undefined) {
              reported = fraction * 100;
            }
            const size = p.fileTotal
              ? vscode.l10n.t('{0} of {1}', formatBytes(p.fileReceived), formatBytes(p.fileTotal))
              : formatBytes(p.fileReceived);
            progress.report({ message: `${p.file}: ${size}`, increment });
          },
        });
      },
    );
    await vscode.workspace
      .getConfiguration(SECTION)
      .update('compression.modelPath', dir, vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Context Budget: LLMLingua-2 model installed in {0}.', dir),
    );
    return dir;
  } catch (err) {
    const message =
      err instanceof ModelDownloadError && err.kind === 'aborted'
        ? vscode.l10n.t('download cancelled; the partial files are kept and the next download resumes them')
        : err instanceof Error
          ? err.message
          : String(err);
    void vscode.window.showErrorMessage(vscode.l10n.t('Context Budget: model download failed: {0}', message));
    throw err;
  }
}

/**
 * The repo's own listing gives each file's SHA-256 and size, so a corrupt or truncated download is rejected. A mirror
 * without the listing API falls back to the configured file names, downloaded without those checks.
 */
async function planFiles(
  repo: string,
  revision: string,
  models: { baseUrl: string; files: string[] },
): Promise<ModelFileSpec[]> {
  let listing;
  try {
    listing = await listRepoFiles(repo, { revision, baseUrl: models.baseUrl });
  } catch {
    return models.files.map((path) => ({ path }));
  }
  return planModelFiles(listing, await variantsForThisMachine());
}

/**
 * Weights for where the model will run: int8 on the CPU (the practical choice there), and where onnxruntime-node's
 * WebGPU runs here and the device setting allows it, fp16 (adapter with shader-f16) or fp32, then 4-bit.
 */
async function variantsForThisMachine(): Promise<ModelVariant[]> {
  if (readSettings().compression.device === 'cpu') return variantsFor({ gpu: false });
  const gpu = await probeNodeWebGpu();
  return variantsFor(gpu.ok ? { gpu: true, f16: gpu.f16 } : { gpu: false });
}

// The LLMLingua-2 model folder as the browser host reads it: the setting as a folder URI, and its files through
// workspace.fs (the Node host's worker reads the folder with Node's fs instead).
import * as vscode from 'vscode';
import { MODEL_MANIFEST, modelFileOrder, parseManifest } from '../core/models/files';
import { resolveWorkspacePath } from '../workspacePaths';

/** The setting as a folder, resolved as every path setting is (src/workspacePaths.ts). */
export function modelFolderUri(setting: string): vscode.Uri {
  const uri = resolveWorkspacePath(setting);
  if (!uri) {
    throw new Error(`"${setting}" is a relative path, but no folder is open: set an absolute path or a URI`);
  }
  return uri;
}

/** The ONNX model and parsed tokenizer.json of a model folder, with errors that name the file. */
export async function readModelFolder(dir: vscode.Uri): Promise<{ model: Uint8Array; tokenizerJson: unknown }> {
  let manifest;
  try {
    manifest = parseManifest(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, MODEL_MANIFEST))),
    );
  } catch {
    // no manifest: a folder the user made
  }
  const names = modelFileOrder(manifest);
  let model: Uint8Array | undefined;
  for (const name of names) {
    try {
      model = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name));
      break;
    } catch {
      // try the next name
    }
  }
  if (!model) {
    throw new Error(`No ONNX model in ${dir.toString(true)} (looked for ${names.join(', ')})`);
  }
  const tokenizerUri = vscode.Uri.joinPath(dir, 'tokenizer.json');
  try {
    return {
      model,
      tokenizerJson: JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(tokenizerUri))),
    };
  } catch (e) {
    throw new Error(`Cannot read ${tokenizerUri.toString(true)}: ${(e as Error).message}`);
  }
}

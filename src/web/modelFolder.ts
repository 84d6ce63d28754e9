// The LLMLingua-2 model folder as the browser host reads it: the setting as a folder URI, and its files through
// workspace.fs (the Node host's worker reads the folder with Node's fs instead).
import * as vscode from 'vscode';
import { MODEL_FILE_CANDIDATES } from '../core/llmlingua2/modelFiles';

/**
 * The setting as a folder: a URI, an absolute path (on the workspace's file system when that is remote or virtual,
 * else on this machine), or a path relative to the first workspace folder.
 */
export function modelFolderUri(setting: string): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(setting)) return vscode.Uri.parse(setting);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const absolute = setting.startsWith('/') || /^[a-z]:[\\/]/i.test(setting);
  if (absolute) return folder && folder.scheme !== 'file' ? folder.with({ path: setting }) : vscode.Uri.file(setting);
  if (!folder) {
    throw new Error(`"${setting}" is a relative path, but no folder is open: set an absolute path or a URI`);
  }
  return vscode.Uri.joinPath(folder, setting);
}

/** The ONNX model and parsed tokenizer.json of a model folder, with errors that name the file. */
export async function readModelFolder(dir: vscode.Uri): Promise<{ model: Uint8Array; tokenizerJson: unknown }> {
  let model: Uint8Array | undefined;
  for (const name of MODEL_FILE_CANDIDATES) {
    try {
      model = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name));
      break;
    } catch {
      // try the next name
    }
  }
  if (!model) {
    throw new Error(`No ONNX model in ${dir.toString(true)} (looked for ${MODEL_FILE_CANDIDATES.join(', ')})`);
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

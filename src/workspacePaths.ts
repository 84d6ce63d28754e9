// Paths that settings and tool inputs name, and the workspace-relative labels shown for documents: one rule for
// the language-model tool's URIs, the prompt pool files and the browser host's model folder.
import * as vscode from 'vscode';

// A scheme of two or more characters (file:, untitled:, vscode-remote://…): a one-letter one is a Windows drive.
const URI = /^[a-z][a-z0-9+.-]+:/i;
const ABSOLUTE = /^(\/|[a-z]:[\\/])/i;

/**
 * A URI as written; an absolute path on the workspace's file system (the first folder's, when that is remote or
 * virtual, as in a browser host; else this machine's); or a path relative to the first workspace folder.
 * Undefined for a relative path when no folder is open: the caller says what needed one.
 */
export function resolveWorkspacePath(value: string): vscode.Uri | undefined {
  if (URI.test(value)) return vscode.Uri.parse(value);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (ABSOLUTE.test(value)) {
    return folder && folder.scheme !== 'file' ? folder.with({ path: value }) : vscode.Uri.file(value);
  }
  return folder && vscode.Uri.joinPath(folder, value);
}

/** A document's path relative to its workspace folder (the folder name left out), for labels. */
export function workspaceLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

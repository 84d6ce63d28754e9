// Keeps the originals behind reversible markers across reloads, per workspace: one JSON file in the extension's
// workspace storage (context.storageUri), written after each change (one write at a time, the latest state last)
// and read at activation. The format and its bounds (the most recently used originals up to 2 M characters, the
// places of up to 20,000 ids) are src/core/elisionBounds.ts; this file only gives it vscode.workspace.fs. Without a
// workspace nothing persists.
import * as vscode from 'vscode';
import { BoundedElisionFile } from './core/elisionBounds';

const FILE = 'elisions.json';

export class ElisionFile extends BoundedElisionFile {
  constructor(folder: vscode.Uri, onError: (message: string) => void = () => undefined) {
    const uri = vscode.Uri.joinPath(folder, FILE);
    super(
      {
        read: async () => {
          try {
            return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          } catch {
            return undefined; // none yet
          }
        },
        write: async (text) => {
          await vscode.workspace.fs.createDirectory(folder);
          await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        },
      },
      FILE,
      onError,
    );
  }
}

// What "Compress Context" compresses: the selection, else the symbol under the cursor, else the file.
import * as vscode from 'vscode';
import { lensSymbols } from '../codeLens';
import type { PlanSource } from '../core/planner';
import { workspaceLabel } from '../workspacePaths';
import type { CompressionSource } from './panel';

export function rangeSource(doc: vscode.TextDocument, range: vscode.Range, what: string): CompressionSource {
  const name = workspaceLabel(doc.uri);
  const lines = range.isEmpty ? '' : `:${range.start.line + 1}-${range.end.line + 1}`;
  return {
    label: `${what} ${name}${lines}`,
    languageId: doc.languageId,
    text: doc.getText(range),
    replace: { uri: doc.uri, range, version: doc.version },
  };
}

export async function sourceFromEditor(editor: vscode.TextEditor): Promise<CompressionSource> {
  const doc = editor.document;
  if (!editor.selection.isEmpty) {
    return rangeSource(doc, editor.selection, 'selection in');
  }
  const symbol = await symbolAt(doc, editor.selection.active);
  if (symbol) {
    return rangeSource(doc, symbol.range, `${symbol.name} in`);
  }
  const all = new vscode.Range(0, 0, doc.lineCount, 0);
  return rangeSource(doc, doc.validateRange(all), 'file');
}

/** The innermost symbol that gets a token CodeLens and contains the position. */
async function symbolAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.DocumentSymbol | undefined> {
  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
    'vscode.executeDocumentSymbolProvider',
    doc.uri,
  );
  if (!symbols?.length || !('children' in symbols[0]!)) {
    return undefined;
  }
  const hits = lensSymbols(symbols, doc.languageId).filter((s) => s.range.contains(pos));
  // lensSymbols lists parents before children, so the last hit is the innermost.
  return hits.at(-1);
}

/**
 * Every open text editor tab, the active one first: the selection 100, the active file 80, the rest 50. Each part
 * carries its origin, so the planner counts a selection inside the active file once, with the file.
 */
export async function sourceFromOpenEditors(): Promise<CompressionSource | undefined> {
  const active = vscode.window.activeTextEditor;
  const uris = new Map<string, vscode.Uri>();
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    if (tab.input instanceof vscode.TabInputText) {
      uris.set(tab.input.uri.toString(), tab.input.uri);
    }
  }
  if (active) {
    uris.set(active.document.uri.toString(), active.document.uri);
  }
  const parts: PlanSource[] = [];
  for (const uri of uris.values()) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const path = workspaceLabel(uri);
    const isActive = doc === active?.document;
    if (isActive && !active.selection.isEmpty) {
      const start = doc.offsetAt(active.selection.start);
      const text = doc.getText(active.selection);
      parts.push({
        ...packPart(`${path} (selection)`, text, doc.languageId, 100),
        origin: { uri: uri.toString(), start, end: start + text.length },
      });
    }
    parts.push({
      ...packPart(path, doc.getText(), doc.languageId, isActive ? 80 : 50),
      origin: { uri: uri.toString() },
    });
  }
  if (!parts.length) {
    return undefined;
  }
  parts.sort((a, b) => b.priority - a.priority);
  return { label: `${parts.length} open editor source(s)`, languageId: 'plaintext', text: '', parts };
}

function packPart(path: string, text: string, languageId: string, priority: number): PlanSource {
  return { id: path, label: path, text, languageId, priority, header: `--- ${path} ---\n` };
}

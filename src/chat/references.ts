// Turns chat references (#file, selections, attached editors) and tool URIs into planner sources with readable
// labels, language ids (so the structural compressor can pick its handler) and origins (so the planner counts a
// file attached twice, or a selection inside an attached file, once).
import * as vscode from 'vscode';
import type { PlanSource } from '../core/planner';
import { workspaceLabel } from '../workspacePaths';

export interface ReferenceSource extends PlanSource {
  label: string;
}

// Selections first, then whole files, then loose strings: what the user pointed at matters most.
const PRIORITY = { location: 100, file: 60, string: 40 } as const;

export async function sourceFromUri(uri: vscode.Uri, id = uri.toString()): Promise<ReferenceSource> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const label = workspaceLabel(uri);
  return {
    id,
    label,
    text: doc.getText(),
    languageId: doc.languageId,
    priority: PRIORITY.file,
    header: `### ${label}\n`,
    origin: { uri: doc.uri.toString() },
  };
}

export async function sourceFromLocation(location: vscode.Location, id: string): Promise<ReferenceSource> {
  const doc = await vscode.workspace.openTextDocument(location.uri);
  const r = location.range;
  const label = `${workspaceLabel(location.uri)}:${r.start.line + 1}-${r.end.line + 1}`;
  const text = doc.getText(r);
  const start = doc.offsetAt(r.start);
  return {
    id,
    label,
    text,
    languageId: doc.languageId,
    priority: PRIORITY.location,
    header: `### ${label}\n`,
    origin: { uri: doc.uri.toString(), start, end: start + text.length },
  };
}

export interface CollectedReferences {
  sources: ReferenceSource[];
  /** References that could not be read (binary, missing, unsupported kind), with why. */
  skipped: string[];
}

export async function sourcesFromReferences(
  references: readonly vscode.ChatPromptReference[],
): Promise<CollectedReferences> {
  const sources: ReferenceSource[] = [];
  const skipped: string[] = [];
  // References arrive last-in-prompt first; restore prompt order for the packed text.
  for (const [i, ref] of [...references].reverse().entries()) {
    const id = `${ref.id}#${i}`;
    try {
      const v = ref.value;
      if (v instanceof vscode.Location) {
        sources.push(await sourceFromLocation(v, id));
      } else if (v instanceof vscode.Uri) {
        sources.push(await sourceFromUri(v, id));
      } else if (typeof v === 'string') {
        const label = ref.modelDescription || ref.id;
        sources.push({ id, label, text: v, priority: PRIORITY.string, header: `### ${label}\n` });
      } else {
        skipped.push(`${ref.id}: unsupported reference kind`);
      }
    } catch (e) {
      skipped.push(`${ref.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { sources, skipped };
}

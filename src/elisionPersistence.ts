// Keeps the originals behind reversible markers across reloads, per workspace: one JSON file in the extension's
// workspace storage (context.storageUri), written after each change (one write at a time, the latest state last)
// and read at activation. Bounded: the most recently used originals up to MAX_CHARS characters, and the places
// (file and lines) of up to MAX_LOCATIONS ids, whose originals may be gone. Without a workspace nothing persists.
import * as vscode from 'vscode';
import type { ElisionPersistence, StoredElision } from './core/elisions';
import { LatestWrite } from './core/latestWrite';

/** Characters of originals written (about 2 bytes each): a few hundred compressed files' worth. */
export const MAX_PERSISTED_CHARS = 2_000_000;
export const MAX_PERSISTED_LOCATIONS = 20_000;
const FILE = 'elisions.json';
const VERSION = 1;

export class ElisionFile implements ElisionPersistence {
  private readonly writes = new LatestWrite<readonly StoredElision[]>((entries) => this.write(entries));

  constructor(
    private readonly folder: vscode.Uri,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  private get uri(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, FILE);
  }

  async load(): Promise<readonly StoredElision[]> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(this.uri);
    } catch {
      return []; // none yet
    }
    try {
      const data = JSON.parse(new TextDecoder().decode(bytes)) as { version?: number; entries?: unknown };
      if (data.version !== VERSION || !Array.isArray(data.entries)) return [];
      return data.entries.filter(isStored);
    } catch (err) {
      this.onError(`elisions: ignoring an unreadable ${FILE}: ${String(err)}`);
      return [];
    }
  }

  save(entries: readonly StoredElision[]): void {
    this.writes.save(entries);
  }

  /** Resolves once every save so far is on disk. */
  flushed(): Promise<void> {
    return this.writes.flushed();
  }

  private async write(entries: readonly StoredElision[]): Promise<void> {
    if (!entries) return;
    try {
      await vscode.workspace.fs.createDirectory(this.folder);
      const body = JSON.stringify({ version: VERSION, entries: bounded(entries) });
      await vscode.workspace.fs.writeFile(this.uri, new TextEncoder().encode(body));
    } catch (err) {
      this.onError(`elisions: could not write ${FILE}: ${String(err)}`);
    }
  }
}

/** The newest entries within the bounds: originals up to MAX_PERSISTED_CHARS, then places alone. */
export function bounded(entries: readonly StoredElision[]): StoredElision[] {
  const out: StoredElision[] = [];
  let chars = 0;
  for (let i = entries.length - 1; i >= 0 && out.length < MAX_PERSISTED_LOCATIONS; i--) {
    const e = entries[i]!;
    if (e.original !== undefined && chars + e.original.length <= MAX_PERSISTED_CHARS) {
      chars += e.original.length;
      out.push(e);
    } else if (e.location) {
      out.push({ id: e.id, location: e.location });
    }
  }
  return out.reverse();
}

function isStored(e: unknown): e is StoredElision {
  if (typeof e !== 'object' || e === null) return false;
  const { id, original, location } = e as Record<string, unknown>;
  if (typeof id !== 'string' || !/^[a-z][0-9a-z]{7}$/.test(id)) return false;
  if (original !== undefined && typeof original !== 'string') return false;
  if (location === undefined) return original !== undefined;
  const l = location as Record<string, unknown>;
  return typeof l.source === 'string' && Number.isInteger(l.startLine) && Number.isInteger(l.endLine);
}

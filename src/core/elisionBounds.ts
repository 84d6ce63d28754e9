// The persisted elision file's format and bounds, apart from any host's I/O: what is written (the most recently used
// originals up to MAX_PERSISTED_CHARS characters, and the places of up to MAX_PERSISTED_LOCATIONS ids, least
// recently used first on disk), and what a read gives back (a corrupt, truncated or foreign file is an empty store,
// never a throw). BoundedElisionFile is the ElisionPersistence over a host's read and write of one text file: the
// extension gives it vscode.workspace.fs (src/elisionPersistence.ts), a test gives it memory or a temp folder.
import type { ElisionPersistence, StoredElision } from './elisions';
import { LatestWrite } from './latestWrite';

/** Characters of originals written (about 2 bytes each): a few hundred compressed files' worth. */
export const MAX_PERSISTED_CHARS = 2_000_000;
/** Entries written, with or without their original (a place alone is a few dozen bytes). */
export const MAX_PERSISTED_LOCATIONS = 20_000;
export const ELISION_FILE_VERSION = 1;

export interface ElisionBounds {
  maxChars: number;
  maxLocations: number;
}

export const PERSISTED_BOUNDS: ElisionBounds = {
  maxChars: MAX_PERSISTED_CHARS,
  maxLocations: MAX_PERSISTED_LOCATIONS,
};

/**
 * The newest entries within the bounds, least recently used first as given: originals while they fit in
 * `maxChars` (newest first; an older, smaller one may still fit after a larger one did not), then places alone; an
 * entry with neither left is dropped, and at most `maxLocations` entries are kept. Bounding twice changes nothing.
 */
export function bounded(entries: readonly StoredElision[], bounds = PERSISTED_BOUNDS): StoredElision[] {
  const out: StoredElision[] = [];
  let chars = 0;
  for (let i = entries.length - 1; i >= 0 && out.length < bounds.maxLocations; i--) {
    const e = entries[i]!;
    if (e.original !== undefined && chars + e.original.length <= bounds.maxChars) {
      chars += e.original.length;
      out.push(e);
    } else if (e.location) {
      out.push({ id: e.id, location: e.location });
    }
  }
  return out.reverse();
}

/** The file's text for a store's entries (least recently used first), bounded. */
export function encodeElisions(entries: readonly StoredElision[], bounds = PERSISTED_BOUNDS): string {
  return JSON.stringify({ version: ELISION_FILE_VERSION, entries: bounded(entries, bounds) });
}

/**
 * The entries a file's text holds, bounded (a file written by hand or under other bounds is cut to these), and
 * why it held none when it could not be read: `problem` for text that is not JSON (a truncated write, a hand
 * edit). Another version, or JSON of another shape, is an empty store without a problem; an entry that is not a
 * stored elision is skipped.
 */
export function decodeElisions(
  text: string,
  bounds = PERSISTED_BOUNDS,
): { entries: StoredElision[]; problem?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { entries: [], problem: String(err) };
  }
  if (typeof data !== 'object' || data === null) return { entries: [] };
  const { version, entries } = data as { version?: unknown; entries?: unknown };
  if (version !== ELISION_FILE_VERSION || !Array.isArray(entries)) return { entries: [] };
  return { entries: bounded(entries.filter(isStored), bounds) };
}

/** An id as the store makes them, with an original, a place, or both. */
export function isStored(e: unknown): e is StoredElision {
  if (typeof e !== 'object' || e === null) return false;
  const { id, original, location } = e as Record<string, unknown>;
  if (typeof id !== 'string' || !/^[a-z][0-9a-z]{7}$/.test(id)) return false;
  if (original !== undefined && typeof original !== 'string') return false;
  if (location === undefined) return original !== undefined;
  if (typeof location !== 'object' || location === null) return false;
  const l = location as Record<string, unknown>;
  return typeof l.source === 'string' && Number.isInteger(l.startLine) && Number.isInteger(l.endLine);
}

/** One text file, as the host reads and writes it. */
export interface ElisionFileIO {
  /** The file's text, or undefined when there is none yet (or it cannot be read). */
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

/** The store's entries in one bounded file: written one write at a time, the latest state last; read once. */
export class BoundedElisionFile implements ElisionPersistence {
  private readonly writes = new LatestWrite<readonly StoredElision[]>((entries) => this.write(entries));

  constructor(
    private readonly io: ElisionFileIO,
    /** What messages call the file. */
    private readonly name: string,
    private readonly onError: (message: string) => void = () => undefined,
    private readonly bounds = PERSISTED_BOUNDS,
  ) {}

  async load(): Promise<readonly StoredElision[]> {
    let text: string | undefined;
    try {
      text = await this.io.read();
    } catch {
      text = undefined;
    }
    if (text === undefined) return []; // none yet
    const { entries, problem } = decodeElisions(text, this.bounds);
    if (problem) this.onError(`elisions: ignoring an unreadable ${this.name}: ${problem}`);
    return entries;
  }

  save(entries: readonly StoredElision[]): void {
    this.writes.save(entries);
  }

  /** Resolves once every save so far is on disk. */
  flushed(): Promise<void> {
    return this.writes.flushed();
  }

  private async write(entries: readonly StoredElision[]): Promise<void> {
    try {
      await this.io.write(encodeElisions(entries, this.bounds));
    } catch (err) {
      this.onError(`elisions: could not write ${this.name}: ${String(err)}`);
    }
  }
}

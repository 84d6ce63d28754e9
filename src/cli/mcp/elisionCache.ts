// Where the MCP server's ids came from, across server processes: an agent's client restarts the server (or runs
// several) while the model still holds markers from an earlier one. One small JSON file in the user's cache folder
// keeps each id's file and line range (never the originals: source text stays out of the cache), the most recently
// used last, bounded. A write merges with what other servers wrote since and replaces the file atomically (a temp
// file, then rename); an unreadable or corrupt file counts as empty and is rewritten.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ElisionLocation, ElisionPersistence, StoredElision } from '../../core/elisions';
import { TEXT_SOURCE } from '../../core/expandAnswer';
import { LatestWrite } from '../../core/latestWrite';

/** Overrides the cache folder (tests, sandboxes): the file goes straight into it. */
export const CACHE_DIR_ENV = 'CONTEXT_BUDGET_CACHE_DIR';
export const CACHE_FILE = 'mcp-elisions.json';
/** Ids whose place is kept: about 100 bytes each, a couple of MB at most. */
export const MAX_CACHED_IDS = 20_000;
const VERSION = 1;

/** $CONTEXT_BUDGET_CACHE_DIR, else $XDG_CACHE_HOME/context-budget, else %LOCALAPPDATA% or ~/.cache. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env[CACHE_DIR_ENV]) return resolve(env[CACHE_DIR_ENV]);
  const base =
    env.XDG_CACHE_HOME ||
    (platform === 'win32' && env.LOCALAPPDATA ? env.LOCALAPPDATA : join(env.HOME || homedir(), '.cache'));
  return join(base, 'context-budget');
}

interface Cached {
  id: string;
  location: ElisionLocation;
}

export class ElisionCacheFile implements ElisionPersistence {
  private readonly writes = new LatestWrite<readonly StoredElision[]>((entries) => this.write(entries));

  constructor(
    readonly path: string = join(cacheDir(), CACHE_FILE),
    private readonly onError: (message: string) => void = () => undefined,
    private readonly maxIds = MAX_CACHED_IDS,
  ) {}

  async load(): Promise<Cached[]> {
    return this.read();
  }

  /** Where an id came from, read from the file now: another server may have written it since load(). */
  async locate(id: string): Promise<ElisionLocation | undefined> {
    return (await this.read()).find((e) => e.id === id)?.location;
  }

  save(entries: readonly StoredElision[]): void {
    this.writes.save(entries);
  }

  /** Resolves once every save so far is on disk. */
  flushed(): Promise<void> {
    return this.writes.flushed();
  }

  private async read(): Promise<Cached[]> {
    let body: string;
    try {
      body = await readFile(this.path, 'utf8');
    } catch {
      return []; // none yet
    }
    try {
      const data = JSON.parse(body) as { version?: unknown; entries?: unknown };
      if (data.version !== VERSION || !Array.isArray(data.entries)) return [];
      return data.entries.filter(isCached);
    } catch {
      return []; // corrupt (a crash mid-write elsewhere, a hand edit): rewritten by the next save
    }
  }

  private async write(entries: readonly StoredElision[]): Promise<void> {
    // Nothing with a place (a call that cut nothing): no file to touch.
    if (!entries?.some((e) => e.location)) return;
    // Others' entries first (older), ours after them (newer), each id once, the newest `maxIds` kept.
    const merged = new Map<string, Cached>();
    for (const e of await this.read()) merged.set(e.id, e);
    for (const e of entries) {
      if (!e.location) continue;
      merged.delete(e.id);
      merged.set(e.id, { id: e.id, location: absolute(e.location) });
    }
    const kept = [...merged.values()].slice(-this.maxIds);
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temp, JSON.stringify({ version: VERSION, entries: kept }));
      await rename(temp, this.path);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      this.onError(`could not write ${this.path}: ${(err as Error).message}`);
    }
  }
}

/** A file named relative to this server's folder, as any other server finds it. */
function absolute(at: ElisionLocation): ElisionLocation {
  return at.source === TEXT_SOURCE || isAbsolute(at.source) ? at : { ...at, source: resolve(at.source) };
}

function isCached(e: unknown): e is Cached {
  if (typeof e !== 'object' || e === null) return false;
  const { id, location } = e as Record<string, unknown>;
  if (typeof id !== 'string' || !/^[a-z][0-9a-z]{7}$/.test(id)) return false;
  if (typeof location !== 'object' || location === null) return false;
  const l = location as Record<string, unknown>;
  return typeof l.source === 'string' && Number.isInteger(l.startLine) && Number.isInteger(l.endLine);
}

// Reading the CLI's and the MCP server's inputs: files, folders (read recursively, honouring .gitignore as git does,
// those above the folder in its repository included) and stdin ("-"). Every path gives either a text or a reason it
// was skipped; what stops a whole call is a per-call limit (files, bytes in total) or its cancellation.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { formatBytes } from '../core/format';
import { looksBinary } from '../core/tokens/guard';

/** Default size limit for one file, both commands and the MCP server (`--max-size` raises it). */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Most files one call reads, named and found in folders together ($CONTEXT_BUDGET_MAX_FILES sets it). */
export const DEFAULT_MAX_FILES = 5000;
/** Most bytes one call reads, all files together ($CONTEXT_BUDGET_MAX_TOTAL sets it, e.g. 256M). */
export const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
export const MAX_FILES_ENV = 'CONTEXT_BUDGET_MAX_FILES';
export const MAX_TOTAL_ENV = 'CONTEXT_BUDGET_MAX_TOTAL';

/** A call would read more than its limit allows (or a limit's variable is not a valid value): the call fails. */
export class InputLimitError extends Error {}

/** The per-call limits: the options', else the environment's, else the defaults. */
function callLimits(options: ReadOptions, env = process.env): { maxFiles: number; maxTotalBytes: number } {
  const fromEnv = (name: string, parse: (v: string) => number | undefined, fallback: number, what: string) => {
    const value = env[name];
    if (value === undefined || value.trim() === '') return fallback;
    const parsed = parse(value);
    if (parsed === undefined) throw new InputLimitError(`${name} must be ${what}, got '${value}'`);
    return parsed;
  };
  const count = (v: string) => (/^\s*\d+\s*$/.test(v) && Number(v) > 0 ? Number(v) : undefined);
  return {
    maxFiles: options.maxFiles ?? fromEnv(MAX_FILES_ENV, count, DEFAULT_MAX_FILES, 'a positive whole number'),
    maxTotalBytes:
      options.maxTotalBytes ?? fromEnv(MAX_TOTAL_ENV, parseSize, DEFAULT_MAX_TOTAL_BYTES, 'a size such as 256M'),
  };
}

const NARROW = 'name narrower folders or files';

function tooManyFiles(where: string, maxFiles: number): InputLimitError {
  return new InputLimitError(
    `${where}: more than ${maxFiles.toLocaleString('en-US')} files to read, the limit for one call ` +
      `(${MAX_FILES_ENV} raises it): ${NARROW}`,
  );
}

function tooManyBytes(file: string, maxTotalBytes: number): InputLimitError {
  return new InputLimitError(
    `${file}: reading it would pass ${formatBytes(maxTotalBytes)} in total, the limit for one call ` +
      `(${MAX_TOTAL_ENV} raises it): ${NARROW}`,
  );
}

export type SkipKind = 'binary' | 'too-large' | 'missing' | 'unreadable';

export type InputFile =
  | { file: string; text: string; /** Invalid UTF-8, decoded with U+FFFD. */ invalidUtf8?: true }
  | { file: string; error: string; kind: SkipKind; /** Found in a folder argument, not named. */ inFolder?: true };

/**
 * Whether a skipped input fails the run (exit 1): a path that cannot be read, or a file named on the command line
 * that is over the size limit. Binary files, and large files met inside a folder, are skipped with a note.
 */
export function failsRun(input: InputFile): boolean {
  if (!('error' in input)) return false;
  return input.kind === 'missing' || input.kind === 'unreadable' || (input.kind === 'too-large' && !input.inFolder);
}

export interface ReadOptions {
  /** Most bytes of one file (`--max-size`); a larger file is skipped, not read. */
  maxBytes?: number;
  /** Most files one call reads (default: $CONTEXT_BUDGET_MAX_FILES, else 5,000); more is an InputLimitError. */
  maxFiles?: number;
  /** Most bytes one call reads in total (default: $CONTEXT_BUDGET_MAX_TOTAL, else 64 MB); more is an InputLimitError. */
  maxTotalBytes?: number;
  /** Stops listing and reading when aborted (the MCP request's signal): the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Where "-" reads from (the CLI: process.stdin; the MCP server has no "-"). */
  stdin?: () => Promise<Buffer>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** One file's bytes as text, or why not (binary, too large). */
export function decodeInput(file: string, bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): InputFile {
  if (bytes.byteLength > maxBytes) {
    return {
      file,
      error: `${formatBytes(bytes.byteLength)} is over the ${formatBytes(maxBytes)} limit (raise it with --max-size)`,
      kind: 'too-large',
    };
  }
  if (bytes.includes(0)) return { file, error: 'binary file', kind: 'binary' };
  let text: string;
  let invalidUtf8 = false;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = lenientUtf8.decode(bytes);
    invalidUtf8 = true;
  }
  if (looksBinary(text)) return { file, error: 'binary file', kind: 'binary' };
  // A byte-order mark is not content.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return invalidUtf8 ? { file, text, invalidUtf8: true } : { file, text };
}

/** Reads one path that is not a folder. */
export async function readInputFile(file: string, options: ReadOptions = {}): Promise<InputFile> {
  return (await readCounted(file, options, { room: Infinity, max: Infinity })).input;
}

/**
 * Reads one path that is not a folder, and how many bytes that took; more than `room` bytes (what is left of the
 * call's `max`) is an InputLimitError, checked on the size before reading and on what was read (stdin, a /proc file).
 */
async function readCounted(
  file: string,
  options: ReadOptions,
  { room, max: maxTotal }: { room: number; max: number },
): Promise<{ input: InputFile; bytes: number }> {
  let bytes: Buffer;
  try {
    if (file === '-') {
      bytes = await (options.stdin ?? readStdin)();
    } else {
      const info = await stat(file);
      const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
      // Not read at all when too large: a 5 GB log is refused without loading it.
      if (info.size > max) return { input: decodeInput(file, { byteLength: info.size } as Uint8Array, max), bytes: 0 };
      if (info.size > room) throw tooManyBytes(file, maxTotal);
      bytes = await readFile(file, options.signal ? { signal: options.signal } : {});
    }
  } catch (err) {
    if (err instanceof InputLimitError || options.signal?.aborted) throw err;
    return { input: { file, ...readError(err) }, bytes: 0 };
  }
  if (bytes.byteLength > room) throw tooManyBytes(file, maxTotal);
  return { input: decodeInput(file, bytes, options.maxBytes), bytes: bytes.byteLength };
}

function readError(err: unknown): { error: string; kind: SkipKind } {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { error: 'no such file', kind: 'missing' };
  if (code === 'EACCES') return { error: 'permission denied', kind: 'unreadable' };
  return { error: (err as Error).message, kind: 'unreadable' };
}

/**
 * Every argument in order: a folder becomes its files (sorted, recursively, minus what git ignores there and minus
 * .git: see listFolder), a file or "-" itself. A file met more than once (named
 * twice, inside a folder also named, through a link, or a shell's `src/**` that lists folders and their files) is
 * read once, where it first appears.
 *
 * One call reads at most `maxFiles` files and `maxTotalBytes` bytes in all: past either it fails with an
 * InputLimitError that names the limit (a folder's listing stops there, so `/` costs no more than the limit).
 */
export async function readInputs(paths: readonly string[], options: ReadOptions = {}): Promise<InputFile[]> {
  const { maxFiles, maxTotalBytes } = callLimits(options);
  const { signal } = options;
  const out: InputFile[] = [];
  const seen = new Set<string>();
  let total = 0;
  /** Reads `file`, found through the argument `path`, within what is left of the call's limits. */
  const read = async (file: string, path: string) => {
    signal?.throwIfAborted();
    if (seen.size > maxFiles) throw tooManyFiles(path, maxFiles);
    const { input, bytes } = await readCounted(file, options, { room: maxTotalBytes - total, max: maxTotalBytes });
    total += bytes;
    return input;
  };
  const firstTime = async (file: string) => {
    const key = await realpath(file).catch(() => resolve(file));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  for (const path of paths) {
    if (path !== '-') {
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) {
        for (const file of await listFolder(path, { maxFiles, signal })) {
          if (!(await firstTime(file))) continue;
          const input = await read(file, path);
          out.push('error' in input ? { ...input, inFolder: true } : input);
        }
        continue;
      }
      if (!(await firstTime(path))) continue;
    }
    out.push(await read(path, path));
  }
  return out;
}

/** One ignore file's rules; its patterns are relative to `base`, the folder that holds it. */
interface Rules {
  base: string;
  ig: Ignore;
}

const readText = (file: string) => readFile(file, 'utf8').catch(() => undefined);

/** The rules of one ignore file, or none when it cannot be read. */
async function rulesOf(file: string, base: string): Promise<Rules[]> {
  const text = await readText(file);
  return text === undefined ? [] : [{ base, ig: ignore().add(text) }];
}

/**
 * The git directory of a repository whose top is `dir` (`.git` is a folder, or a file `gitdir: PATH` as in a
 * worktree or a submodule), undefined when `dir` holds no `.git`.
 */
async function gitDir(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, '.git');
  const info = await stat(dotGit).catch(() => undefined);
  if (info?.isDirectory()) return dotGit;
  if (!info?.isFile()) return undefined;
  const target = /^gitdir:\s*(.+?)\s*$/m.exec((await readText(dotGit)) ?? '')?.[1];
  if (target === undefined) return undefined;
  const linked = resolve(dir, target);
  // A worktree's info/exclude is the main repository's (its `commondir`).
  const common = (await readText(join(linked, 'commondir')))?.trim();
  return common ? resolve(linked, common) : linked;
}

/** A repository's own rules, lowest precedence first: .git/info/exclude, then its top-level .gitignore. */
async function repositoryRules(top: string, git: string): Promise<Rules[]> {
  return [...(await rulesOf(join(git, 'info', 'exclude'), top)), ...(await rulesOf(join(top, '.gitignore'), top))];
}

/**
 * The rules that apply to a folder's contents from outside it, as git applies them: when the folder is inside a
 * repository (the nearest ancestor holding `.git`), that repository's .git/info/exclude and every .gitignore from
 * its top down to the folder's parent. The folder's own files are read by the walk.
 */
async function inheritedRules(folder: string): Promise<Rules[]> {
  if (await gitDir(folder)) return [];
  // The folders between the repository's top and `folder`, top first.
  const between: string[] = [];
  for (let dir = folder; dirname(dir) !== dir; ) {
    dir = dirname(dir);
    const git = await gitDir(dir);
    if (git) {
      const rules = await repositoryRules(dir, git);
      for (const d of between) rules.push(...(await rulesOf(join(d, '.gitignore'), d)));
      return rules;
    }
    between.unshift(dir);
  }
  return [];
}

/**
 * Whether git ignores `full` under these rules (lowest precedence first): the deepest file with a verdict on it
 * decides, so a deeper `!pattern` brings back what a shallower file ignores.
 */
function isIgnored(rules: readonly Rules[], full: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { base, ig } = rules[i]!;
    const rel = relative(base, full).split(sep).join('/');
    if (rel === '') continue;
    const verdict = ig.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

/**
 * The files of a folder, recursively, as `git ls-files --others --exclude-standard` sees them: .gitignore at every
 * level, and, when the folder is inside a repository, that repository's .git/info/exclude and the .gitignore files
 * of the folders above it up to the repository's top. A repository met inside the folder has its own rules.
 * Finding more than `maxFiles` files stops the walk with an InputLimitError; an aborted `signal` stops it too.
 */
export async function listFolder(
  root: string,
  options: { maxFiles?: number; signal?: AbortSignal | undefined } = {},
): Promise<string[]> {
  const { maxFiles = Infinity, signal } = options;
  const files: string[] = [];
  const walk = async (dir: string, rules: Rules[]): Promise<void> => {
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch {
      return;
    }
    const git = entries.includes('.git') ? await gitDir(dir) : undefined;
    const here = git ? await repositoryRules(dir, git) : [...rules, ...(await rulesOf(join(dir, '.gitignore'), dir))];
    for (const name of entries) {
      signal?.throwIfAborted();
      if (name === '.git') continue;
      const full = join(dir, name);
      // Symbolic links are not followed into folders (no loops); a link to a file is read.
      const info = await lstat(full).catch(() => undefined);
      if (!info) continue;
      const isDir = info.isDirectory();
      if (isIgnored(here, full, isDir)) continue;
      if (isDir) await walk(full, here);
      else if (info.isFile() || (info.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile())) {
        files.push(full);
        if (files.length > maxFiles) throw tooManyFiles(root, maxFiles);
      }
    }
  };
  await walk(root, await inheritedRules(resolve(root)));
  return files;
}

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A size such as 5242880, 512k, 20M or 1G, in bytes; undefined when it is not one. */
export function parseSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b')[0]!.toLowerCase();
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(m[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

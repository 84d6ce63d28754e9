// The model store (src/core/models/store.ts) on Node's file system and global fetch.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  downloadModelTo,
  listRepoFiles as listRepoFilesWith,
  modelPath,
  type DownloadOptions,
  type FileStore,
  type ModelSpec,
  type RepoFile,
} from '../core/models/store';
import { findModelFile } from './llmlingua2/folder';

export const nodeFileStore: FileStore = {
  join: (...parts) => path.join(...parts),
  dirname: (p) => path.dirname(p),
  fileSize: async (p) => {
    try {
      const st = await fs.stat(p);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  },
  mkdirp: async (dir) => {
    await fs.mkdir(dir, { recursive: true });
  },
  open: async (p, append) => {
    const handle = await fs.open(p, append ? 'a' : 'w');
    return {
      write: async (chunk) => {
        await handle.write(chunk);
      },
      close: () => handle.close(),
    };
  },
  rename: (from, to) => fs.rename(from, to),
  remove: (p) => fs.rm(p, { recursive: true, force: true }),
  removeIfEmpty: (dir) => fs.rmdir(dir).catch(() => undefined),
  sha256: sha256File,
  replaceDir: async (from, to) => {
    // Renames are atomic on one file system: the old folder steps aside, the new one takes its name.
    await fs.mkdir(path.dirname(to), { recursive: true });
    const old = to + '.old-' + process.pid;
    let hadOld = false;
    try {
      await fs.rename(to, old);
      hadOld = true;
    } catch {
      // nothing to replace
    }
    await fs.rename(from, to);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  },
  isInside,
};

/** Whether `p` lies strictly inside `dir`, both resolved (".." and absolute paths climb out). */
export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(p));
  return rel !== '' && !path.isAbsolute(rel) && rel.split(path.sep)[0] !== '..';
}

/** Where a downloaded model lives in the store. */
export function modelDir(storageDir: string, repo: string, revision = 'main'): string {
  return path.join(storageDir, ...modelPath(repo, revision));
}

/** The core's downloadModelTo on this file system, with global fetch unless options.fetch is given. */
export function downloadModel(spec: ModelSpec, options: DownloadOptions): Promise<string> {
  return downloadModelTo(nodeFileStore, options.fetch ?? fetch, spec, options);
}

/** The repo's files through the Hub API (see the core's listRepoFiles), with global fetch unless given one. */
export function listRepoFiles(
  repo: string,
  options: Omit<Parameters<typeof listRepoFilesWith>[1], 'fetch'> & Partial<Pick<DownloadOptions, 'fetch'>> = {},
): Promise<RepoFile[]> {
  return listRepoFilesWith(repo, { ...options, fetch: options.fetch ?? fetch });
}

/** Checks that a folder holds a usable model (an ONNX file and tokenizer.json); returns the ONNX path. */
export async function validateModelFolder(dir: string): Promise<{ dir: string; model: string; tokenizer: string }> {
  const tokenizer = path.join(dir, 'tokenizer.json');
  if ((await nodeFileStore.fileSize(tokenizer)) === undefined) throw new Error(`${dir} has no tokenizer.json`);
  return { dir, model: await findModelFile(dir), tokenizer };
}

export async function sha256File(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  return h.digest('hex');
}

// Model store: a model is a folder with an ONNX file and tokenizer files. It comes from a local folder, or from a
// Hugging Face repo (or a mirror) downloaded on explicit request: byte progress, HTTP Range resume, SHA-256
// verification, and an atomic move into the store so a half-downloaded model is never used.
// Node-only (node:fs, node:crypto); no vscode import.

import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_BASE_URL = 'https://huggingface.co';

export interface ModelFileSpec {
  /** Path inside the repo, e.g. "onnx/model_quantized.onnx". */
  path: string;
  /** Lower-case hex SHA-256, when known: a mismatch rejects the file. */
  sha256?: string;
  /** Size in bytes, when known: a shorter file is reported as truncated. */
  size?: number;
}

export interface ModelSpec {
  /** Hugging Face repo id, e.g. "microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank". */
  repo: string;
  /** Branch, tag or commit (default "main"). */
  revision?: string;
  files: ModelFileSpec[];
}

export interface DownloadProgress {
  file: string;
  fileReceived: number;
  fileTotal: number | undefined;
  received: number;
  /** Sum of known sizes; undefined until every file's size is known. */
  total: number | undefined;
}

export interface DownloadOptions {
  /** Root folder of the store (the extension's global storage). */
  storageDir: string;
  /** Mirror base URL (default https://huggingface.co); files are at {base}/{repo}/resolve/{revision}/{file}. */
  baseUrl?: string;
  headers?: Record<string, string>;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Attempts per file after an interrupted transfer; each resumes with a Range request (default 3). */
  retries?: number;
  fetch?: typeof fetch;
}

export class ModelDownloadError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'http' | 'truncated' | 'corrupt' | 'network' | 'aborted',
    readonly url?: string,
  ) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

export function fileUrl(baseUrl: string, repo: string, revision: string, file: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const repoPath = repo.split('/').map(encodeURIComponent).join('/');
  const filePath = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${repoPath}/resolve/${encodeURIComponent(revision)}/${filePath}`;
}

/** Where a downloaded model lives in the store. */
export function modelDir(storageDir: string, repo: string, revision = 'main'): string {
  return path.join(storageDir, 'models', safeName(repo), safeName(revision));
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '--');
}

/** Checks that a folder holds a usable model (an ONNX file and tokenizer.json); returns the ONNX path. */
export async function validateModelFolder(dir: string): Promise<{ dir: string; model: string; tokenizer: string }> {
  const tokenizer = path.join(dir, 'tokenizer.json');
  if (!(await isFile(tokenizer))) throw new Error(`${dir} has no tokenizer.json`);
  for (const name of ['model.onnx', 'onnx/model.onnx', 'model_quantized.onnx', 'onnx/model_quantized.onnx']) {
    const p = path.join(dir, name);
    if (await isFile(p)) return { dir, model: p, tokenizer };
  }
  throw new Error(`${dir} has no ONNX model (model.onnx or onnx/model.onnx)`);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function sha256File(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Downloads every file of `spec` into the store and returns the model folder. Files already complete in the store
 * are not fetched again; interrupted files resume where they stopped.
 */
export async function downloadModel(spec: ModelSpec, options: DownloadOptions): Promise<string> {
  const revision = spec.revision ?? 'main';
  const finalDir = modelDir(options.storageDir, spec.repo, revision);
  if (await isComplete(finalDir, spec)) return finalDir;
  const staging = path.join(options.storageDir, 'models', '.partial', safeName(spec.repo), safeName(revision));
  await fs.mkdir(staging, { recursive: true });
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  const doFetch = options.fetch ?? fetch;

  const sizes = new Map<string, number | undefined>(spec.files.map((f) => [f.path, f.size]));
  const received = new Map<string, number>();
  const report = (file: string) => {
    if (!options.onProgress) return;
    const all = [...sizes.values()];
    options.onProgress({
      file,
      fileReceived: received.get(file) ?? 0,
      fileTotal: sizes.get(file),
      received: [...received.values()].reduce((a, b) => a + b, 0),
      total: all.every((s) => s !== undefined) ? all.reduce((a, b) => a! + b!, 0) : undefined,
    });
  };

  for (const f of spec.files) {
    const done = path.join(staging, f.path);
    const part = done + '.part';
    await fs.mkdir(path.dirname(done), { recursive: true });
    if (await isFile(done)) {
      const st = await fs.stat(done);
      received.set(f.path, st.size);
      sizes.set(f.path, sizes.get(f.path) ?? st.size);
      continue;
    }
    const url = fileUrl(baseUrl, spec.repo, revision, f.path);
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await fetchToPart(doFetch, url, part, f, options, sizes, received, () => report(f.path));
        break;
      } catch (e) {
        const retryable = e instanceof ModelDownloadError ? e.kind === 'network' || e.kind === 'truncated' : false;
        if (!retryable || attempt >= retries) throw e;
      }
    }
    const size = (await fs.stat(part)).size;
    if (f.size !== undefined && size !== f.size) {
      await fs.rm(part, { force: true });
      throw new ModelDownloadError(
        `${f.path}: expected ${f.size} bytes, got ${size} (truncated or wrong file)`,
        'truncated',
        url,
      );
    }
    if (f.sha256) {
      const actual = await sha256File(part);
      if (actual !== f.sha256.toLowerCase()) {
        // A corrupt file is never resumed from: delete it so the next attempt starts clean.
        await fs.rm(part, { force: true });
        throw new ModelDownloadError(
          `${f.path}: SHA-256 mismatch (expected ${f.sha256}, got ${actual})`,
          'corrupt',
          url,
        );
      }
    }
    await fs.rename(part, done);
  }
  // Atomic publish: the model folder appears complete or not at all.
  await fs.mkdir(path.dirname(finalDir), { recursive: true });
  const old = finalDir + '.old-' + process.pid;
  let hadOld = false;
  try {
    await fs.rename(finalDir, old);
    hadOld = true;
  } catch {
    // nothing to replace
  }
  await fs.rename(staging, finalDir);
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
  await fs.rmdir(path.dirname(staging)).catch(() => undefined); // only when empty
  return finalDir;
}

async function isComplete(dir: string, spec: ModelSpec): Promise<boolean> {
  for (const f of spec.files) {
    const p = path.join(dir, f.path);
    if (!(await isFile(p))) return false;
    if (f.size !== undefined && (await fs.stat(p)).size !== f.size) return false;
  }
  return true;
}

async function fetchToPart(
  doFetch: typeof fetch,
  url: string,
  part: string,
  f: ModelFileSpec,
  options: DownloadOptions,
  sizes: Map<string, number | undefined>,
  received: Map<string, number>,
  report: () => void,
): Promise<void> {
  let have = 0;
  try {
    have = (await fs.stat(part)).size;
  } catch {
    have = 0;
  }
  if (f.size !== undefined && have === f.size) {
    received.set(f.path, have);
    return;
  }
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (have > 0) headers.Range = `bytes=${have}-`;
  let res: Response;
  try {
    res = await doFetch(url, { headers, signal: options.signal, redirect: 'follow' });
  } catch (e) {
    if (options.signal?.aborted) throw new ModelDownloadError('download cancelled', 'aborted', url);
    throw new ModelDownloadError(`${url}: ${(e as Error).message}`, 'network', url);
  }
  if (res.status === 404) {
    throw new ModelDownloadError(
      `${f.path} not found at ${url} (HTTP 404): check the repo id, revision and base URL`,
      'not-found',
      url,
    );
  }
  if (res.status === 416 && have > 0) {
    // Range beyond the end: the part is already complete (size/hash checks follow).
    received.set(f.path, have);
    return;
  }
  if (res.status !== 200 && res.status !== 206) {
    throw new ModelDownloadError(`${url}: HTTP ${res.status} ${res.statusText}`, 'http', url);
  }
  let append = res.status === 206 && have > 0;
  if (!append) have = 0; // server ignored the Range: start over
  const len = Number(res.headers.get('content-length') ?? NaN);
  const range = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
  const total = range ? Number(range[1]) : Number.isFinite(len) ? have + len : f.size;
  if (total !== undefined) sizes.set(f.path, total);
  received.set(f.path, have);
  report();
  const handle = await fs.open(part, append ? 'a' : 'w');
  append = true;
  let got = 0;
  try {
    if (!res.body) throw new ModelDownloadError(`${url}: empty response body`, 'network', url);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await handle.write(chunk);
      got += chunk.byteLength;
      received.set(f.path, have + got);
      report();
    }
  } catch (e) {
    if (e instanceof ModelDownloadError) throw e;
    if (options.signal?.aborted) throw new ModelDownloadError('download cancelled', 'aborted', url);
    throw new ModelDownloadError(
      `${url}: transfer interrupted after ${have + got} bytes (${(e as Error).message})`,
      'network',
      url,
    );
  } finally {
    await handle.close();
  }
  if (Number.isFinite(len) && got < len) {
    throw new ModelDownloadError(`${url}: transfer ended after ${have + got} of ${have + len} bytes`, 'truncated', url);
  }
}

export interface RepoFile {
  path: string;
  size?: number;
  /** SHA-256 of LFS files (the Hub lists it as lfs.oid). */
  sha256?: string;
}

/**
 * Lists a repo's files through the Hub API ({base}/api/models/{repo}/tree/{revision}?recursive=true), which mirrors
 * serve too. LFS entries carry their SHA-256 and size, so the download can verify them.
 */
export async function listRepoFiles(
  repo: string,
  options: {
    revision?: string;
    baseUrl?: string;
    headers?: Record<string, string>;
    fetch?: typeof fetch;
    signal?: AbortSignal;
  } = {},
): Promise<RepoFile[]> {
  const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const repoPath = repo.split('/').map(encodeURIComponent).join('/');
  const url = `${base}/api/models/${repoPath}/tree/${encodeURIComponent(options.revision ?? 'main')}?recursive=true`;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { headers: options.headers, signal: options.signal });
  } catch (e) {
    throw new ModelDownloadError(`${url}: ${(e as Error).message}`, 'network', url);
  }
  if (res.status === 404) {
    throw new ModelDownloadError(`model repo ${repo} not found at ${url} (HTTP 404)`, 'not-found', url);
  }
  if (!res.ok) throw new ModelDownloadError(`${url}: HTTP ${res.status} ${res.statusText}`, 'http', url);
  const entries = (await res.json()) as {
    type: string;
    path: string;
    size?: number;
    lfs?: { oid?: string; size?: number };
  }[];
  return entries
    .filter((e) => e.type === 'file')
    .map((e) => ({ path: e.path, size: e.lfs?.size ?? e.size, sha256: e.lfs?.oid }));
}

/**
 * Chooses what to download for an LLMLingua-2 ONNX repo: tokenizer and config files plus one ONNX file, the
 * quantized one for `int8` (the practical choice in WASM) or the full-precision one for `fp32`.
 */
export function planModelFiles(files: RepoFile[], variant: 'int8' | 'fp32' = 'int8'): ModelFileSpec[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const onnx = files.filter((f) => f.path.endsWith('.onnx'));
  const quantized = (p: string) => /quant|int8|q8/i.test(path.posix.basename(p));
  const preferred =
    variant === 'int8'
      ? [
          'onnx/model_quantized.onnx',
          'model_quantized.onnx',
          'onnx/model_int8.onnx',
          ...onnx.filter((f) => quantized(f.path)).map((f) => f.path),
        ]
      : ['onnx/model.onnx', 'model.onnx', ...onnx.filter((f) => !quantized(f.path)).map((f) => f.path)];
  const model = preferred.find((p) => byPath.has(p));
  if (!model) {
    throw new Error(`no ${variant} ONNX model in the repo (files: ${onnx.map((f) => f.path).join(', ') || 'none'})`);
  }
  if (!byPath.has('tokenizer.json')) throw new Error('the repo has no tokenizer.json');
  const wanted = ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'special_tokens_map.json', model];
  return wanted.filter((p) => byPath.has(p)).map((p) => ({ ...byPath.get(p)! }));
}

// Model store: a model is a folder with an ONNX file and tokenizer files. It comes from a local folder, or from a
// Hugging Face repo (or a mirror) downloaded on explicit request: byte progress, HTTP Range resume, SHA-256
// verification, and an atomic move into the store so a half-downloaded model is never used.
// The decisions live here (what to fetch, when a file is complete, resumed, corrupt, published); the files and the
// network come in through FileStore and Fetcher (Node's: src/node/modelStore.ts).
// Nothing from outside is trusted: the repo id, revision and every file path (from a command argument, a repo
// listing or a setting, which an opened folder can set) are checked before anything is joined to the store, each
// target is checked to stay inside it, and only https: URLs are fetched (http: to this machine's loopback only), each
// redirect hop included.
import {
  MODEL_FILES,
  MODEL_MANIFEST,
  unsafePathReason,
  variantOf,
  type ModelManifest,
  type ModelVariant,
} from './files';

export { variantOf, type ModelVariant };

export const DEFAULT_BASE_URL = 'https://huggingface.co';

export interface ModelFileSpec {
  /** Path inside the repo, e.g. "onnx/model_quantized.onnx". */
  path: string;
  /** Lower-case hex SHA-256, when known: a mismatch rejects the file. */
  sha256?: string;
  /** Size in bytes, when known: a shorter file is reported as truncated. */
  size?: number;
  /** Where to fetch it, when not from the repo (e.g. WEBGPU_WASM from the npm CDN); https only, like the base URL. */
  url?: string;
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
  /** Used instead of the host's fetch (by the host's wrapper, e.g. src/node/modelStore.ts). */
  fetch?: Fetcher;
}

/** The part of `fetch` the store uses. */
export type Fetcher = (
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal; redirect?: 'manual' },
) => Promise<Response>;

/** Redirects the store follows for one request (the Hub sends one, to its CDN). */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped when a redirect changes origin, as fetch itself does: a Hub token is not the CDN's business. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * Fetches `url`, following redirects here (redirect: 'manual') so that each hop's Location passes unsafeUrlReason
 * before anything is requested from it; redirect: 'follow' would only show where the chain ended, after the fact.
 */
async function fetchChecked(
  doFetch: Fetcher,
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal },
): Promise<Response> {
  let current = url;
  let headers = init.headers;
  for (let hop = 0; ; hop++) {
    const res = await doFetch(current, { ...init, headers, redirect: 'manual' });
    if (res.type === 'opaqueredirect') {
      // A browser's fetch hides the Location of a manual redirect, so it cannot be checked.
      throw new ModelDownloadError(
        `refused to download: ${current} redirects, and this host hides where to`,
        'unsafe',
        url,
      );
    }
    if (!REDIRECT_STATUSES.has(res.status)) {
      // A Fetcher that follows redirects anyway still may not end off https (or off this machine).
      const ended = res.url ? unsafeUrlReason(res.url) : undefined;
      if (ended) throw new ModelDownloadError(`refused to download: redirected to ${ended}`, 'unsafe', url);
      return res;
    }
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (!location) {
      throw new ModelDownloadError(`${current}: HTTP ${res.status} redirect without a Location`, 'http', url);
    }
    if (hop >= MAX_REDIRECTS) {
      throw new ModelDownloadError(
        `refused to download: ${url} redirects more than ${MAX_REDIRECTS} times`,
        'unsafe',
        url,
      );
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new ModelDownloadError(`${current}: redirect to a bad Location ${JSON.stringify(location)}`, 'http', url);
    }
    const reason = unsafeUrlReason(next.href);
    if (reason) throw new ModelDownloadError(`refused to download: ${current} redirected to ${reason}`, 'unsafe', url);
    if (headers && next.origin !== new URL(current).origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase())));
    }
    current = next.href;
  }
}

/** The file system under the store, paths in its own syntax. */
export interface FileStore {
  join(...parts: string[]): string;
  dirname(p: string): string;
  /** Size of the file at `p`; undefined when there is no file there. */
  fileSize(p: string): Promise<number | undefined>;
  mkdirp(dir: string): Promise<void>;
  /** Opens `p` for writing, from its start or after what it holds. */
  open(p: string, append: boolean): Promise<{ write(chunk: Uint8Array): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder; nothing there is not an error. */
  remove(p: string): Promise<void>;
  /** Removes a folder when it is empty; never fails. */
  removeIfEmpty(dir: string): Promise<void>;
  /** Lower-case hex SHA-256 of a file's bytes. */
  sha256(p: string): Promise<string>;
  /** Moves folder `from` to `to`, replacing what is there, so that `to` is never seen half-written. */
  replaceDir(from: string, to: string): Promise<void>;
  /** Whether `p`, resolved, lies strictly inside folder `dir`, resolved. */
  isInside(dir: string, p: string): boolean;
}

export class ModelDownloadError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'http' | 'truncated' | 'corrupt' | 'network' | 'aborted' | 'unsafe',
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

/** Where a downloaded model lives in the store, as path segments below the store's root. */
export function modelPath(repo: string, revision = 'main'): string[] {
  return ['models', safeName(repo), safeName(revision)];
}

function safeName(s: string): string {
  // Validated before (checkSpec), and still never "." or ".." or hidden, whatever it is handed.
  return s.replace(/[^A-Za-z0-9._-]+/g, '--').replace(/^\.+/, (dots) => '_'.repeat(dots.length)) || '_';
}

/** A Hub repo id: "name" or "owner/name", each of letters, digits, ".", "_", "-", not starting with a dot. */
const REPO_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)?$/;

/** Loopback hosts, the only ones plain http: may reach (a local mirror, the tests' server). */
function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** Why a URL may not be fetched, or undefined when it may: https:, or http: to a loopback host. */
export function unsafeUrlReason(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return undefined;
  return u.protocol === 'http:'
    ? `${url}: plain http is only allowed to this machine (localhost, 127.0.0.1, [::1]); use https`
    : `${url}: only https URLs are fetched`;
}

/** Throws a ModelDownloadError of kind 'unsafe' for a repo id, revision, file path or base URL that is refused. */
export function checkSpec(spec: ModelSpec, baseUrl = DEFAULT_BASE_URL): void {
  const refuse = (what: string) => {
    throw new ModelDownloadError(`refused to download: ${what}`, 'unsafe');
  };
  if (!REPO_ID.test(spec.repo) || spec.repo.split('/').some((s) => s.includes('..'))) {
    refuse(`"${spec.repo}" is not a repo id (owner/name)`);
  }
  const revision = spec.revision ?? 'main';
  const revisionProblem = /^[A-Za-z0-9._/-]+$/.test(revision) ? unsafePathReason(revision) : 'unexpected character';
  if (revisionProblem) refuse(`revision "${revision}": ${revisionProblem}`);
  if (spec.files.length === 0) refuse('no files named');
  for (const f of spec.files) {
    const problem = unsafePathReason(f.path);
    if (problem) refuse(`file "${f.path}": ${problem}`);
    if (f.path === MODEL_MANIFEST) refuse(`file "${f.path}": the store's own manifest`);
    if (f.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(f.sha256)) refuse(`file "${f.path}": bad SHA-256`);
    const fromUrl = f.url === undefined ? undefined : unsafeUrlReason(f.url);
    if (fromUrl) refuse(`file "${f.path}": ${fromUrl}`);
  }
  const urlProblem = unsafeUrlReason(baseUrl);
  if (urlProblem) refuse(urlProblem);
}

/**
 * Downloads every file of `spec` into the store and returns the model folder. Files already complete in the store
 * are not fetched again; interrupted files resume where they stopped.
 */
export async function downloadModelTo(
  fs: FileStore,
  doFetch: Fetcher,
  spec: ModelSpec,
  options: DownloadOptions,
): Promise<string> {
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  checkSpec(spec, baseUrl);
  const revision = spec.revision ?? 'main';
  const model = spec.files.find((f) => f.path.toLowerCase().endsWith('.onnx') && f.url === undefined);
  if (!model) {
    throw new ModelDownloadError(
      `refused to download: no ONNX file among ${spec.files.map((f) => f.path).join(', ')}`,
      'unsafe',
    );
  }
  const inside = (dir: string, p: string): string => {
    if (!fs.isInside(dir, p)) {
      throw new ModelDownloadError(`refused to download: ${p} would lie outside ${dir}`, 'unsafe');
    }
    return p;
  };
  const finalDir = inside(options.storageDir, fs.join(options.storageDir, ...modelPath(spec.repo, revision)));
  if (await isComplete(fs, finalDir, spec)) return finalDir;
  const staging = inside(
    options.storageDir,
    fs.join(options.storageDir, 'models', '.partial', safeName(spec.repo), safeName(revision)),
  );
  for (const f of spec.files) inside(staging, fs.join(staging, f.path));
  await fs.mkdirp(staging);

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
    const done = fs.join(staging, f.path);
    const part = done + '.part';
    await fs.mkdirp(fs.dirname(done));
    const doneSize = await fs.fileSize(done);
    if (doneSize !== undefined) {
      received.set(f.path, doneSize);
      sizes.set(f.path, sizes.get(f.path) ?? doneSize);
      continue;
    }
    const url = f.url ?? fileUrl(baseUrl, spec.repo, revision, f.path);
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await fetchToPart(fs, doFetch, url, part, f, options, sizes, received, () => report(f.path));
        break;
      } catch (e) {
        const retryable = e instanceof ModelDownloadError ? e.kind === 'network' || e.kind === 'truncated' : false;
        if (!retryable || attempt >= retries) throw e;
      }
    }
    const size = (await fs.fileSize(part)) ?? 0;
    if (f.size !== undefined && size !== f.size) {
      await fs.remove(part);
      throw new ModelDownloadError(
        `${f.path}: expected ${f.size} bytes, got ${size} (truncated or wrong file)`,
        'truncated',
        url,
      );
    }
    if (f.sha256) {
      const actual = await fs.sha256(part);
      if (actual !== f.sha256.toLowerCase()) {
        // A corrupt file is never resumed from: delete it so the next attempt starts clean.
        await fs.remove(part);
        throw new ModelDownloadError(
          `${f.path}: SHA-256 mismatch (expected ${f.sha256}, got ${actual})`,
          'corrupt',
          url,
        );
      }
    }
    await fs.rename(part, done);
  }
  // Which ONNX file is the model, so a loader finds it whatever its name.
  const manifest: ModelManifest = {
    repo: spec.repo,
    revision,
    model: model.path,
    files: spec.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size ?? sizes.get(f.path) })),
  };
  const handle = await fs.open(fs.join(staging, MODEL_MANIFEST), false);
  try {
    await handle.write(new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n'));
  } finally {
    await handle.close();
  }
  // Atomic publish: the model folder appears complete or not at all.
  await fs.replaceDir(staging, finalDir);
  await fs.removeIfEmpty(fs.dirname(staging));
  return finalDir;
}

async function isComplete(fs: FileStore, dir: string, spec: ModelSpec): Promise<boolean> {
  for (const f of spec.files) {
    const size = await fs.fileSize(fs.join(dir, f.path));
    if (size === undefined) return false;
    if (f.size !== undefined && size !== f.size) return false;
  }
  return true;
}

async function fetchToPart(
  fs: FileStore,
  doFetch: Fetcher,
  url: string,
  part: string,
  f: ModelFileSpec,
  options: DownloadOptions,
  sizes: Map<string, number | undefined>,
  received: Map<string, number>,
  report: () => void,
): Promise<void> {
  let have = (await fs.fileSize(part)) ?? 0;
  if (f.size !== undefined && have === f.size) {
    received.set(f.path, have);
    return;
  }
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (have > 0) headers.Range = `bytes=${have}-`;
  let res: Response;
  try {
    res = await fetchChecked(doFetch, url, { headers, signal: options.signal });
  } catch (e) {
    if (e instanceof ModelDownloadError) throw e;
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
  const handle = await fs.open(part, append);
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
    fetch: Fetcher;
    signal?: AbortSignal;
  },
): Promise<RepoFile[]> {
  const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  checkSpec({ repo, revision: options.revision, files: [{ path: 'tokenizer.json' }] }, base);
  const repoPath = repo.split('/').map(encodeURIComponent).join('/');
  const url = `${base}/api/models/${repoPath}/tree/${encodeURIComponent(options.revision ?? 'main')}?recursive=true`;
  let res: Response;
  try {
    res = await fetchChecked(options.fetch, url, { headers: options.headers, signal: options.signal });
  } catch (e) {
    if (e instanceof ModelDownloadError) throw e;
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
 * Variants in the order that suits a device: int8 on the CPU (its MatMulInteger has no WebGPU kernels); on a GPU
 * full precision first (fp16 where the adapter has shader-f16), then 4-bit MatMulNBits, whose effect on p(keep) has
 * not been measured, then int8 as the last resort (it still runs, partly on the CPU).
 */
export function variantsFor(device: { gpu: boolean; f16?: boolean }): ModelVariant[] {
  if (!device.gpu) return ['int8', 'fp32'];
  return device.f16 ? ['fp16', 'fp32', 'q4f16', 'q4', 'int8'] : ['fp32', 'q4', 'int8'];
}

/**
 * Chooses what to download for an LLMLingua-2 ONNX repo: tokenizer and config files plus one ONNX file of the
 * variant asked for, or of the first of several the repo has (e.g. variantsFor a device).
 */
export function planModelFiles(files: RepoFile[], variant: ModelVariant | ModelVariant[] = 'int8'): ModelFileSpec[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const onnx = files.filter((f) => f.path.endsWith('.onnx'));
  const variants = Array.isArray(variant) ? variant : [variant];
  // Only the names a loader looks for (MODEL_FILES), so what is downloaded is what loads; the onnx/ folder of
  // exports first (it holds model.onnx beside the others).
  const named = (v: ModelVariant) =>
    MODEL_FILES.filter((f) => f.variant === v)
      .map((f) => f.path)
      .sort((a, b) => Number(b.startsWith('onnx/')) - Number(a.startsWith('onnx/')));
  const model = variants.flatMap(named).find((p) => byPath.has(p));
  if (!model) {
    throw new Error(
      `no ${variants.join(' or ')} ONNX model in the repo (files: ${onnx.map((f) => f.path).join(', ') || 'none'})`,
    );
  }
  if (!byPath.has('tokenizer.json')) throw new Error('the repo has no tokenizer.json');
  const wanted = ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'special_tokens_map.json', model];
  return wanted.filter((p) => byPath.has(p)).map((p) => ({ ...byPath.get(p)! }));
}

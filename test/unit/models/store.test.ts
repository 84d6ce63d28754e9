// The real download code against an HTTP server on 127.0.0.1 serving the fixture model files.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MODEL_FILES, MODEL_MANIFEST } from '../../../src/core/models/files';
import {
  fileUrl,
  MAX_REDIRECTS,
  ModelDownloadError,
  unsafeUrlReason,
  planModelFiles,
  variantOf,
  variantsFor,
  type DownloadProgress,
  type ModelSpec,
} from '../../../src/core/models/store';
import { findModelFile, loadEngineFromFolder, readModelFolder } from '../../../src/node/llmlingua2/folder';
import { downloadModel, isInside, listRepoFiles, modelDir, validateModelFolder } from '../../../src/node/modelStore';

const SRC = path.resolve(__dirname, '../../fixtures/llmlingua2/tiny-bert-base-multilingual-cased-ref');
const REPO = 'acme/tiny-bert';
const FILES = ['model.onnx', 'tokenizer.json', 'config.json'];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Served {
  url: string;
  requests: { path: string; range?: string; authorization?: string }[];
  /** Per file: cut the connection after this many bytes, once. */
  cutOnce: Map<string, number>;
  corrupt: Set<string>;
  ignoreRange: boolean;
  /** Extra served paths, each with the fixture file it serves; listed by the Hub API in place of FILES when set. */
  aliases: Map<string, string>;
  /** Paths answered with a 302 to the given Location. */
  redirects: Map<string, string>;
  close(): Promise<void>;
}

async function serve(): Promise<Served> {
  const state: Omit<Served, 'url' | 'close'> = {
    requests: [],
    cutOnce: new Map(),
    corrupt: new Set(),
    ignoreRange: false,
    aliases: new Map(),
    redirects: new Map(),
  };
  const source = (f: string) => path.join(SRC, state.aliases.get(f) ?? f);
  const server = http.createServer((req, res) => {
    state.requests.push({ path: req.url!, range: req.headers.range, authorization: req.headers.authorization });
    const location = state.redirects.get(req.url!);
    if (location !== undefined) {
      res.writeHead(302, { Location: location }).end();
      return;
    }
    if (/^(?:\/cdn)?\/api\/models\/acme\/tiny-bert\/tree\/main\?recursive=true$/.test(req.url!)) {
      // Hub API shape: LFS files carry their SHA-256 as lfs.oid.
      const list = (state.aliases.size ? ['tokenizer.json', 'config.json', ...state.aliases.keys()] : FILES).map(
        (f) => {
          const b = fs.readFileSync(source(f));
          return f.endsWith('.onnx')
            ? { type: 'file', path: f, size: b.length, lfs: { oid: sha(b), size: b.length } }
            : { type: 'file', path: f, size: b.length };
        },
      );
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify([{ type: 'directory', path: 'onnx' }, ...list]));
      return;
    }
    // /cdn/ serves the same files, as the Hub's CDN does behind its redirect.
    const m = /^\/(?:acme\/tiny-bert\/resolve\/main|cdn)\/(.+)$/.exec(req.url!);
    const file = m ? decodeURIComponent(m[1]!) : '';
    if (!m || !(FILES.includes(file) || state.aliases.has(file))) {
      res.writeHead(404).end('Entry not found');
      return;
    }
    let body = fs.readFileSync(source(file));
    if (state.corrupt.has(file)) {
      body = Buffer.from(body);
      body[100] ^= 0xff;
    }
    let start = 0;
    const r = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (r && !state.ignoreRange) start = Number(r[1]);
    if (start >= body.length && start > 0) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const slice = body.subarray(start);
    const headers: Record<string, string | number> = { 'Content-Length': slice.length, 'Accept-Ranges': 'bytes' };
    if (start > 0) headers['Content-Range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    const cut = state.cutOnce.get(file);
    if (cut !== undefined && cut > start) {
      state.cutOnce.delete(file);
      res.write(slice.subarray(0, cut - start), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as Served;
}

function spec(withHashes = true): ModelSpec {
  return {
    repo: REPO,
    files: FILES.map((f) => {
      const b = fs.readFileSync(path.join(SRC, f));
      return withHashes ? { path: f, sha256: sha(b), size: b.length } : { path: f };
    }),
  };
}

describe('model store downloads (HTTP on 127.0.0.1)', () => {
  let server: Served;
  let storage: string;
  beforeEach(async () => {
    server = await serve();
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-store-'));
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(storage, { recursive: true, force: true });
  });

  it('builds Hugging Face style URLs on a configurable base', () => {
    assert.equal(
      fileUrl('https://huggingface.co', 'microsoft/x', 'main', 'onnx/model.onnx'),
      'https://huggingface.co/microsoft/x/resolve/main/onnx/model.onnx',
    );
    assert.equal(
      fileUrl('https://mirror.example/hf/', 'a/b', 'v1.0', 'f.json'),
      'https://mirror.example/hf/a/b/resolve/v1.0/f.json',
    );
  });

  it('downloads with byte progress, verifies SHA-256 and publishes the folder atomically', async () => {
    const events: DownloadProgress[] = [];
    const dir = await downloadModel(spec(), {
      storageDir: storage,
      baseUrl: server.url,
      onProgress: (p) => events.push({ ...p }),
    });
    assert.equal(dir, modelDir(storage, REPO));
    for (const f of FILES) assert.deepEqual(fs.readFileSync(path.join(dir, f)), fs.readFileSync(path.join(SRC, f)));
    await validateModelFolder(dir);
    const total = FILES.reduce((n, f) => n + fs.statSync(path.join(SRC, f)).size, 0);
    const last = events[events.length - 1]!;
    assert.equal(last.received, total);
    assert.equal(last.total, total);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.received >= events[i - 1]!.received, 'monotone');
    assert.ok(!fs.existsSync(path.join(storage, 'models', '.partial', 'acme--tiny-bert')), 'staging moved away');
    // A second call finds the complete model and fetches nothing.
    const before = server.requests.length;
    await downloadModel(spec(), { storageDir: storage, baseUrl: server.url });
    assert.equal(server.requests.length, before);
  });

  it('resumes an interrupted transfer with a Range request', async () => {
    server.cutOnce.set('model.onnx', 300_000);
    const dir = await downloadModel(spec(), { storageDir: storage, baseUrl: server.url });
    const modelReqs = server.requests.filter((r) => r.path.endsWith('/model.onnx'));
    assert.equal(modelReqs.length, 2);
    assert.equal(modelReqs[0]!.range, undefined);
    assert.match(modelReqs[1]!.range ?? '', /^bytes=\d+-$/);
    assert.ok(Number(/\d+/.exec(modelReqs[1]!.range!)![0]) >= 300_000 - 65_536, 'resumed near the cut, not from 0');
    assert.deepEqual(fs.readFileSync(path.join(dir, 'model.onnx')), fs.readFileSync(path.join(SRC, 'model.onnx')));
  });

  it('resumes across calls when the first call gave up', async () => {
    server.cutOnce.set('model.onnx', 200_000);
    await assert.rejects(
      downloadModel(spec(), { storageDir: storage, baseUrl: server.url, retries: 0 }),
      (e: ModelDownloadError) => e.kind === 'network' || e.kind === 'truncated',
    );
    assert.ok(!fs.existsSync(modelDir(storage, REPO)), 'nothing published');
    const dir = await downloadModel(spec(), { storageDir: storage, baseUrl: server.url });
    const last = server.requests.filter((r) => r.path.endsWith('/model.onnx')).at(-1)!;
    assert.match(last.range ?? '', /^bytes=\d+-$/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'model.onnx')), fs.readFileSync(path.join(SRC, 'model.onnx')));
  });

  it('rejects a corrupted file by SHA-256 and publishes nothing', async () => {
    server.corrupt.add('tokenizer.json');
    await assert.rejects(
      downloadModel(spec(), { storageDir: storage, baseUrl: server.url }),
      (e: ModelDownloadError) => {
        assert.equal(e.kind, 'corrupt');
        assert.match(e.message, /tokenizer\.json: SHA-256 mismatch/);
        return true;
      },
    );
    assert.ok(!fs.existsSync(modelDir(storage, REPO)));
    // Once the server is fixed, the download completes (the corrupt part was deleted, not resumed).
    server.corrupt.clear();
    const dir = await downloadModel(spec(), { storageDir: storage, baseUrl: server.url });
    assert.deepEqual(
      fs.readFileSync(path.join(dir, 'tokenizer.json')),
      fs.readFileSync(path.join(SRC, 'tokenizer.json')),
    );
  });

  it('gives a clear error for 404', async () => {
    const s: ModelSpec = { repo: REPO, files: [{ path: 'missing.onnx' }] };
    await assert.rejects(downloadModel(s, { storageDir: storage, baseUrl: server.url }), (e: ModelDownloadError) => {
      assert.equal(e.kind, 'not-found');
      assert.match(
        e.message,
        /missing\.onnx not found at http:\/\/127\.0\.0\.1:\d+\/acme\/tiny-bert\/resolve\/main\/missing\.onnx \(HTTP 404\)/,
      );
      return true;
    });
  });

  it('starts over when the server ignores Range, and reports a truncated file of known size', async () => {
    server.cutOnce.set('model.onnx', 100_000);
    server.ignoreRange = true;
    const dir = await downloadModel(spec(false), { storageDir: storage, baseUrl: server.url });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'model.onnx')), fs.readFileSync(path.join(SRC, 'model.onnx')));
    const s = spec();
    s.repo = REPO;
    s.revision = 'main';
    s.files[0]!.size! += 10; // the server's file is shorter than announced
    fs.rmSync(path.join(storage, 'models'), { recursive: true, force: true });
    await assert.rejects(downloadModel(s, { storageDir: storage, baseUrl: server.url }), /expected \d+ bytes, got \d+/);
  });

  it('lists a repo through the Hub API and plans the files to fetch (with LFS hashes)', async () => {
    const files = await listRepoFiles(REPO, { baseUrl: server.url });
    assert.deepEqual(files.map((f) => f.path).sort(), [...FILES].sort());
    const plan = planModelFiles(files, 'fp32');
    assert.deepEqual(
      plan.map((f) => f.path),
      ['tokenizer.json', 'config.json', 'model.onnx'],
    );
    assert.match(plan[2]!.sha256!, /^[0-9a-f]{64}$/);
    assert.throws(() => planModelFiles(files, 'int8'), /no int8 ONNX model/);
    const dir = await downloadModel({ repo: REPO, files: plan }, { storageDir: storage, baseUrl: server.url });
    await validateModelFolder(dir);
    await assert.rejects(listRepoFiles('acme/missing', { baseUrl: server.url }), /not found .*HTTP 404/);
    assert.deepEqual(
      planModelFiles(
        [{ path: 'tokenizer.json' }, { path: 'onnx/model.onnx' }, { path: 'onnx/model_quantized.onnx' }],
        'int8',
      ).map((f) => f.path),
      ['tokenizer.json', 'onnx/model_quantized.onnx'],
    );
  });

  it('plans the weights that suit the device: int8 on the CPU, fp16/fp32 then 4-bit on a GPU', () => {
    const repo = (...onnx: string[]) => ['tokenizer.json', ...onnx].map((path) => ({ path }));
    const model = (files: { path: string }[], device: { gpu: boolean; f16?: boolean }) =>
      planModelFiles(files, variantsFor(device)).at(-1)!.path;
    const all = repo('onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_quantized.onnx', 'onnx/model_q4.onnx');
    assert.equal(model(all, { gpu: false }), 'onnx/model_quantized.onnx');
    assert.equal(model(all, { gpu: true, f16: true }), 'onnx/model_fp16.onnx');
    assert.equal(model(all, { gpu: true, f16: false }), 'onnx/model.onnx');
    // 4-bit (MatMulNBits has WebGPU kernels) before int8 when the repo has no full precision.
    assert.equal(model(repo('onnx/model_q4.onnx', 'onnx/model_quantized.onnx'), { gpu: true }), 'onnx/model_q4.onnx');
    assert.equal(model(repo('onnx/model_quantized.onnx'), { gpu: true }), 'onnx/model_quantized.onnx');
    assert.equal(model(repo('onnx/model.onnx'), { gpu: false }), 'onnx/model.onnx');
    assert.deepEqual(
      [
        'model_q4f16.onnx',
        'model_bnb4.onnx',
        'model_fp16.onnx',
        'model_uint8.onnx',
        'model_quantized.onnx',
        'model.onnx',
      ].map(variantOf),
      ['q4f16', 'q4', 'fp16', 'int8', 'int8', 'fp32'],
    );
  });

  it('cancels through an AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      downloadModel(spec(), { storageDir: storage, baseUrl: server.url, signal: ac.signal }),
      (e: ModelDownloadError) => e.kind === 'aborted',
    );
  });

  describe('refuses what could leave the store', () => {
    /** Downloads with one extra file at `file`; expects a refusal before any request, and nothing written. */
    async function refused(change: Partial<ModelSpec> & { file?: string }, baseUrl = server.url) {
      const s: ModelSpec = { ...spec(false), ...change };
      if (change.file !== undefined) s.files = [...s.files, { path: change.file }];
      await assert.rejects(downloadModel(s, { storageDir: storage, baseUrl }), (e: ModelDownloadError) => {
        assert.equal(e.kind, 'unsafe', e.message);
        assert.match(e.message, /^refused to download: /);
        return true;
      });
      assert.equal(server.requests.length, 0, 'nothing fetched');
      assert.deepEqual(fs.readdirSync(storage), [], 'nothing written in the store');
      if (change.file) {
        // Where the file would have landed had it been joined to the staging folder unchecked.
        const target = path.resolve(storage, 'models', '.partial', 'acme--tiny-bert', 'main', change.file);
        assert.ok(!fs.existsSync(target) || target.startsWith(storage), `nothing at ${target}`);
      }
    }

    const paths: [string, RegExp][] = [
      ['../../../../../escaped.txt', /"\.\." segment/],
      ['onnx/../../escaped.txt', /"\.\." segment/],
      ['..', /"\.\." segment/],
      ['./model.onnx', /"\." segment/],
      ['/etc/escaped.txt', /absolute path/],
      ['C:/escaped.txt', /drive path/],
      ['c:escaped.txt', /drive path/],
      ['..\\..\\escaped.txt', /backslash/],
      ['onnx\\model.onnx', /backslash/],
      ['onnx//model.onnx', /empty path segment/],
      ['onnx/', /empty path segment/],
      ['', /empty path/],
      ['a\u0000b', /control character/],
      [MODEL_MANIFEST, /manifest/],
    ];
    for (const [file, why] of paths) {
      it(`a file path ${JSON.stringify(file)}`, async () => {
        await refused({ file });
        await assert.rejects(
          downloadModel({ ...spec(false), files: [{ path: file }] }, { storageDir: storage, baseUrl: server.url }),
          why,
        );
      });
    }

    for (const repo of ['..', '../..', 'acme/..', '../acme', 'acme/tiny/bert', '/acme', 'acme\\tiny', '.hidden/x']) {
      it(`a repo id ${JSON.stringify(repo)}`, () => refused({ repo }));
    }
    for (const revision of ['..', 'a/../..', '/main', 'main/', 'ma in', 'C:/main']) {
      it(`a revision ${JSON.stringify(revision)}`, () => refused({ revision }));
    }
    it('a bad SHA-256, and a file list without an ONNX file', async () => {
      await refused({ files: [{ path: 'model.onnx', sha256: 'abc' }] });
      await refused({ files: [{ path: 'tokenizer.json' }, { path: 'config.json' }] });
    });

    it('base URLs other than https:, or http: to this machine', async () => {
      for (const url of ['http://example.com', 'http://10.0.0.1:8080/hf', 'file:///tmp', 'ftp://mirror', 'nonsense']) {
        assert.ok(unsafeUrlReason(url), url);
        await refused({}, url);
        await assert.rejects(listRepoFiles(REPO, { baseUrl: url }), /refused to download/);
      }
      for (const url of ['https://huggingface.co', 'http://127.0.0.1:8080', 'http://localhost:1/x', 'http://[::1]:9']) {
        assert.equal(unsafeUrlReason(url), undefined, url);
      }
    });

    it('the resolved target check (behind the path rules)', () => {
      assert.ok(isInside('/s/store', '/s/store/models/a'));
      assert.ok(isInside('/s/store/', '/s/store/x/../y'));
      for (const p of [
        '/s/store',
        '/s/store/..',
        '/s/store/../x',
        '/s/storex/a',
        '/etc/passwd',
        '/s/store/a/../../b',
      ]) {
        assert.ok(!isInside('/s/store', p), p);
      }
    });

    it('a file from its own URL: only https (or loopback http)', async () => {
      await refused({ files: [...spec(false).files, { path: 'extra.wasm', url: 'http://cdn.example.com/x.wasm' }] });
      await refused({ files: [...spec(false).files, { path: 'extra.wasm', url: 'file:///etc/passwd' }] });
    });

    it('a redirect off https', async () => {
      const offHttps: typeof fetch = async (url, init) => {
        const res = await fetch(url, init);
        Object.defineProperty(res, 'url', { value: 'http://cdn.example.com/model.onnx' });
        return res;
      };
      await assert.rejects(
        downloadModel(spec(), { storageDir: storage, baseUrl: server.url, fetch: offHttps }),
        (e: ModelDownloadError) =>
          e.kind === 'unsafe' && /redirected to .*only allowed to this machine/.test(e.message),
      );
      assert.ok(!fs.existsSync(modelDir(storage, REPO)), 'nothing published');
    });
  });

  describe('redirects: each hop checked before it is requested', () => {
    const MODEL = '/acme/tiny-bert/resolve/main/model.onnx';
    const API = '/api/models/acme/tiny-bert/tree/main?recursive=true';
    /** Global fetch, recording every URL asked for. */
    const recording = () => {
      const urls: string[] = [];
      const f: typeof fetch = (url, init) => {
        urls.push(String(url));
        return fetch(url, init);
      };
      return { urls, fetch: f };
    };

    it('refuses a redirect to plain http off this machine without requesting it', async () => {
      server.redirects.set(MODEL, 'http://example.invalid/model.onnx');
      const r = recording();
      await assert.rejects(
        downloadModel(spec(), { storageDir: storage, baseUrl: server.url, fetch: r.fetch }),
        (e: ModelDownloadError) =>
          e.kind === 'unsafe' &&
          /model\.onnx redirected to http:\/\/example\.invalid\/model\.onnx: plain http is only allowed to this machine/.test(
            e.message,
          ),
      );
      assert.ok(r.urls.length > 0);
      assert.deepEqual(
        r.urls.filter((u) => !u.startsWith(server.url)),
        [],
        'nothing asked of example.invalid',
      );
      assert.ok(!fs.existsSync(modelDir(storage, REPO)), 'nothing published');
    });

    it('follows a chain on this machine (relative and absolute Locations); credentials stay on their origin', async () => {
      const other = await serve();
      try {
        server.redirects.set(MODEL, '/hop/1');
        server.redirects.set('/hop/1', `${server.url}/hop/2`);
        server.redirects.set('/hop/2', `${other.url}/cdn/model.onnx`);
        const dir = await downloadModel(spec(), {
          storageDir: storage,
          baseUrl: server.url,
          headers: { Authorization: 'Bearer hub-token' },
        });
        await validateModelFolder(dir);
        const hops = server.requests.filter((q) => q.path === MODEL || q.path.startsWith('/hop/'));
        assert.deepEqual(
          hops.map((q) => [q.path, q.authorization]),
          [
            [MODEL, 'Bearer hub-token'],
            ['/hop/1', 'Bearer hub-token'],
            ['/hop/2', 'Bearer hub-token'],
          ],
        );
        assert.deepEqual(
          other.requests.map((q) => [q.path, q.authorization]),
          [['/cdn/model.onnx', undefined]],
        );
      } finally {
        await other.close();
      }
    });

    it(`refuses more than ${MAX_REDIRECTS} hops`, async () => {
      for (let i = 0; i < MAX_REDIRECTS + 1; i++) server.redirects.set(`/loop/${i}`, `/loop/${i + 1}`);
      server.redirects.set(MODEL, '/loop/0');
      await assert.rejects(
        downloadModel(spec(), { storageDir: storage, baseUrl: server.url }),
        (e: ModelDownloadError) => e.kind === 'unsafe' && /redirects more than 5 times/.test(e.message),
      );
      assert.equal(server.requests.filter((q) => q.path.startsWith('/loop/')).length, MAX_REDIRECTS);
      assert.ok(
        !server.requests.some((q) => q.path === `/loop/${MAX_REDIRECTS}`),
        'the hop past the limit is not asked',
      );
    });

    it('lists a repo through redirects on this machine, and refuses one that leaves it', async () => {
      server.redirects.set(API, '/hop/api');
      server.redirects.set('/hop/api', `/cdn${API}`);
      const files = await listRepoFiles(REPO, { baseUrl: server.url });
      assert.deepEqual(files.map((f) => f.path).sort(), [...FILES].sort());
      assert.ok(server.requests.some((q) => q.path === `/cdn${API}`));
      server.redirects.set('/hop/api', 'http://example.invalid/api');
      const r = recording();
      await assert.rejects(
        listRepoFiles(REPO, { baseUrl: server.url, fetch: r.fetch }),
        (e: ModelDownloadError) =>
          e.kind === 'unsafe' && /hop\/api redirected to http:\/\/example\.invalid\/api: plain http/.test(e.message),
      );
      assert.deepEqual(
        r.urls.filter((u) => !u.startsWith(server.url)),
        [],
      );
    });
  });

  it('fetches a file from its own URL (the WebGPU runtime from the npm CDN) into the model folder, hash-checked', async () => {
    const extra = fs.readFileSync(path.join(SRC, 'config.json'));
    const url = `${server.url}/acme/tiny-bert/resolve/main/config.json`;
    const withExtra = (sha256: string): ModelSpec => ({
      ...spec(),
      files: [...spec().files, { path: 'ort/runtime.wasm', url, sha256, size: extra.length }],
    });
    await assert.rejects(
      downloadModel(withExtra('0'.repeat(64)), { storageDir: storage, baseUrl: server.url }),
      (e: ModelDownloadError) => e.kind === 'corrupt' && /ort\/runtime\.wasm: SHA-256 mismatch/.test(e.message),
    );
    const dir = await downloadModel(withExtra(sha(extra)), { storageDir: storage, baseUrl: server.url });
    assert.deepEqual(fs.readFileSync(path.join(dir, 'ort', 'runtime.wasm')), extra);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, MODEL_MANIFEST), 'utf8')).model, 'model.onnx');
  });

  describe('downloads each weights file a loader then finds (one list of names)', () => {
    for (const { path: name, variant } of MODEL_FILES) {
      it(`${name} (${variant})`, async () => {
        server.aliases.set(name, 'model.onnx');
        const plan = planModelFiles(await listRepoFiles(REPO, { baseUrl: server.url }), variant);
        assert.deepEqual(plan.map((f) => f.path).sort(), ['config.json', name, 'tokenizer.json'].sort());
        const dir = await downloadModel({ repo: REPO, files: plan }, { storageDir: storage, baseUrl: server.url });
        assert.equal(await findModelFile(dir), path.join(dir, name));
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, MODEL_MANIFEST), 'utf8'));
        assert.equal(manifest.model, name);
        assert.match(manifest.files.find((f: { path: string }) => f.path === name).sha256, /^[0-9a-f]{64}$/);
        const files = await readModelFolder(dir);
        assert.deepEqual(Buffer.from(files.model), fs.readFileSync(path.join(SRC, 'model.onnx')));
      });
    }

    it('a name outside the list, given by the setting or command: the manifest names it, and the engine loads', async () => {
      const name = 'onnx/model_O4_custom.onnx';
      server.aliases.set(name, 'model.onnx');
      const dir = await downloadModel(
        { repo: REPO, files: [{ path: 'tokenizer.json' }, { path: name }] },
        { storageDir: storage, baseUrl: server.url },
      );
      assert.equal(await findModelFile(dir), path.join(dir, name));
      const engine = await loadEngineFromFolder(dir);
      try {
        const ids = ['[CLS]', 'the', '[SEP]'].map((t) => engine.tokenizer.tokenToId(t));
        const probs = await engine.keepProbs(ids);
        assert.ok(probs.length > 0 && [...probs].every((p) => p >= 0 && p <= 1), 'p(keep) from the loaded model');
      } finally {
        await engine.dispose();
      }
    });
  });
});

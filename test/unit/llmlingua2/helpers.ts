// Shared loaders for the LLMLingua-2 tests: fixtures copied from ../shared (see test/fixtures/llmlingua2/README.md).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createOnnxPromptEncoder } from '../../../src/core/idp/onnxEncoder';
import { remotePromptEncoder, type EncoderCalls } from '../../../src/core/idp/remoteEncoder';
import { LLMLingua2Engine } from '../../../src/core/llmlingua2/engine';
import { loadEngineFromFolder } from '../../../src/node/llmlingua2/folder';
import type { ReferenceResult } from '../../../src/core/llmlingua2/reference';
import { ModelTokenizer } from '../../../src/core/llmlingua2/tokenizer';
import { CancelledError } from '../../../src/core/tokens/count';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import type { EngineClient } from '../../../src/core/llmlingua2/engineClient';

export { rng } from '../../support/rng';

/**
 * p(keep) parity with the recorded torch values, for every backend (the READMEs state it). Measured max |Δp|: WASM
 * 8.7e-7 (BERT) and 9.7e-7 (XLM-R) unpadded, 9.7e-7 in a padded XLM-R batch; onnxruntime-node 7.2e-7 (BERT) and 7.9e-7 (XLM-R).
 */
export const PARITY_TOLERANCE = 1e-5;

export const FIXTURES = path.resolve(__dirname, '../../fixtures/llmlingua2');
export type ModelKey = 'bert' | 'xlmr';
export const FOLDERS: Record<ModelKey, string> = {
  bert: path.join(FIXTURES, 'tiny-bert-base-multilingual-cased-ref'),
  xlmr: path.join(FIXTURES, 'tiny-xlm-roberta-large-ref'),
};

export interface FixtureCase {
  id: string;
  model: ModelKey;
  context_names: string[];
  kwargs: Record<string, unknown>;
  result: Omit<ReferenceResult, 'words' | 'labels' | 'fn_labeled_original_prompt'>;
  words: string[];
  labels: number[];
  chunks: string[][];
  percentiles: { stage: string; q: number; n: number; value: number; dtype: string }[];
}

export interface ChunkFixture {
  models: Record<
    ModelKey,
    {
      folder: string;
      texts: Record<
        string,
        { tokens: string[]; chunks: { text: string; tokens: string[]; ids: number[]; probs: number[] }[] }
      >;
    }
  >;
}

let casesCache: { texts: Record<string, string>; cases: FixtureCase[] } | undefined;
export function loadCases(): { texts: Record<string, string>; cases: FixtureCase[] } {
  casesCache ??= JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cases.json'), 'utf8'));
  return casesCache!;
}

let chunksCache: ChunkFixture | undefined;
export function loadChunks(): ChunkFixture {
  chunksCache ??= JSON.parse(fs.readFileSync(path.join(FIXTURES, 'chunks.json'), 'utf8'));
  return chunksCache!;
}

export function tokenizerJson(model: ModelKey): unknown {
  return JSON.parse(fs.readFileSync(path.join(FOLDERS[model], 'tokenizer.json'), 'utf8'));
}

export function modelTokenizer(model: ModelKey): ModelTokenizer {
  return new ModelTokenizer(tokenizerJson(model) as ConstructorParameters<typeof ModelTokenizer>[0]);
}

const engines = new Map<ModelKey, Promise<LLMLingua2Engine>>();
/** One engine per model for the whole run (sessions are reused, as in the product). */
export function engine(model: ModelKey): Promise<LLMLingua2Engine> {
  let e = engines.get(model);
  if (!e) {
    e = loadEngineFromFolder(FOLDERS[model], { numThreads: 1, skipWarmup: true });
    engines.set(model, e);
  }
  return e;
}

/** The chat's prompt encoder served by a worker gives what the in-thread encoder gives on the same model. */
export async function assertRemoteEncoderMatches(model: ModelKey, calls: EncoderCalls): Promise<void> {
  const local = await createOnnxPromptEncoder({
    id: 'local',
    model: new Uint8Array(fs.readFileSync(path.join(FOLDERS[model], 'model.onnx'))),
    tokenizerJson: tokenizerJson(model),
  });
  const remote = remotePromptEncoder(model, await calls.encoderOutputs(), calls);
  try {
    assert.deepEqual(remote.outputs, local.outputs);
    const text = 'Summarise the meeting notes and list the decisions.';
    const [a, b] = [await remote.encode(text), await local.encode(text)];
    assert.equal(a.tokens, b.tokens);
    assert.equal(a.dim, b.dim);
    a.data.forEach((v, i) => assert.ok(Math.abs(v - b.data[i]!) < 1e-5, `hidden[${i}]`));
    assert.ok(remote.attend && local.attend, 'the fixture graph exposes attention');
    const prompts = ['Summarise: short summary', 'Review code: find bugs'];
    const [x, y] = [await remote.attend!(prompts, text), await local.attend!(prompts, text)];
    assert.deepEqual(x.promptSpans, y.promptSpans);
    x.attention.forEach((v, i) => assert.ok(Math.abs(v - y.attention[i]!) < 1e-5, `attention[${i}]`));
  } finally {
    await local.release();
  }
}

/**
 * Cancels a long compression after its first chunk through `engine` (either worker transport) and checks that it
 * stops with CancelledError within `maxChunks`; returns the chunk totals that progress reported.
 */
export async function assertCancelsBetweenChunks(
  engine: Pick<EngineClient, 'compressToBudget'>,
  repeat: number,
  maxChunks: number,
): Promise<number[]> {
  const cl100k = await loadTokenizer('cl100k_base');
  const text = loadCases().texts.LONG!.split('\n').reverse().join('\n').repeat(repeat);
  let cancel = false;
  const seen: number[] = [];
  const totals: number[] = [];
  await assert.rejects(
    engine.compressToBudget({
      contexts: [text],
      rate: 0.3,
      tokenizer: cl100k,
      cancellation: {
        get isCancellationRequested() {
          return cancel;
        },
      },
      onProgress: (d, total) => {
        seen.push(d);
        totals.push(total);
        cancel = true;
      },
    }),
    CancelledError,
  );
  assert.ok(seen.length >= 1 && seen.length < maxChunks, `stopped early (${seen.length} chunks)`);
  return totals;
}

/** Runs a CLI entry in this process and collects what it writes to stdout and stderr. */
export async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: await fn(), out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

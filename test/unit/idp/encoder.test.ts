import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  builtinPool,
  clearEncoderCache,
  cosine,
  EncoderRanker,
  encoderCacheSize,
  idpAttentionScores,
  LexicalRanker,
  meanPool,
  selectPrompt,
  type HiddenStates,
  type PromptEncoder,
} from '../../../src/core/idp';
import { exposeEncoderOutputs, findEncoderOutputs, readGraph } from '../../../src/core/onnx/graph';
import { AttentionRanker, encoderScorer } from '../../../src/core/idp/encoder';
import { createOnnxPromptEncoder, type OnnxPromptEncoder } from '../../../src/core/idp/onnxEncoder';

const FIXTURES = join(__dirname, '../../fixtures/llmlingua2');
const MODELS = { bert: 'tiny-bert-base-multilingual-cased-ref', xlmr: 'tiny-xlm-roberta-large-ref' } as const;
const modelBytes = (m: keyof typeof MODELS) => new Uint8Array(readFileSync(join(FIXTURES, MODELS[m], 'model.onnx')));
const tokenizerJson = (m: keyof typeof MODELS) =>
  JSON.parse(readFileSync(join(FIXTURES, MODELS[m], 'tokenizer.json'), 'utf8'));

describe('IDP selector: encoder scoring', () => {
  it('mean pooling, cosine and IDP mean attention on hand-computed values', () => {
    const h: HiddenStates = { data: new Float32Array([1, 0, 3, 4]), tokens: 2, dim: 2 };
    assert.deepEqual([...meanPool(h)], [2, 2]);
    assert.equal(cosine(new Float32Array([1, 0]), new Float32Array([0, 1])), 0);
    assert.ok(Math.abs(cosine(new Float32Array([1, 1]), new Float32Array([2, 2])) - 1) < 1e-9);
    // 4 tokens: prompt A = [0,1), prompt B = [1,3), input = [3,4). Row 3 attends 0.1 / 0.2 / 0.6 / 0.1.
    const a = new Float32Array(16);
    a.set([0.1, 0.2, 0.6, 0.1], 12);
    const [sa, sb] = idpAttentionScores(
      a,
      4,
      [
        [0, 1],
        [1, 3],
      ],
      [3, 4],
    );
    assert.ok(Math.abs(sa! - 0.1) < 1e-7 && Math.abs(sb! - 0.4) < 1e-7, `${sa} ${sb}`);
  });

  it('cosine ranker picks the prompt whose exemplar is nearest and caches prompt encodings per model', async () => {
    // A bag-of-letters "encoder": deterministic, so the nearest exemplar is known.
    let calls = 0;
    const encoder: PromptEncoder = {
      id: 'letters',
      async encode(text) {
        calls++;
        const v = new Float32Array(26);
        for (const c of text.toLowerCase()) if (c >= 'a' && c <= 'z') v[c.charCodeAt(0) - 97]! += 1;
        return { data: v, tokens: 1, dim: 26 };
      },
    };
    clearEncoderCache();
    const prompts = builtinPool().prompts;
    const ranker = new EncoderRanker(prompts, encoder);
    const texts = prompts.reduce((n, p) => n + 1 + p.exemplars.length, 0);
    const s = await selectPrompt('write unit tests for this', prompts, ranker);
    assert.equal(s.prompt.id, 'write-tests', 'an exemplar is identical to the request');
    assert.equal(s.method, 'encoder:cosine');
    assert.equal(calls, texts + 1);
    assert.equal(encoderCacheSize(), texts);
    await selectPrompt('summarise this', prompts, new EncoderRanker(prompts, encoder));
    assert.equal(calls, texts + 2, 'a second ranker reuses the cached prompt encodings; only the request is encoded');
  });

  for (const m of ['bert', 'xlmr'] as const) {
    describe(`on the ${m} fixture model (random weights)`, () => {
      let encoder: OnnxPromptEncoder;
      before(async () => {
        encoder = await createOnnxPromptEncoder({ id: m, model: modelBytes(m), tokenizerJson: tokenizerJson(m) });
      });
      after(() => encoder?.release());

      it('the graph edit adds the last hidden state and last attention Softmax as outputs, touching nothing else', () => {
        const original = modelBytes(m);
        const graph = readGraph(original);
        assert.deepEqual(graph.outputs, ['logits']);
        const found = findEncoderOutputs(graph);
        assert.match(found.hidden, /layer\.1\/output\/LayerNorm/);
        assert.match(found.attention!, /layer\.1\/attention\/self\/Softmax/);
        const edited = exposeEncoderOutputs(original);
        const after = readGraph(edited.bytes);
        assert.deepEqual(after.outputs, ['logits', found.hidden, found.attention]);
        assert.equal(after.nodes.length, graph.nodes.length);
        assert.equal(after.initializers.size, graph.initializers.size);
        // Idempotent: editing an edited model adds nothing.
        assert.equal(exposeEncoderOutputs(edited.bytes).bytes.length, edited.bytes.length);
      });

      it('encodes text to [tokens × 64] hidden states and runs IDP attention scoring end to end', async () => {
        const h = await encoder.encode('why does this crash');
        assert.equal(h.dim, 64);
        assert.ok(h.tokens >= 3 && h.data.length === h.tokens * h.dim);
        assert.ok([...h.data].every(Number.isFinite));
        const prompts = builtinPool().prompts;
        const scorer = encoderScorer(prompts, encoder);
        assert.ok(scorer instanceof AttentionRanker);
        const s = await selectPrompt('why does this crash', prompts, scorer);
        assert.equal(s.method, 'encoder:attention');
        assert.equal(s.scores.length, prompts.length);
        // Mean attention is a probability mass per token pair: positive, and the sum over all prompts' tokens ≤ 1.
        assert.ok(s.scores.every((x) => x.score > 0 && x.score < 1));
        // Random weights: which prompt wins is meaningless; it must be deterministic and one of the pool.
        assert.equal((await selectPrompt('why does this crash', prompts, scorer)).prompt.id, s.prompt.id);
        const cos = await selectPrompt('why does this crash', prompts, new EncoderRanker(prompts, encoder));
        assert.ok(cos.scores.every((x) => x.score >= -1 && x.score <= 1));
      });

      it('a pool too large for the 512 positions falls back to BM25 with a note instead of failing', async () => {
        // 120 prompts leave fewer than 4 positions each beside the request: attention scoring cannot place them.
        const base = builtinPool().prompts;
        const prompts = Array.from({ length: 120 }, (_, i) => ({ ...base[i % base.length]!, id: `p${i}` }));
        const scorer = encoderScorer(prompts, encoder);
        await assert.rejects(selectPrompt('why does this crash', prompts, scorer), /do not fit the model's 512/);
        const s = await selectPrompt('why does this crash', prompts, scorer, { fallback: new LexicalRanker(prompts) });
        assert.equal(s.method, 'lexical');
        assert.equal(s.scores.length, prompts.length);
        assert.match(
          s.note!,
          /^The encoder:attention selector failed \(120 prompts do not fit .*\); chose with lexical/,
        );
        // A pool that fits gets no note: the encoder chose.
        const fits = await selectPrompt('why does this crash', base, encoderScorer(base, encoder), {
          fallback: new LexicalRanker(base),
        });
        assert.equal(fits.method, 'encoder:attention');
        assert.equal(fits.note, undefined);
      });

      it('scores every held-out request by attention, each a share of one probability mass (top-1 printed)', async function () {
        this.timeout(120_000);
        const requests: { text: string; label: string }[] = JSON.parse(
          readFileSync(join(__dirname, '../../fixtures/idp/heldout.json'), 'utf8'),
        ).requests;
        const prompts = builtinPool().prompts;
        const scorer = encoderScorer(prompts, encoder);
        let hits = 0;
        const rankings = new Set<string>();
        for (const r of requests) {
          const s = await selectPrompt(r.text, prompts, scorer);
          assert.equal(s.method, 'encoder:attention', r.text);
          assert.equal(s.scores.length, prompts.length);
          // Each prompt's score is the input's mean attention on its tokens: together at most the row's mass of 1.
          assert.ok(
            s.scores.every((x) => x.score > 0),
            r.text,
          );
          assert.ok(s.scores.reduce((a, x) => a + x.score, 0) <= 1 + 1e-6, r.text);
          assert.equal(s.prompt.id, s.scores[0]!.id, 'the best-scored prompt is chosen');
          rankings.add(s.scores.map((x) => x.id).join());
          hits += s.prompt.id === r.label ? 1 : 0;
        }
        // The input must reach the scores: one ranking for every request would mean the request was not read.
        assert.ok(rankings.size > 1, `${rankings.size} distinct ranking(s) over ${requests.length} requests`);
        console.log(
          `      ${m} fixture (random weights) encoder:attention top-1 on heldout.json: ${hits}/${requests.length} — not a quality figure`,
        );
      });
    });
  }
});

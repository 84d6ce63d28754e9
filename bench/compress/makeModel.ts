// Generates a BERT-base-sized token-classification ONNX model with random weights (fp32, and int8 with dynamic
// activation quantization like onnxruntime's quantize_dynamic: MatMulInteger + DynamicQuantizeLinear, int8 Gather).
// Random weights give meaningless p(keep) but the real cost of a 512-token window.
import { DT, GraphBuilder } from './onnxWriter';
import { rng } from '../../test/support/rng';

export interface BertConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  positions: number;
  labels: number;
}

/** mBERT base (the LLMLingua-2 mBERT model's shape). */
export const BERT_BASE_MULTILINGUAL: BertConfig = {
  vocab: 119547,
  hidden: 768,
  layers: 12,
  heads: 12,
  intermediate: 3072,
  positions: 512,
  labels: 2,
};

export async function makeBertModel(file: string, cfg: BertConfig, quant: 'fp32' | 'int8', seed = 1): Promise<number> {
  const rand = rng(seed);
  const std = 0.02;
  const amp = std * Math.sqrt(3);
  const randF32 = (n: number, a = amp) => {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = (rand() * 2 - 1) * a;
    return x;
  };
  const g = new GraphBuilder();
  const H = cfg.hidden;
  const dh = H / cfg.heads;
  let wId = 0;

  // x @ W + b, W of shape [inF, outF]; int8 weights with a per-tensor scale in int8 mode.
  const linear = (x: string, inF: number, outF: number, a = amp): string => {
    const id = wId++;
    const b = g.f32(`b${id}`, [outF], new Float32Array(outF));
    if (quant === 'fp32') {
      const w = g.f32(`w${id}`, [inF, outF], randF32(inF * outF, a));
      return g.node('Add', [g.node('MatMul', [x, w])[0]!, b])[0]!;
    }
    const q = new Int8Array(inF * outF);
    for (let i = 0; i < q.length; i++) q[i] = Math.round((rand() * 2 - 1) * 127);
    const w = g.tensor(`w${id}`, DT.INT8, [inF, outF], new Uint8Array(q.buffer));
    const wzp = g.tensor(`wzp${id}`, DT.INT8, [], new Uint8Array(1));
    const ws = g.scalarF32(`ws${id}`, a / 127);
    const [xq, xs, xzp] = g.node('DynamicQuantizeLinear', [x], [], 3) as [string, string, string];
    const mm = g.node('MatMulInteger', [xq, w, xzp, wzp])[0]!;
    const f = g.node('Cast', [mm], [{ name: 'to', i: DT.FLOAT }])[0]!;
    const scale = g.node('Mul', [xs, ws])[0]!;
    return g.node('Add', [g.node('Mul', [f, scale])[0]!, b])[0]!;
  };
  const layerNorm = (x: string): string => {
    const id = wId++;
    const s = g.f32(`ln_s${id}`, [H], new Float32Array(H).fill(1));
    const b = g.f32(`ln_b${id}`, [H], new Float32Array(H));
    return g.node(
      'LayerNormalization',
      [x, s, b],
      [
        { name: 'axis', i: -1 },
        { name: 'epsilon', f: 1e-12 },
      ],
    )[0]!;
  };

  g.io('input', 'input_ids', DT.INT64, ['batch', 'sequence']);
  g.io('input', 'attention_mask', DT.INT64, ['batch', 'sequence']);

  // Embeddings: word (int8 + DequantizeLinear in int8 mode, as quantize_dynamic does for Gather), position, type 0.
  let words: string;
  if (quant === 'fp32') {
    words = g.node('Gather', [g.f32('word_emb', [cfg.vocab, H], randF32(cfg.vocab * H)), 'input_ids'])[0]!;
  } else {
    const q = new Int8Array(cfg.vocab * H);
    for (let i = 0; i < q.length; i++) q[i] = Math.round((rand() * 2 - 1) * 127);
    const table = g.tensor('word_emb_q', DT.INT8, [cfg.vocab, H], new Uint8Array(q.buffer));
    const gathered = g.node('Gather', [table, 'input_ids'])[0]!;
    const zp = g.tensor('word_emb_zp', DT.INT8, [], new Uint8Array(1));
    words = g.node('DequantizeLinear', [gathered, g.scalarF32('word_emb_s', amp / 127), zp])[0]!;
  }
  const shape = g.node('Shape', ['input_ids'])[0]!;
  const seqLen = g.node(
    'Gather',
    [shape, g.tensor('one_i64', DT.INT64, [], new Uint8Array(BigInt64Array.of(1n).buffer))],
    [{ name: 'axis', i: 0 }],
  )[0]!;
  const zero = g.tensor('zero_i64', DT.INT64, [], new Uint8Array(BigInt64Array.of(0n).buffer));
  const oneStep = g.tensor('step_i64', DT.INT64, [], new Uint8Array(BigInt64Array.of(1n).buffer));
  const posIds = g.node('Range', [zero, seqLen, oneStep])[0]!;
  const pos = g.node('Gather', [g.f32('pos_emb', [cfg.positions, H], randF32(cfg.positions * H)), posIds])[0]!;
  const type0 = g.f32('type_emb0', [H], randF32(H));
  let x = g.node('Add', [g.node('Add', [words, pos])[0]!, type0])[0]!;
  x = layerNorm(x);

  // Additive mask [B,1,1,S]: 0 where attended, -10000 where masked.
  const maskF = g.node('Cast', ['attention_mask'], [{ name: 'to', i: DT.FLOAT }])[0]!;
  const inv = g.node('Sub', [g.scalarF32('one_f', 1), maskF])[0]!;
  const addMask = g.node('Unsqueeze', [
    g.node('Mul', [inv, g.scalarF32('neg_big', -10000)])[0]!,
    g.i64('axes12', [1, 2]),
  ])[0]!;

  const headsShape = g.i64('heads_shape', [0, 0, cfg.heads, dh]);
  const mergeShape = g.i64('merge_shape', [0, 0, H]);
  // Scores divided by sqrt(head size) and GELU as Div/Erf/Add/Mul/Mul: the nodes torch.onnx writes for
  // transformers' BertForTokenClassification (opset 14), which ONNX Runtime fuses at load like a real export.
  const sqrtDh = g.scalarF32('sqrt_dh', Math.sqrt(dh));
  const half = g.scalarF32('half', 0.5);
  const oneF = 'one_f';
  const sqrt2 = g.scalarF32('sqrt2', Math.SQRT2);

  for (let l = 0; l < cfg.layers; l++) {
    const split = (t: string, perm: number[]) =>
      g.node('Transpose', [g.node('Reshape', [t, headsShape])[0]!], [{ name: 'perm', ints: perm }])[0]!;
    const q = split(linear(x, H, H), [0, 2, 1, 3]);
    const k = split(linear(x, H, H), [0, 2, 3, 1]);
    const v = split(linear(x, H, H), [0, 2, 1, 3]);
    let scores = g.node('Div', [g.node('MatMul', [q, k])[0]!, sqrtDh])[0]!;
    scores = g.node('Add', [scores, addMask])[0]!;
    const probs = g.node('Softmax', [scores], [{ name: 'axis', i: -1 }])[0]!;
    const ctx = g.node('MatMul', [probs, v])[0]!;
    const merged = g.node('Reshape', [
      g.node('Transpose', [ctx], [{ name: 'perm', ints: [0, 2, 1, 3] }])[0]!,
      mergeShape,
    ])[0]!;
    x = layerNorm(g.node('Add', [linear(merged, H, H), x])[0]!);
    const h = linear(x, H, cfg.intermediate);
    const erf = g.node('Erf', [g.node('Div', [h, sqrt2])[0]!])[0]!;
    const gelu = g.node('Mul', [g.node('Mul', [h, g.node('Add', [erf, oneF])[0]!])[0]!, half])[0]!;
    x = layerNorm(g.node('Add', [linear(gelu, cfg.intermediate, H), x])[0]!);
  }
  // Classifier weights scaled up so p(keep) spreads over (0, 1) (as in the fixture models).
  const logits = linear(x, H, cfg.labels, amp * 30);
  // Named "logits" like a transformers export (the baseline library reads it by that name).
  g.node('Identity', [logits], [], 1, ['logits']);
  g.io('output', 'logits', DT.FLOAT, ['batch', 'sequence', cfg.labels]);
  return g.write(file);
}

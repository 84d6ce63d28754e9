// The ONNX graph reader below both users: the compressor (src/core/llmlingua2/device.ts reads the weights) and IDP.
// Edits an ONNX model once so an encoder session returns what IDP scoring needs: ONNX Runtime returns only graph
// outputs, and the published LLMLingua-2 exports output only `logits`. We add the last hidden state (the
// classifier's input) and, when the graph has explicit attention Softmax nodes, the last layer's attention
// probabilities as extra graph outputs. Only the protobuf fields involved are read; every other byte is copied
// verbatim, and the new outputs are appended to the graph message (repeated fields may be split in protobuf).

// Field numbers from onnx.proto3.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TENSOR_NAME = 8;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_ELEM = 1;
const FLOAT = 1;

interface Field {
  field: number;
  wire: number;
  /** Byte range of the whole field (key included) and, for length-delimited fields, of its payload. */
  start: number;
  end: number;
  dataStart: number;
  dataEnd: number;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated protobuf varint');
    const b = buf[pos++]!;
    // Multiplication keeps precision past 32 bits (lengths of large models).
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 63) throw new Error('bad protobuf varint');
  }
}

function* fields(buf: Uint8Array, from = 0, to = buf.length): Generator<Field> {
  let pos = from;
  while (pos < to) {
    const start = pos;
    const [key, p] = readVarint(buf, pos);
    pos = p;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let dataStart = pos;
    switch (wire) {
      case 0:
        pos = readVarint(buf, pos)[1];
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const [len, q] = readVarint(buf, pos);
        dataStart = q;
        pos = q + len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${wire} (not an ONNX model?)`);
    }
    if (pos > to) throw new Error('truncated protobuf field');
    yield { field, wire, start, end: pos, dataStart, dataEnd: wire === 2 ? pos : dataStart };
  }
}

const decoder = new TextDecoder();
const str = (buf: Uint8Array, f: Field) => decoder.decode(buf.subarray(f.dataStart, f.dataEnd));

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxGraphSummary {
  nodes: OnnxNode[];
  inputs: string[];
  outputs: string[];
  initializers: Set<string>;
}

function graphField(model: Uint8Array): Field {
  for (const f of fields(model)) if (f.field === MODEL_GRAPH && f.wire === 2) return f;
  throw new Error('no graph in this ONNX model');
}

export function readGraph(model: Uint8Array): OnnxGraphSummary {
  const g = graphField(model);
  const out: OnnxGraphSummary = { nodes: [], inputs: [], outputs: [], initializers: new Set() };
  for (const f of fields(model, g.dataStart, g.dataEnd)) {
    if (f.wire !== 2) continue;
    if (f.field === GRAPH_NODE) {
      const node: OnnxNode = { name: '', opType: '', inputs: [], outputs: [] };
      for (const n of fields(model, f.dataStart, f.dataEnd)) {
        if (n.wire !== 2) continue;
        if (n.field === NODE_INPUT) node.inputs.push(str(model, n));
        else if (n.field === NODE_OUTPUT) node.outputs.push(str(model, n));
        else if (n.field === NODE_NAME) node.name = str(model, n);
        else if (n.field === NODE_OP_TYPE) node.opType = str(model, n);
      }
      out.nodes.push(node);
    } else if (f.field === GRAPH_INPUT || f.field === GRAPH_OUTPUT) {
      for (const v of fields(model, f.dataStart, f.dataEnd)) {
        if (v.field === VALUE_INFO_NAME && v.wire === 2) {
          (f.field === GRAPH_INPUT ? out.inputs : out.outputs).push(str(model, v));
        }
      }
    } else if (f.field === GRAPH_INITIALIZER) {
      for (const t of fields(model, f.dataStart, f.dataEnd)) {
        if (t.field === TENSOR_NAME && t.wire === 2) out.initializers.add(str(model, t));
      }
    }
  }
  return out;
}

export interface EncoderOutputs {
  /** [1, T, hidden] — the token classifier's input. */
  hidden: string;
  /** [1, heads, T, T] — the last layer's attention probabilities, when the graph has explicit Softmax nodes. */
  attention?: string;
}

/**
 * Finds the hidden state feeding the classifier: from the node producing `logits` (or the first output), walk back
 * through bias Add / Identity / Dropout to the MatMul or Gemm, and take its input that is not a weight.
 */
export function findEncoderOutputs(graph: OnnxGraphSummary): EncoderOutputs {
  const producer = new Map<string, OnnxNode>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const isConst = (name: string) => graph.initializers.has(name) || producer.get(name)?.opType === 'Constant';
  const logits = graph.outputs.includes('logits') ? 'logits' : graph.outputs[0];
  if (!logits) throw new Error('the model has no outputs');
  let node = producer.get(logits);
  const passThrough = new Set(['Add', 'Identity', 'Dropout', 'Reshape', 'Cast']);
  for (let hops = 0; node && hops < 8; hops++) {
    if (node.opType === 'MatMul' || node.opType === 'Gemm') {
      const hidden = node.inputs.find((i) => i && !isConst(i));
      if (!hidden) break;
      const softmaxes = graph.nodes.filter((n) => n.opType === 'Softmax');
      const last = softmaxes.at(-1)?.outputs[0];
      return last ? { hidden, attention: last } : { hidden };
    }
    if (!passThrough.has(node.opType)) break;
    const next = node.inputs.find((i) => i && !isConst(i));
    node = next ? producer.get(next) : undefined;
  }
  throw new Error(`cannot find the classifier's input behind output '${logits}'`);
}

// --- writing ---

/** Protobuf writing, shared with the GPU probe's one-node model (src/node/gpuProbe.ts). */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push(n % 0x80 | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

export function lenDelimited(field: number, payload: Uint8Array): Uint8Array {
  const head = [...varint(field * 8 + 2), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A float tensor output of unknown shape: enough for ONNX Runtime, which takes the shape from the producer. */
function floatOutput(name: string): Uint8Array {
  const tensorType = new Uint8Array([...varint(TENSOR_TYPE_ELEM * 8), FLOAT]);
  const type = lenDelimited(TYPE_TENSOR, tensorType);
  return lenDelimited(
    GRAPH_OUTPUT,
    concat([lenDelimited(VALUE_INFO_NAME, new TextEncoder().encode(name)), lenDelimited(VALUE_INFO_TYPE, type)]),
  );
}

export interface EditedModel {
  bytes: Uint8Array;
  outputs: EncoderOutputs;
}

/** Returns the model with the encoder outputs added (unchanged bytes plus the new output entries). */
export function exposeEncoderOutputs(model: Uint8Array): EditedModel {
  const graph = readGraph(model);
  const outputs = findEncoderOutputs(graph);
  const wanted = [outputs.hidden, ...(outputs.attention ? [outputs.attention] : [])].filter(
    (n) => !graph.outputs.includes(n),
  );
  if (wanted.length === 0) return { bytes: model, outputs };
  const g = graphField(model);
  const extra = concat(wanted.map(floatOutput));
  const newGraph = concat([model.subarray(g.dataStart, g.dataEnd), extra]);
  const bytes = concat([model.subarray(0, g.start), lenDelimited(MODEL_GRAPH, newGraph), model.subarray(g.end)]);
  return { bytes, outputs };
}

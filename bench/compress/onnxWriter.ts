// Minimal ONNX (protobuf) writer: just enough to emit a BERT-style token classifier with random weights for the
// benchmark, without Python. Large tensors are kept as separate buffers and streamed to disk, never concatenated.
import { createWriteStream } from 'node:fs';

type Chunk = Uint8Array;

class Msg {
  parts: Chunk[] = [];
  len = 0;
  private push(b: Chunk) {
    this.parts.push(b);
    this.len += b.length;
  }
  private key(field: number, wire: number) {
    this.push(varint(field * 8 + wire));
  }
  int(field: number, v: number | bigint) {
    this.key(field, 0);
    this.push(varint(v));
    return this;
  }
  float(field: number, v: number) {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }
  bytes(field: number, b: Chunk) {
    this.key(field, 2);
    this.push(varint(b.length));
    this.push(b);
    return this;
  }
  str(field: number, s: string) {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Msg) {
    this.key(field, 2);
    this.push(varint(m.len));
    for (const p of m.parts) this.push(p);
    return this;
  }
}

function varint(v: number | bigint): Uint8Array {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let byte = Number(x & 0x7fn);
    x >>= 7n;
    if (x) byte |= 0x80;
    out.push(byte);
  } while (x);
  return Uint8Array.from(out);
}

export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;

export interface Attr {
  name: string;
  i?: number;
  f?: number;
  ints?: number[];
}

export class GraphBuilder {
  private nodes: Msg[] = [];
  private inits: Msg[] = [];
  private inputs: Msg[] = [];
  private outputs: Msg[] = [];
  private n = 0;

  tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): string {
    const t = new Msg();
    for (const d of dims) t.int(1, d);
    t.int(2, dataType).str(8, name).bytes(9, raw);
    this.inits.push(t);
    return name;
  }

  f32(name: string, dims: number[], data: Float32Array): string {
    return this.tensor(name, DT.FLOAT, dims, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  i64(name: string, data: number[]): string {
    const a = BigInt64Array.from(data.map((x) => BigInt(x)));
    return this.tensor(name, DT.INT64, [data.length], new Uint8Array(a.buffer));
  }

  scalarF32(name: string, v: number): string {
    return this.tensor(name, DT.FLOAT, [], new Uint8Array(Float32Array.of(v).buffer));
  }

  node(op: string, inputs: string[], attrs: Attr[] = [], nOut = 1, names?: string[]): string[] {
    const id = this.n++;
    const outs = names ?? Array.from({ length: nOut }, (_, k) => `${op}_${id}_${k}`);
    const m = new Msg();
    for (const i of inputs) m.str(1, i);
    for (const o of outs) m.str(2, o);
    m.str(3, `${op}_${id}`).str(4, op);
    for (const a of attrs) {
      const am = new Msg().str(1, a.name);
      if (a.f !== undefined) am.float(2, a.f).int(20, 1);
      else if (a.ints) {
        for (const v of a.ints) am.int(8, v);
        am.int(20, 7);
      } else am.int(3, a.i ?? 0).int(20, 2);
      m.msg(5, am);
    }
    this.nodes.push(m);
    return outs;
  }

  io(kind: 'input' | 'output', name: string, elemType: number, dims: (number | string)[]): void {
    const shape = new Msg();
    for (const d of dims) shape.msg(1, typeof d === 'number' ? new Msg().int(1, d) : new Msg().str(2, d));
    const tensorType = new Msg().int(1, elemType).msg(2, shape);
    const vi = new Msg().str(1, name).msg(2, new Msg().msg(1, tensorType));
    (kind === 'input' ? this.inputs : this.outputs).push(vi);
  }

  async write(file: string, opset = 17): Promise<number> {
    const g = new Msg();
    for (const n of this.nodes) g.msg(1, n);
    g.str(2, 'bench-bert');
    for (const t of this.inits) g.msg(5, t);
    for (const i of this.inputs) g.msg(11, i);
    for (const o of this.outputs) g.msg(12, o);
    const model = new Msg()
      .int(1, 8)
      .str(2, 'context-budget-bench')
      .msg(7, g)
      .msg(8, new Msg().str(1, '').int(2, opset));
    const ws = createWriteStream(file);
    for (const p of model.parts) {
      if (!ws.write(p)) await new Promise<void>((r) => ws.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
    return model.len;
  }
}

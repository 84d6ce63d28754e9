// Node: whether onnxruntime-node's WebGPU EP runs on this machine, and with fp16 (the adapter's shader-f16), for
// "Download Compressor Model" to pick weights that suit the device. Probed on a one-node model, with ONNX Runtime's
// CPU fallback disabled so that an op the GPU cannot run fails instead of quietly running on the CPU.
import { shortReason } from '../core/llmlingua2/device';
import { loadOrtNode } from './ortNode';
import { concat as msg, lenDelimited as field, varint as leb } from '../core/onnx/graph';

export type NodeGpu = { ok: true; f16: boolean } | { ok: false; reason: string };

export const FLOAT = 1;
export const FLOAT16 = 10;

export async function probeNodeWebGpu(): Promise<NodeGpu> {
  let ort: OrtNodeLike;
  try {
    ort = (await loadOrtNode()) as OrtNodeLike;
  } catch (e) {
    return { ok: false, reason: `onnxruntime-node is not installed here (${shortReason(e)})` };
  }
  // Created and run: x = 1.5 gives y = 3 in either precision (0x3e00 and 0x4200 in fp16).
  const runs = async (elemType: number) => {
    const session = await ort.InferenceSession.create(addModel(elemType), {
      executionProviders: ['webgpu'],
      // Fatal only: a refused fp16 op is an answer here, not an error to print.
      logSeverityLevel: 4,
      extra: { session: { disable_cpu_ep_fallback: '1' } },
    });
    try {
      const x =
        elemType === FLOAT
          ? new ort.Tensor('float32', Float32Array.of(1.5), [1])
          : new ort.Tensor('float16', Uint16Array.of(0x3e00), [1]);
      const y = (await session.run({ x })).y!.data[0];
      if (y !== (elemType === FLOAT ? 3 : 0x4200)) throw new Error(`the GPU computed 1.5 + 1.5 = ${String(y)}`);
    } finally {
      await session.release();
    }
  };
  try {
    await runs(FLOAT);
  } catch (e) {
    return { ok: false, reason: shortReason(e) };
  }
  try {
    await runs(FLOAT16);
    return { ok: true, f16: true };
  } catch {
    return { ok: true, f16: false };
  }
}

interface OrtNodeLike {
  Tensor: new (type: string, data: Float32Array | Uint16Array, dims: number[]) => unknown;
  InferenceSession: {
    create(
      model: Uint8Array,
      options: object,
    ): Promise<{
      run(feeds: Record<string, unknown>): Promise<Record<string, { data: ArrayLike<number> }>>;
      release(): Promise<void>;
    }>;
  };
}

/** y = x + x on a [1] tensor of the given ONNX element type: the smallest model a GPU runs or refuses. */
export function addModel(elemType: number): Uint8Array {
  const tensor = (name: string) =>
    msg([str(1, name), field(2, msg([field(1, msg([num(1, elemType), field(2, field(1, num(1, 1)))]))]))]);
  const node = msg([str(1, 'x'), str(1, 'x'), str(2, 'y'), str(4, 'Add')]);
  const graph = msg([field(1, node), str(2, 'probe'), field(11, tensor('x')), field(12, tensor('y'))]);
  return msg([num(1, 8), field(8, msg([str(1, ''), num(2, 17)])), field(7, graph)]);
}

// Protobuf fields: a number, a string.
const num = (f: number, v: number) => Uint8Array.from([...leb(f * 8), ...leb(v)]);
const str = (f: number, s: string) => field(f, new TextEncoder().encode(s));

// `--backend cpu|wasm|webgpu` of `compress` (both modes): which runtime runs the LLMLingua-2 model in the CLI.
import type { Compressor } from '../core/compressor';
import type { BackendKind } from '../core/llmlingua2/inference';

export const BACKEND_HELP =
  '  --backend cpu|wasm|webgpu: onnxruntime-node on the CPU, onnxruntime-web WASM, or onnxruntime-node on the GPU\n' +
  '    (WebGPU; an error with the reason when it cannot run, never a silent CPU run); auto: the GPU when it works and\n' +
  '    the weights suit it, else the CPU\n';

const BACKENDS: Record<string, BackendKind | 'auto'> = {
  cpu: 'node',
  wasm: 'wasm',
  webgpu: 'node-webgpu',
  auto: 'auto',
  // Older spelling of cpu.
  node: 'node',
};

/** The backend kind for a --backend value; a message for a value it does not know. */
export function parseBackend(value: string): BackendKind | 'auto' | { error: string } {
  return BACKENDS[value] ?? { error: `--backend must be cpu, wasm, webgpu or auto, got '${value}'` };
}

/** What loading a model folder showed: the runtime that ran it, or why it failed (set when the model first loads). */
export interface LoadSeen {
  runtime?: string;
  error?: Error;
}

/**
 * The LLMLingua-2 compressor of a model folder, loaded on its first use (the planner calls this only when a prose
 * source needs compressing); `seen` records what ran it.
 */
export function folderCompressor(
  dir: string,
  backend: BackendKind | 'auto',
  seen: LoadSeen = {},
): () => Promise<Compressor> {
  return async () => {
    const [{ loadEngineFromFolder }, { createLLMLingua2Compressor }] = await Promise.all([
      import('../node/llmlingua2/folder'),
      import('../core/llmlingua2/asCompressor'),
    ]);
    return createLLMLingua2Compressor(async () => {
      const engine = await loadEngineFromFolder(dir, { backend }).catch((e: Error) => {
        seen.error = e;
        throw e;
      });
      seen.runtime = engine.runtime;
      return engine;
    });
  };
}

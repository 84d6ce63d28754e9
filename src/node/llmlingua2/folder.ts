// Node-only: loads an engine from a model folder (model.onnx or onnx/model*.onnx, tokenizer.json).
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LLMLingua2Engine, type EngineFiles, type EngineOptions } from '../../core/llmlingua2/engine';
import { MODEL_MANIFEST, modelFileOrder, parseManifest } from '../../core/models/files';
import { loadOrtNode } from '../ortNode';

/** The folder's ONNX file: `preferred`, the one its download manifest names, then the shared list of names. */
export async function findModelFile(dir: string, preferred?: string): Promise<string> {
  let manifest;
  try {
    manifest = parseManifest(await fs.readFile(path.join(dir, MODEL_MANIFEST), 'utf8'));
  } catch {
    // no manifest: a folder the user made
  }
  const names = modelFileOrder(manifest, preferred);
  for (const name of names) {
    const p = path.join(dir, name);
    try {
      if ((await fs.stat(p)).isFile()) return p;
    } catch {
      // try the next name
    }
  }
  throw new Error(`No ONNX model in ${dir} (looked for ${names.join(', ')})`);
}

/** A model folder's ONNX bytes and parsed tokenizer.json. */
export async function readModelFolder(dir: string, modelFile?: string): Promise<EngineFiles> {
  const modelPath = await findModelFile(dir, modelFile);
  let tokenizerJson: unknown;
  try {
    tokenizerJson = JSON.parse(await fs.readFile(path.join(dir, 'tokenizer.json'), 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read ${path.join(dir, 'tokenizer.json')}: ${(e as Error).message}`);
  }
  const model = await fs.readFile(modelPath);
  return { model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength), tokenizerJson };
}

export async function loadEngineFromFolder(
  dir: string,
  options: EngineOptions & { modelFile?: string } = {},
): Promise<LLMLingua2Engine> {
  const files = await readModelFolder(dir, options.modelFile);
  return LLMLingua2Engine.create(files, {
    ...options,
    wasmPaths: options.wasmPaths ?? bundledWasmPaths(),
    loadNativeOrt: options.loadNativeOrt ?? loadOrtNode,
  });
}

/**
 * In the bundles (dist/cli.js, dist/extension.js, dist/llmlingua2Worker.js) onnxruntime-web's WASM and glue are
 * copied to dist/ort/; point onnxruntime-web there. From sources (tests, tsx) it finds them in node_modules itself.
 */
export function bundledWasmPaths(): string | undefined {
  const dir = typeof __dirname === 'string' ? path.join(__dirname, 'ort') : undefined;
  return dir && existsSync(path.join(dir, 'ort-wasm-simd-threaded.wasm')) ? `${pathToFileURL(dir).href}/` : undefined;
}

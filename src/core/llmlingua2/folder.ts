// Node-only: loads an engine from a model folder (model.onnx or onnx/model*.onnx, tokenizer.json).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LLMLingua2Engine, type EngineOptions } from './engine';

export const MODEL_FILE_CANDIDATES = [
  'model.onnx',
  'onnx/model.onnx',
  'model_quantized.onnx',
  'onnx/model_quantized.onnx',
];

export async function findModelFile(dir: string, preferred?: string): Promise<string> {
  const names = preferred ? [preferred, ...MODEL_FILE_CANDIDATES] : MODEL_FILE_CANDIDATES;
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

export async function loadEngineFromFolder(
  dir: string,
  options: EngineOptions & { modelFile?: string } = {},
): Promise<LLMLingua2Engine> {
  const modelPath = await findModelFile(dir, options.modelFile);
  let tokenizerJson: unknown;
  try {
    tokenizerJson = JSON.parse(await fs.readFile(path.join(dir, 'tokenizer.json'), 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read ${path.join(dir, 'tokenizer.json')}: ${(e as Error).message}`);
  }
  const model = await fs.readFile(modelPath);
  return LLMLingua2Engine.create(
    { model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength), tokenizerJson },
    options,
  );
}

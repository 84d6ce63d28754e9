// Messages between the extension host (WorkerEngine) and the LLMLingua-2 worker.
import type { BackendKind, DevicePreference } from './inference';
import type { BudgetRequest } from './engine';
import type { ReferenceSettings } from './reference';

export interface WorkerInit {
  modelDir: string;
  modelFile?: string;
  numThreads?: number;
  backend?: BackendKind | 'auto';
  /** Under backend 'auto': GPU or CPU (device.ts). */
  device?: DevicePreference;
  wasmPaths?: string;
  /** WASM sessions side by side (InferenceOptions.wasmSessions; default 1), as many as the machine allows. */
  wasmSessions?: number;
  /** This worker's own script, to start the session workers. */
  workerScript?: string;
}

/** A budget request as it crosses the thread boundary: the tokenizer by id, no callbacks. */
export type WorkerBudgetRequest = Omit<BudgetRequest, 'tokenizer' | 'cancellation' | 'onProgress'>;

export type WorkerRequest =
  | { type: 'load'; id: number; cancelFlag?: SharedArrayBuffer; tokenizer?: undefined }
  | { type: 'budget'; id: number; tokenizer: string; request: WorkerBudgetRequest; cancelFlag?: SharedArrayBuffer }
  | {
      type: 'reference';
      id: number;
      tokenizer: string;
      contexts: string | string[];
      settings: ReferenceSettings;
      cancelFlag?: SharedArrayBuffer;
    }
  // The chat's prompt encoder (IDP) on the same model, in a session of its own with the extra outputs.
  | { type: 'encoderOutputs'; id: number; cancelFlag?: SharedArrayBuffer }
  | { type: 'encode'; id: number; text: string; cancelFlag?: SharedArrayBuffer }
  | { type: 'attend'; id: number; prompts: string[]; input: string; cancelFlag?: SharedArrayBuffer };

export type WorkerResponse =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string; cancelled: boolean };

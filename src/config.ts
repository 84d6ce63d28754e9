// Every setting the extension reads, in one place, with its default.
import * as vscode from 'vscode';
import { DEFAULT_MODEL_ID } from './core/tokens/catalog';
import { RESTRICTED_SETTINGS, restrictedSettingsIn, type RestrictedSetting } from './restricted';

export const SECTION = 'contextBudget';

export interface Settings {
  /** Catalog id (e.g. "gpt-4o") or "lm:<vendor>/<id>" for a VS Code chat model. */
  targetModel: string;
  /** 0 = context window minus reserve. */
  budgetTokens: number;
  reserveTokens: number;
  maxFileSizeBytes: number;
  codeLensEnabled: boolean;
  statusBarEnabled: boolean;
  debounceMs: number;
  compression: {
    mode: 'rate' | 'budget';
    rate: number;
    /** 0 = the budget above. */
    budgetTokens: number;
    compressor: 'auto' | 'structural' | 'llmlingua2';
    forceTokens: string[];
    keepDigits: boolean;
    protectIdentifiers: boolean;
    /** Folder with an LLMLingua-2 ONNX model and tokenizer.json; empty = none installed. */
    modelPath: string;
    /** Idle minutes before the loaded model is freed; 0 = keep it loaded. */
    unloadModelAfterMinutes: number;
    /** WASM sessions running chunks side by side (one model copy each). */
    wasmSessions: number;
    /** GPU (WebGPU) or CPU for the model; auto: the GPU when it works and the weights suit it. */
    device: 'auto' | 'cpu' | 'gpu';
  };
  /** Where "Download Compressor Model" fetches from (a Hugging Face mirror works too). */
  models: { baseUrl: string; repo: string; revision: string; files: string[] };
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    targetModel: c.get<string>('targetModel', DEFAULT_MODEL_ID) || DEFAULT_MODEL_ID,
    budgetTokens: Math.max(0, c.get<number>('budgetTokens', 0)),
    reserveTokens: Math.max(0, c.get<number>('reserveTokens', 4096)),
    maxFileSizeBytes: Math.max(1, c.get<number>('maxFileSizeKB', 5120)) * 1024,
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true),
    debounceMs: Math.max(0, c.get<number>('debounceMs', 250)),
    compression: {
      mode: c.get<string>('compression.mode', 'rate') === 'budget' ? 'budget' : 'rate',
      rate: Math.min(1, Math.max(0.01, c.get<number>('compression.rate', 0.5))),
      budgetTokens: Math.max(0, c.get<number>('compression.budgetTokens', 0)),
      compressor: c.get<'auto' | 'structural' | 'llmlingua2'>('compression.compressor', 'auto'),
      forceTokens: c.get<string[]>('compression.forceTokens', []).filter((t) => typeof t === 'string' && t.length > 0),
      keepDigits: c.get<boolean>('compression.keepDigits', false),
      protectIdentifiers: c.get<boolean>('compression.protectIdentifiers', false),
      modelPath: c.get<string>('compression.modelPath', '').trim(),
      // At most a week: longer delays overflow setTimeout, which would then fire at once.
      unloadModelAfterMinutes: Math.min(10_080, Math.max(0, c.get<number>('compression.unloadModelAfterMinutes', 10))),
      wasmSessions: Math.min(4, Math.max(1, Math.floor(c.get<number>('compression.wasmSessions', 1)))),
      device: (['cpu', 'gpu'] as const).find((d) => d === c.get<string>('compression.device')) ?? 'auto',
    },
    models: {
      baseUrl: c.get<string>('models.baseUrl', 'https://huggingface.co'),
      repo: c.get<string>('models.repo', 'Arcoldd/llmlingua4j-bert-base-onnx'),
      revision: c.get<string>('models.revision', 'main'),
      files: c.get<string[]>('models.files', ['onnx/model_quantized.onnx', 'tokenizer.json', 'config.json']),
    },
  };
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}

export async function setTargetModel(id: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const inspected = c.inspect<string>('targetModel');
  // Write where the user already set it, so a workspace choice is not shadowed by a global write.
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update('targetModel', id, target);
}

/** The chat participant, the language-model tool and prompt pools; read on each request (cheap, always current). */
export interface ChatSettings {
  /** Share of the chat model's input window the whole request (prompt, context, question) may use. */
  contextShare: number;
  /** Extra prompt pool files: URIs, absolute paths, or paths relative to the first workspace folder. */
  promptFiles: string[];
  /** A prompt id to always use; empty lets the selector choose. */
  promptOverride: string;
  /** auto: BM25 (the measured ranker); encoder: the compressor model's encoder (experimental, not yet measured). */
  promptSelector: 'auto' | 'lexical' | 'encoder';
  /** The LLMLingua-2 model folder the encoder selector uses (the compressor's own setting). */
  modelPath: string;
}

export const WORKSPACE_PROMPTS_FILE = '.vscode/context-budget.prompts.json';

export function readChatSettings(): ChatSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    contextShare: Math.min(1, Math.max(0.05, c.get<number>('chat.contextShare', 0.5))),
    promptFiles: c.get<string[]>('prompts.files', []).filter((f) => typeof f === 'string' && f.trim().length > 0),
    promptOverride: c.get<string>('prompts.override', '').trim(),
    promptSelector:
      (['auto', 'lexical', 'encoder'] as const).find((v) => v === c.get<string>('prompts.selector', 'auto')) ?? 'auto',
    modelPath: c.get<string>('compression.modelPath', '').trim(),
  };
}

/**
 * The restricted settings among `keys` that this untrusted folder sets, which VS Code therefore does not use (and
 * hides from inspect()): found in each folder's .vscode/settings.json and the .code-workspace file.
 */
export async function ignoredUntrustedSettings(keys?: readonly RestrictedSetting[]): Promise<RestrictedSetting[]> {
  if (vscode.workspace.isTrusted) return [];
  const files = [
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json')),
    ...(vscode.workspace.workspaceFile?.scheme === 'untitled' ? [] : [vscode.workspace.workspaceFile ?? []].flat()),
  ];
  const found = new Set<RestrictedSetting>();
  for (const file of files) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      for (const key of restrictedSettingsIn(text, keys)) found.add(key);
    } catch {
      // no settings file there
    }
  }
  return (keys ?? RESTRICTED_SETTINGS).filter((k) => found.has(k));
}

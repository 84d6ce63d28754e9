// Loads the prompt pool for a request: the built-in pool, then the workspace file, then files named in settings
// (later ones override prompts with the same id). A bad file is reported and skipped, never fatal.
import * as vscode from 'vscode';
import { WORKSPACE_PROMPTS_FILE, type ChatSettings } from '../config';
import { ignoredSettingNames } from '../trust';
import { builtinPool, mergePools, parsePoolText, PoolError, type PromptEntry, type PromptPool } from '../core/idp';
import { resolveWorkspacePath } from '../workspacePaths';

export interface LoadedPrompts {
  prompts: PromptEntry[];
  /** One clear message per bad file. */
  errors: string[];
}

async function readPool(uri: vscode.Uri, label: string, optional: boolean): Promise<PromptPool | string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return optional
      ? undefined
      : `Prompt pool ${label} could not be read: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    return parsePoolText(new TextDecoder().decode(bytes), label);
  } catch (e) {
    return e instanceof PoolError ? e.message : String(e);
  }
}

export async function loadPrompts(settings: ChatSettings): Promise<LoadedPrompts> {
  const pools: PromptPool[] = [builtinPool()];
  const errors: string[] = [];
  // The folder's own prompt file is read once the folder is trusted (its prompts go to the model as instructions);
  // its prompts.files setting is restricted, so VS Code already gives settings.promptFiles the user's value.
  const trusted = vscode.workspace.isTrusted;
  const wanted: [string, boolean][] = [
    ...(trusted ? [[WORKSPACE_PROMPTS_FILE, true] as [string, boolean]] : []),
    ...settings.promptFiles.map((f): [string, boolean] => [f, false]),
  ];
  if (!trusted) {
    const file = resolveWorkspacePath(WORKSPACE_PROMPTS_FILE);
    if (
      file &&
      (await vscode.workspace.fs.stat(file).then(
        () => true,
        () => false,
      ))
    ) {
      errors.push(vscode.l10n.t('Prompt pool {0} not read: this folder is not trusted.', WORKSPACE_PROMPTS_FILE));
    }
    const ignored = await ignoredSettingNames(['prompts.files']);
    if (ignored) errors.push(vscode.l10n.t('{0} of this folder not used: the folder is not trusted.', ignored));
  }
  for (const [path, optional] of wanted) {
    const uri = resolveWorkspacePath(path);
    if (!uri) {
      if (!optional) errors.push(`Prompt pool ${path}: no workspace folder to resolve it against`);
      continue;
    }
    const pool = await readPool(uri, path, optional);
    if (typeof pool === 'string') errors.push(pool);
    else if (pool) pools.push(pool);
  }
  return { prompts: mergePools(pools), errors };
}

/** "prompt:<id>" anywhere in the request chooses that prompt; it is removed from the text sent on. */
export function takeOverride(prompt: string): { text: string; override?: string } {
  const m = /(^|\s)prompt:([a-z0-9][a-z0-9-]*)(?=\s|$)/.exec(prompt);
  if (!m) return { text: prompt };
  return {
    text: (prompt.slice(0, m.index) + m[1] + prompt.slice(m.index + m[0].length)).replace(/\s{2,}/g, ' ').trim(),
    override: m[2],
  };
}

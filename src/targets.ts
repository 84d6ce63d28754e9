// Resolves the configured target model to a CountTarget: a catalog model (bundled tokenizer) or a chat model
// VS Code exposes through vscode.lm (counted by the model's own countTokens, window = maxInputTokens).
import * as vscode from 'vscode';
import { formatTokens } from './core/format';
import { CATALOG, findCatalogModel } from './core/tokens/catalog';
import { CancelledError } from './core/tokens/count';
import { catalogTarget, type CountTarget } from './core/tokens/target';

export const LM_PREFIX = 'lm:';

export function lmTargetId(model: vscode.LanguageModelChat): string {
  return `${LM_PREFIX}${model.vendor}/${model.id}`;
}

export class TargetResolver implements vscode.Disposable {
  private cache = new Map<string, Promise<CountTarget>>();
  private readonly subscription: vscode.Disposable | undefined;

  constructor() {
    // Chat models come and go (sign-in, extensions); resolve them afresh when they change.
    this.subscription = vscode.lm?.onDidChangeChatModels?.(() => this.clearLmTargets());
  }

  resolve(id: string): Promise<CountTarget> {
    let pending = this.cache.get(id);
    if (!pending) {
      pending = this.create(id);
      this.cache.set(id, pending);
      pending.catch(() => this.cache.delete(id));
    }
    return pending;
  }

  private async create(id: string): Promise<CountTarget> {
    if (id.startsWith(LM_PREFIX)) {
      const [vendor, ...rest] = id.slice(LM_PREFIX.length).split('/');
      const [model] = await vscode.lm.selectChatModels({ vendor, id: rest.join('/') });
      if (!model) {
        throw new Error(`chat model ${id.slice(LM_PREFIX.length)} is not available`);
      }
      return chatModelTarget(model);
    }
    const model = findCatalogModel(id);
    if (!model) {
      throw new Error(`unknown target model '${id}'`);
    }
    return catalogTarget(model);
  }

  private clearLmTargets(): void {
    for (const key of [...this.cache.keys()]) {
      if (key.startsWith(LM_PREFIX)) {
        this.cache.delete(key);
      }
    }
  }

  dispose(): void {
    this.subscription?.dispose();
  }
}

export function chatModelTarget(model: vscode.LanguageModelChat): CountTarget {
  return {
    id: lmTargetId(model),
    label: `${model.name} (${model.vendor})`,
    contextWindow: model.maxInputTokens,
    approximate: false,
    async count(text, cancellation) {
      const source = new vscode.CancellationTokenSource();
      const poll = setInterval(() => cancellation?.isCancellationRequested && source.cancel(), 50);
      try {
        const n = await model.countTokens(text, source.token);
        if (cancellation?.isCancellationRequested) {
          throw new CancelledError();
        }
        return n;
      } finally {
        clearInterval(poll);
        source.dispose();
      }
    },
  };
}

export interface TargetPick extends vscode.QuickPickItem {
  targetId: string;
}

/** The chat models VS Code offers, for the model picker (slow when a provider is slow to answer). */
export async function chatModelPicks(current: string): Promise<TargetPick[]> {
  const picks: TargetPick[] = [];
  let chatModels: vscode.LanguageModelChat[] = [];
  try {
    chatModels = (await vscode.lm?.selectChatModels()) ?? [];
  } catch {
    chatModels = [];
  }
  if (chatModels.length) {
    picks.push({ label: vscode.l10n.t('VS Code chat models'), kind: vscode.QuickPickItemKind.Separator, targetId: '' });
    for (const m of chatModels) {
      const id = lmTargetId(m);
      picks.push({
        label: m.name,
        description: vscode.l10n.t('{0} · {1} tokens', m.vendor, formatTokens(m.maxInputTokens)),
        detail: vscode.l10n.t('counted with the model’s own tokenizer'),
        picked: id === current,
        targetId: id,
      });
    }
  }
  return picks;
}

/** The bundled catalog's models, for the model picker: there at once. */
export function catalogPicks(current: string): TargetPick[] {
  const picks: TargetPick[] = [];
  let provider = '';
  for (const m of CATALOG) {
    if (m.provider !== provider) {
      provider = m.provider;
      picks.push({ label: provider, kind: vscode.QuickPickItemKind.Separator, targetId: '' });
    }
    picks.push({
      label: m.id === current ? `$(check) ${m.label}` : m.label,
      description: vscode.l10n.t('{0} tokens · {1}', formatTokens(m.contextWindow), m.tokenizer),
      detail: m.inputPricePerMTok ? vscode.l10n.t('${0} per 1M input tokens', m.inputPricePerMTok) : undefined,
      targetId: m.id,
    });
  }
  return picks;
}

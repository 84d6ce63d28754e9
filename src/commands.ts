// Every command the extension contributes, in one table (ids match package.json's contributes.commands).
import * as vscode from 'vscode';
import type { CountTarget } from './core/tokens/target';
import { readSettings, SECTION, setTargetModel } from './config';
import { catalogPicks, chatModelPicks, type TargetPick } from './targets';
import type { BudgetStatusBar } from './statusBar';
import { type CompressionSource, SavingsPanel, type PanelDeps } from './savings/panel';
import { chatSavingsSource } from './savings/chatSavings';
import { rangeSource, sourceFromEditor, sourceFromOpenEditors } from './savings/sources';

export interface CommandContext {
  statusBar: BudgetStatusBar;
  panel: PanelDeps;
  /** Present where the host can write model files (Node). */
  downloadModel?: (request: unknown) => Promise<string | undefined>;
}

async function openSavings(ctx: CommandContext, source: CompressionSource, target?: CountTarget) {
  const panel = await SavingsPanel.show(ctx.panel, source, target);
  return panel.whenComputed();
}

type CommandTable = Record<string, (ctx: CommandContext, ...args: unknown[]) => unknown>;

/** The savings view's buttons, also as commands (palette, keybindings) while the view is open. */
function savingsAction(type: 'accept' | 'copy' | 'openInEditor' | 'sendToChat') {
  return async () => {
    const panel = SavingsPanel.current;
    if (!panel) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Context Budget: run Compress Context first; no savings view is open.'),
      );
      return undefined;
    }
    await panel.whenComputed();
    return panel.handleMessage({ type });
  };
}

/**
 * The model picker: the catalog at once, the chat models added when VS Code has listed them (a provider that is slow
 * to answer, or never does, must not keep the picker empty).
 */
function pickTarget(current: string): Promise<TargetPick | undefined> {
  const qp = vscode.window.createQuickPick<TargetPick>();
  qp.title = vscode.l10n.t('Context Budget: target model');
  qp.placeholder = vscode.l10n.t('Current: {0}', current);
  qp.matchOnDescription = true;
  const catalog = catalogPicks(current);
  qp.items = catalog;
  qp.busy = true;
  return new Promise((resolve) => {
    let done = false;
    const finish = (pick: TargetPick | undefined) => {
      if (done) return;
      done = true;
      resolve(pick);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(qp.selectedItems[0]));
    qp.onDidHide(() => finish(undefined));
    void chatModelPicks(current).then((chat) => {
      if (done) return;
      qp.busy = false;
      if (chat.length) qp.items = [...chat, ...catalog];
    });
    qp.show();
  });
}

export const COMMANDS: CommandTable = {
  'contextBudget.selectModel': async (_ctx, id?: unknown) => {
    const chosen = typeof id === 'string' && id ? id : (await pickTarget(readSettings().targetModel))?.targetId;
    if (!chosen) return undefined;
    await setTargetModel(chosen);
    // The walkthrough's first step completes on this (a pick), not on the command opening the picker.
    void vscode.commands.executeCommand('setContext', 'contextBudget.pickedTarget', true);
    return chosen;
  },
  'contextBudget.toggleCodeLens': async () => {
    const c = vscode.workspace.getConfiguration(SECTION);
    await c.update('codeLens.enabled', !readSettings().codeLensEnabled, vscode.ConfigurationTarget.Global);
  },
  /** Palette, context menu and keybinding call it bare; the "Compress" CodeLens passes (uri, range). */
  'contextBudget.compressContext': async (ctx, uri?: unknown, range?: unknown) => {
    if (uri instanceof vscode.Uri && range instanceof vscode.Range) {
      const doc = await vscode.workspace.openTextDocument(uri);
      return openSavings(ctx, rangeSource(doc, doc.validateRange(range), 'symbol in'));
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Context Budget: open a file or select text to compress.'),
      );
      return undefined;
    }
    return openSavings(ctx, await sourceFromEditor(editor));
  },
  'contextBudget.compressOpenEditors': async (ctx) => {
    const source = await sourceFromOpenEditors();
    if (!source) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Context Budget: no open text editors to compress.'));
      return undefined;
    }
    return openSavings(ctx, source);
  },
  /** Network access happens only here, on the user's explicit request. Tests pass {repo, files}. */
  'contextBudget.downloadModel': async (ctx, request?: unknown) => {
    if (!ctx.downloadModel) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Context Budget: models can be downloaded in desktop VS Code, not in the browser.'),
      );
      return undefined;
    }
    return ctx.downloadModel(request ?? {});
  },
  /** The chat footer's "Show savings" button passes the request's savings record. */
  'contextBudget.showSavings': async (ctx, savings?: unknown) => {
    const { source, target } = await chatSavingsSource(savings);
    return openSavings(ctx, source, target);
  },
  'contextBudget.savings.accept': savingsAction('accept'),
  'contextBudget.savings.copy': savingsAction('copy'),
  'contextBudget.savings.openInEditor': savingsAction('openInEditor'),
  'contextBudget.savings.sendToChat': savingsAction('sendToChat'),
  'contextBudget.showBudget': async (ctx) => {
    await ctx.statusBar.whenIdle();
    const s = ctx.statusBar.current();
    const message = s.visible
      ? s.tooltip.split('\n').slice(0, 5).join(' · ')
      : vscode.l10n.t('Context Budget: no active editor');
    void vscode.window.showInformationMessage(message);
    return s;
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, run]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => run(ctx, ...args)),
  );
}

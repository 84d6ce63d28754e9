// Every command the extension contributes, in one table (ids match package.json's contributes.commands).
import * as vscode from 'vscode';
import { readSettings, SECTION, setTargetModel } from './config';
import { targetPicks } from './targets';
import type { BudgetStatusBar } from './statusBar';

export interface CommandContext {
  statusBar: BudgetStatusBar;
}

type CommandTable = Record<string, (ctx: CommandContext, ...args: unknown[]) => unknown>;

export const COMMANDS: CommandTable = {
  'contextBudget.selectModel': async (_ctx, id?: unknown) => {
    if (typeof id === 'string' && id) {
      await setTargetModel(id);
      return id;
    }
    const current = readSettings().targetModel;
    const pick = await vscode.window.showQuickPick(targetPicks(current), {
      title: 'Context Budget: target model',
      placeHolder: `Current: ${current}`,
      matchOnDescription: true,
    });
    if (pick?.targetId) {
      await setTargetModel(pick.targetId);
      return pick.targetId;
    }
    return undefined;
  },
  'contextBudget.toggleCodeLens': async () => {
    const c = vscode.workspace.getConfiguration(SECTION);
    await c.update('codeLens.enabled', !readSettings().codeLensEnabled, vscode.ConfigurationTarget.Global);
  },
  'contextBudget.showBudget': async (ctx) => {
    await ctx.statusBar.whenIdle();
    const s = ctx.statusBar.current();
    const message = s.visible ? s.tooltip.split('\n').slice(0, 5).join(' · ') : 'Context Budget: no active editor';
    void vscode.window.showInformationMessage(message);
    return s;
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, run]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => run(ctx, ...args)),
  );
}

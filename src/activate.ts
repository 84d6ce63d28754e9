// Wires platform services (below) to features (above); shared by the Node and browser entry points.
import * as vscode from 'vscode';
import { TokenCodeLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { affectsSettings, readSettings } from './config';
import { CountService, type OffThreadCounter } from './counting';
import { BudgetStatusBar, type StatusSnapshot } from './statusBar';
import { TargetResolver } from './targets';

export interface Platform {
  offThreadCounter?: OffThreadCounter;
}

/** What activate() returns: lets tests and other extensions read the current budget state. */
export interface ContextBudgetApi {
  status(): StatusSnapshot;
  whenIdle(): Promise<void>;
}

export function activateContextBudget(context: vscode.ExtensionContext, platform: Platform): ContextBudgetApi {
  let settings = readSettings();
  const current = () => settings;
  const targets = new TargetResolver();
  const counter = new CountService(platform.offThreadCounter);
  const statusBar = new BudgetStatusBar(current, targets, counter);
  const codeLens = new TokenCodeLensProvider(current, targets, counter);

  context.subscriptions.push(
    targets,
    statusBar,
    codeLens,
    ...(platform.offThreadCounter ? [platform.offThreadCounter] : []),
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-vfs' }], codeLens),
    ...registerCommands({ statusBar }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsSettings(e)) {
        settings = readSettings();
        statusBar.schedule(0);
        codeLens.refresh();
      }
    }),
    vscode.lm?.onDidChangeChatModels?.(() => statusBar.schedule(0)) ?? { dispose() {} },
  );

  return {
    status: () => statusBar.current(),
    whenIdle: () => statusBar.whenIdle(),
  };
}

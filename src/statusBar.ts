// Status bar: tokens of the selection (or the whole file) against the budget, % of the window and cost.
// Recounts are debounced, cancelled when stale and never run on the typing path. Cancellation is cooperative
// (a counter may answer late), so only the newest recount may show (NewestWins).
import * as vscode from 'vscode';
import { budgetUsage } from './core/budget';
import { formatBytes, formatCost, formatPercent, formatTokens } from './core/format';
import { NewestWins } from './core/newestWins';
import { CancelledError } from './core/tokens/count';
import { checkCountable } from './core/tokens/guard';
import type { CountService } from './counting';
import type { Settings } from './config';
import type { TargetResolver } from './targets';
import { Idle } from './idle';

export interface StatusSnapshot {
  text: string;
  tooltip: string;
  level: 'ok' | 'warning' | 'error' | 'info';
  visible: boolean;
}

export const SELECT_MODEL_COMMAND = 'contextBudget.selectModel';

export class BudgetStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cts: vscode.CancellationTokenSource | undefined;
  /** Only the newest recount may show; an older one that finishes late is dropped. */
  private readonly shown = new NewestWins<StatusSnapshot>((s) => this.show(s));
  private snapshot: StatusSnapshot = { text: '', tooltip: '', level: 'info', visible: false };
  private readonly idle = new Idle();
  /** The text editor counted last: a focused webview (the savings view) leaves no active text editor. */
  private lastEditor: vscode.TextEditor | undefined;

  constructor(
    private readonly settings: () => Settings,
    private readonly targets: TargetResolver,
    private readonly counter: CountService,
  ) {
    this.item = vscode.window.createStatusBarItem('contextBudget.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Context Budget';
    this.item.command = SELECT_MODEL_COMMAND;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === this.counted()) {
          this.schedule();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // Also while a webview has focus: Accept in the savings view edits the document counted last.
        if (e.document === this.counted()?.document && e.contentChanges.length) {
          this.schedule();
        }
      }),
      // Closing the last editor's tab while a webview has focus changes no active editor.
      vscode.window.tabGroups.onDidChangeTabs(() => {
        if (!vscode.window.activeTextEditor) {
          this.schedule(0);
        }
      }),
    );
    this.schedule(0);
  }

  /** What the item shows now (for tests and the "show budget" command). */
  current(): StatusSnapshot {
    return { ...this.snapshot };
  }

  whenIdle(): Promise<void> {
    return this.idle.wait();
  }

  schedule(delay = this.settings().debounceMs): void {
    this.cts?.cancel();
    if (this.timer) {
      clearTimeout(this.timer);
    } else {
      this.idle.begin();
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update().finally(() => this.idle.end());
    }, delay);
  }

  private async update(): Promise<void> {
    const cts = new vscode.CancellationTokenSource();
    this.cts = cts;
    try {
      await this.shown.run(() => this.measure(cts.token));
    } finally {
      cts.dispose();
      if (this.cts === cts) {
        this.cts = undefined;
      }
    }
  }

  /**
   * The editor to count: the active one, else (a webview or another non-text editor has focus) the last one while
   * its document is still open in a tab.
   */
  private counted(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) {
      this.lastEditor = active;
      return active;
    }
    const last = this.lastEditor;
    if (!last || last.document.isClosed || !isInTab(last.document.uri)) {
      this.lastEditor = undefined;
      return undefined;
    }
    return last;
  }

  /** What the item should show for the active editor now; undefined when the recount was cancelled. */
  private async measure(token: vscode.CancellationToken): Promise<StatusSnapshot | undefined> {
    const settings = this.settings();
    const editor = this.counted();
    if (!settings.statusBarEnabled || !editor) {
      return { text: '', tooltip: '', level: 'info', visible: false };
    }
    const selection = editor.selections.filter((s) => !s.isEmpty);
    const doc = editor.document;
    const text = selection.length ? selection.map((s) => doc.getText(s)).join('\n') : doc.getText();
    const scope = selection.length ? 'selection' : 'file';
    const problem = checkCountable(text, settings.maxFileSizeBytes);
    if (problem) {
      const icon = problem.kind === 'binary' ? '$(file-binary)' : '$(warning)';
      const short = problem.kind === 'binary' ? vscode.l10n.t('binary file') : vscode.l10n.t('file too large to count');
      // Worded here rather than core's English message, so the sizes and the words follow the display language.
      const why =
        problem.kind === 'binary'
          ? vscode.l10n.t('binary content is not counted')
          : vscode.l10n.t(
              '{0} is over the {1} limit (setting {2})',
              formatBytes(problem.bytes),
              formatBytes(problem.maxBytes),
              'contextBudget.maxFileSizeKB',
            );
      return { text: `${icon} ${short}`, tooltip: `Context Budget: ${why}`, level: 'info', visible: true };
    }
    try {
      const target = await this.targets.resolve(settings.targetModel);
      const tokens = await this.counter.count(text, target, token);
      if (token.isCancellationRequested) {
        return undefined;
      }
      const usage = budgetUsage(tokens, target, settings);
      const approx = target.approximate ? '≈' : '';
      const icon = scope === 'selection' ? '$(selection)' : '$(file-text)';
      const label = `${icon} ${approx}${formatTokens(tokens)} / ${formatTokens(usage.budget)} · ${formatPercent(usage.fractionOfWindow)} · ${formatCost(usage.costUsd)}`;
      const tooltip = [
        target.approximate
          ? vscode.l10n.t('Context Budget — {0} (approximate tokenizer)', target.label)
          : vscode.l10n.t('Context Budget — {0}', target.label),
        scope === 'selection'
          ? vscode.l10n.t('Selection: {0} tokens', formatTokens(tokens))
          : vscode.l10n.t('File: {0} tokens', formatTokens(tokens)),
        vscode.l10n.t(
          'Budget: {0} tokens ({1} used)',
          formatTokens(usage.budget),
          formatPercent(usage.fractionOfBudget),
        ),
        vscode.l10n.t(
          'Context window: {0} tokens ({1})',
          formatTokens(target.contextWindow),
          formatPercent(usage.fractionOfWindow),
        ),
        vscode.l10n.t('Input cost: {0}', formatCost(usage.costUsd)),
        vscode.l10n.t('Click to choose the target model'),
      ].join('\n');
      return { text: label, tooltip, level: usage.level, visible: true };
    } catch (err) {
      if (err instanceof CancelledError || token.isCancellationRequested) {
        return undefined;
      }
      const message = err instanceof Error ? err.message : String(err);
      return { text: '$(error) Context Budget', tooltip: `Context Budget: ${message}`, level: 'error', visible: true };
    }
  }

  private show(s: StatusSnapshot): void {
    this.snapshot = s;
    if (!s.visible) {
      this.item.hide();
      return;
    }
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.backgroundColor =
      s.level === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : s.level === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.idle.end();
    }
    this.cts?.cancel();
    this.shown.invalidate();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function isInTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key),
  );
}

// The savings panel's host side: computes the compression for one source, keeps the view state (so a hidden
// and re-shown panel restores it), and carries out the user's decision. Accept is one undoable edit and is
// refused when the document changed since the compression.
import * as vscode from 'vscode';
import { NO_EXPAND_TOOL } from '../core/elisions';
import { formatChange } from '../core/format';
import { CancelledError } from '../core/tokens/count';
import type { PlanSource } from '../core/planner';
import type { CountTarget } from '../core/tokens/target';
import { outcomeOf, type CompressionService, type CompressOutcome } from '../compression/service';
import {
  type CompressionOptions,
  type HostMessage,
  parseWebviewMessage,
  type ViewResult,
  type ViewState,
  type WebviewMessage,
} from '../webviewProtocol';
import { savingsPanelHtml, savingsPanelResourceRoots } from './panelHtml';
import { viewStrings } from './viewStrings';

export interface CompressionSource {
  label: string;
  languageId: string;
  text: string;
  /** Where Accept writes; absent when the source is not one document range (e.g. several editors). */
  replace?: { uri: vscode.Uri; range: vscode.Range; version: number };
  /** Several sources that share the budget (Compress Open Editors); `text` is then unused. */
  parts?: PlanSource[];
  /** A result computed elsewhere (a chat request): shown as is, not recomputed. */
  fixed?: CompressOutcome;
}

export interface PanelDeps {
  extensionUri: vscode.Uri;
  compression: CompressionService;
  target(): Promise<CountTarget>;
  defaultOptions(target: CountTarget): CompressionOptions;
  /** The setting, read at each run (the view's form does not carry it). */
  protectIdentifiers(): boolean;
  log: vscode.LogOutputChannel;
}

export type AcceptOutcome = 'replaced' | 'refused-changed' | 'not-replaceable' | 'no-result';

export class SavingsPanel implements vscode.Disposable {
  static current: SavingsPanel | undefined;
  static readonly viewType = 'contextBudget.savings';

  private state: ViewState;
  private outcome: CompressOutcome | undefined;
  private cts: vscode.CancellationTokenSource | undefined;
  private computing: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reuses) the panel for a source and starts computing. */
  static async show(deps: PanelDeps, source: CompressionSource, forTarget?: CountTarget): Promise<SavingsPanel> {
    const target = forTarget ?? (await deps.target());
    if (SavingsPanel.current) {
      SavingsPanel.current.setSource(source, target);
      SavingsPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return SavingsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      SavingsPanel.viewType,
      vscode.l10n.t('Context Budget: Savings'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: savingsPanelResourceRoots(deps.extensionUri),
      },
    );
    SavingsPanel.current = new SavingsPanel(panel, deps, source, target);
    // Shows the view's actions (Accept, Copy, …) in the command palette while it is open.
    void vscode.commands.executeCommand('setContext', 'contextBudget.savingsViewOpen', true);
    return SavingsPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    private source: CompressionSource,
    private target: CountTarget,
  ) {
    this.state = this.initialState(deps.defaultOptions(target));
    panel.webview.html = savingsPanelHtml(panel.webview, deps.extensionUri, viewStrings());
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => void this.handleMessage(m)),
    );
    this.recompute();
  }

  /** The state the webview shows (for tests and the chat footer). */
  current(): ViewState {
    return structuredClone(this.state);
  }

  whenComputed(): Promise<ViewState> {
    return this.computing.then(() => this.current());
  }

  setSource(source: CompressionSource, target: CountTarget): void {
    this.source = source;
    this.target = target;
    this.state = { ...this.initialState(this.state.options) };
    this.recompute();
  }

  /** Entry for every webview message; anything invalid is logged and ignored, never thrown. */
  async handleMessage(raw: unknown): Promise<AcceptOutcome | undefined> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`savings view: ignored invalid message: ${parsed.error.slice(0, 500)}`);
      return undefined;
    }
    const msg: WebviewMessage = parsed.value;
    try {
      switch (msg.type) {
        case 'ready':
          this.post({ type: 'state', state: this.state });
          return undefined;
        case 'setOptions':
          this.state = { ...this.state, options: msg.options };
          this.recompute();
          return undefined;
        case 'recompute':
          this.recompute();
          return undefined;
        case 'downloadModel':
          // The download command asks for the repo and reports progress; refresh the choices afterwards.
          await vscode.commands.executeCommand('contextBudget.downloadModel');
          this.state = { ...this.state, compressors: this.deps.compression.compressors() };
          this.post({ type: 'state', state: this.state });
          return undefined;
        case 'accept':
          return await this.accept();
        case 'copy':
          if (this.outcome) {
            await vscode.env.clipboard.writeText(this.outcome.text);
            this.post({ type: 'notice', text: vscode.l10n.t('Copied the compressed text.') });
          }
          return undefined;
        case 'openInEditor':
          if (this.outcome) {
            const doc = await vscode.workspace.openTextDocument({
              content: this.outcome.text,
              language: this.source.languageId,
            });
            await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
          }
          return undefined;
        case 'sendToChat':
          if (this.outcome) {
            await vscode.commands.executeCommand('workbench.action.chat.open', {
              query: this.outcome.text,
              isPartialQuery: true,
            });
          }
          return undefined;
      }
    } catch (err) {
      this.deps.log.error(`savings view: ${msg.type} failed: ${String(err)}`);
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Context Budget: {0} failed: {1}', msg.type, err instanceof Error ? err.message : String(err)),
      );
    }
    return undefined;
  }

  async accept(): Promise<AcceptOutcome> {
    const outcome = this.outcome;
    const replace = this.source.replace;
    if (!outcome || outcome.untouched) {
      return 'no-result';
    }
    if (!replace) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Context Budget: this compression spans several sources; copy it or send it to chat instead.'),
      );
      return 'not-replaceable';
    }
    if (outcome.focusExcerpts) {
      // The excerpts and their headers would land in the file; they are there for a model, not for the code.
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Context Budget: with a Focus question the result adds excerpts kept whole for it; copy it or send it to chat instead.',
        ),
      );
      return 'not-replaceable';
    }
    const doc = await vscode.workspace.openTextDocument(replace.uri);
    if (doc.version !== replace.version || doc.getText(replace.range) !== this.source.text) {
      const recompute = vscode.l10n.t('Recompute');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t('Context Budget: the document changed since it was compressed, so nothing was replaced.'),
          recompute,
        )
        .then((choice) => choice === recompute && this.recomputeFromDocument(doc));
      this.post({
        type: 'notice',
        text: vscode.l10n.t('Not replaced: the document changed since the compression. Recompute first.'),
      });
      return 'refused-changed';
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(replace.uri, replace.range, outcome.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      throw new Error('the editor rejected the edit');
    }
    // The source is now the compressed text; a second Accept would compress an already compressed range.
    this.source = { ...this.source, replace: undefined };
    this.state = { ...this.state, source: { ...this.state.source, canReplace: false } };
    this.post({ type: 'state', state: this.state });
    this.post({
      type: 'notice',
      text: vscode.l10n.t(
        'Replaced: {0} tokens. Undo restores the original.',
        formatChange(outcome.originalTokens, outcome.compressedTokens),
      ),
    });
    return 'replaced';
  }

  private recomputeFromDocument(doc: vscode.TextDocument): void {
    const replace = this.source.replace;
    if (!replace) {
      return;
    }
    const range = doc.validateRange(replace.range);
    this.source = { ...this.source, text: doc.getText(range), replace: { uri: doc.uri, range, version: doc.version } };
    this.recompute();
  }

  recompute(): void {
    this.cts?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.cts = cts;
    this.outcome = undefined;
    this.state = { ...this.state, busy: true, progress: null, error: null, result: null };
    this.post({ type: 'state', state: this.state });
    const source = this.source;
    let lastProgress = 0;
    const options = this.state.options;
    const compression = this.deps.compression;
    const several = !!source.parts;
    const sources: PlanSource[] = source.parts ?? [
      {
        id: 'source',
        label: source.label,
        text: source.text,
        languageId: source.languageId,
        priority: 100,
      },
    ];
    this.computing = (
      source.fixed
        ? Promise.resolve(source.fixed)
        : compression
            .plan({
              sources,
              budget: options.budget,
              ...(options.mode === 'rate' ? { rate: options.rate } : {}),
              ...(options.question ? { question: options.question } : {}),
              compressor: options.compressor,
              forceTokens: options.forceTokens,
              keepDigits: options.keepDigits,
              protectIdentifiers: this.deps.protectIdentifiers(),
              // The text goes to the user's file (Accept), the clipboard or chat: each marker says which lines of
              // the original it stands for and the functions inside (the original stays one undo away).
              reversible: true,
              expandTool: NO_EXPAND_TOOL,
              // The target's own count: a chat model's countTokens for lm: targets, so Accept writes text within
              // the budget by that model's count.
              target: this.target,
              cancellation: cts.token,
              onProgress: (done: number, total: number) => {
                const now = Date.now();
                if (now - lastProgress > 100) {
                  lastProgress = now;
                  this.post({ type: 'progress', done: Math.round(done), total: Math.round(total) });
                }
              },
            })
            .then((plan) => outcomeOf(plan, several))
    )
      .then(
        (outcome) => {
          if (cts.token.isCancellationRequested) {
            return;
          }
          this.outcome = outcome;
          const canReplace = !!this.source.replace && !outcome.focusExcerpts;
          this.state = {
            ...this.state,
            busy: false,
            result: this.toView(outcome),
            source: { ...this.state.source, canReplace },
          };
        },
        (err: unknown) => {
          if (cts.token.isCancellationRequested || err instanceof CancelledError) {
            return;
          }
          this.deps.log.warn(`compression failed: ${String(err)}`);
          this.state = { ...this.state, busy: false, error: err instanceof Error ? err.message : String(err) };
        },
      )
      .finally(() => {
        if (this.cts === cts) {
          this.cts = undefined;
          this.post({ type: 'state', state: this.state });
        }
        cts.dispose();
      });
  }

  private toView(o: CompressOutcome): ViewResult {
    const price = this.target.inputPricePerMTok;
    return {
      method: o.method,
      notes: o.notes,
      originalTokens: o.originalTokens,
      compressedTokens: o.compressedTokens,
      budget: o.budget,
      contextWindow: this.target.contextWindow,
      costBeforeUsd: price === undefined ? null : (o.originalTokens * price) / 1e6,
      costAfterUsd: price === undefined ? null : (o.compressedTokens * price) / 1e6,
      compressedText: o.text,
      segments: o.segments.map((s) => ({
        text: o.sourceText.slice(s.start, s.end),
        status: s.status,
        ...(s.pKeep !== undefined ? { pKeep: s.pKeep } : {}),
        ...(s.replacement !== undefined ? { replacement: s.replacement } : {}),
      })),
      sources: o.sources,
      untouched: o.untouched,
    };
  }

  private initialState(options: CompressionOptions): ViewState {
    return {
      source: { label: this.source.label, languageId: this.source.languageId, canReplace: !!this.source.replace },
      model: { label: this.target.label, approximate: this.target.approximate },
      options,
      compressors: this.deps.compression.compressors(),
      busy: false,
      progress: null,
      result: null,
      error: null,
    };
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.cts?.cancel();
    if (SavingsPanel.current === this) {
      SavingsPanel.current = undefined;
      void vscode.commands.executeCommand('setContext', 'contextBudget.savingsViewOpen', false);
    }
    vscode.Disposable.from(...this.disposables).dispose();
    this.panel.dispose();
  }
}

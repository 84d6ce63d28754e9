// Wires platform services (below) to features (above); shared by the Node and browser entry points.
import * as vscode from 'vscode';
import { localWords } from './explainWords';
import { TokenCodeLensProvider } from './codeLens';
import { registerChatFeatures } from './chat';
import { registerCommands } from './commands';
import { affectsSettings, readSettings } from './config';
import { CompressionService } from './compression/service';
import { ElisionFile } from './elisionPersistence';
import { modelProvider, type ModelCompressorFactory, structuralProvider } from './compression/providers';
import { effectiveBudget } from './core/budget';
import { setNumberLocale } from './core/format';
import { CountService, type OffThreadCounter } from './counting';
import { SavingsPanel, type PanelDeps } from './savings/panel';
import { BudgetStatusBar, type StatusSnapshot } from './statusBar';
import { TargetResolver } from './targets';
import { tellIgnoredModelPath, trustNotices } from './trust';

export interface Platform {
  offThreadCounter?: OffThreadCounter;
  modelCompressor?: ModelCompressorFactory;
  downloadModel?: (storage: vscode.Uri, request: unknown) => Promise<string | undefined>;
}

/** What activate() returns: lets tests and other extensions read the current budget state. */
export interface ContextBudgetApi {
  status(): StatusSnapshot;
  whenIdle(): Promise<void>;
  /** How long loading the bundle (from its first line) and activate() took, in ms; see ActivationTimings. */
  timings(): ActivationTimings;
  /** Messages shown this session about an untrusted folder's settings not being used. */
  trustNotices(): Promise<readonly string[]>;
  /** Resolves once the originals behind markers so far are in the workspace's storage (at once without one). */
  elisionsSaved(): Promise<void>;
}

export interface ActivationTimings {
  /** From the bundle's first line (esbuild.mjs's banner) to activate(); undefined when not run from a bundle. */
  loadMs: number | undefined;
  /** The bundle's own top level, first line to last (its requires included); undefined where not recorded. */
  evalMs: number | undefined;
  /** activate() from its start to its return. */
  activateMs: number;
  /** Node host: whether the tokenizer rank tables (dist/tokenizers.js) were loaded by the time activate() returned. */
  rankTablesLoaded?: boolean;
}

/** Set by the bundles' banner (esbuild.mjs) on their first line, and (Node bundles) by their footer on the last. */
declare const __bundleStart: number | undefined;
declare const __bundleLoaded: number | undefined;

export function activateContextBudget(context: vscode.ExtensionContext, platform: Platform): ContextBudgetApi {
  const started = performance.now();
  setNumberLocale(vscode.env.language);
  const loadMs = typeof __bundleStart === 'number' ? started - __bundleStart : undefined;
  const evalMs =
    typeof __bundleStart === 'number' && typeof __bundleLoaded === 'number'
      ? __bundleLoaded - __bundleStart
      : undefined;
  let settings = readSettings();
  const current = () => settings;
  const targets = new TargetResolver();
  const counter = new CountService(platform.offThreadCounter);
  const statusBar = new BudgetStatusBar(current, targets, counter);
  const codeLens = new TokenCodeLensProvider(current, targets, counter);
  // One model provider for the panel and chat, so a loaded model (and its worker) is shared.
  const model = modelProvider(() => settings.compression.modelPath, platform.modelCompressor, {
    unloadAfterMs: () => settings.compression.unloadModelAfterMinutes * 60_000,
    wasmSessions: () => settings.compression.wasmSessions,
    device: () => settings.compression.device,
  });
  const log = vscode.window.createOutputChannel('Context Budget', { log: true });
  const elisionFile = context.storageUri ? new ElisionFile(context.storageUri, (m) => log.warn(m)) : undefined;
  const compression = new CompressionService(
    { structural: structuralProvider(context.extensionUri), llmlingua2: model },
    (modelAvailable) => ({
      label: vscode.l10n.t('Auto'),
      detail: modelAvailable
        ? vscode.l10n.t('LLMLingua-2 for prose, structural for code')
        : vscode.l10n.t('structural (offline; no model installed)'),
    }),
    localWords,
    (lines) => lines.forEach((line) => log.debug(line)),
    elisionFile,
  );
  // Originals of earlier sessions' markers in this workspace: the expand tool waits for them (store.ready()).
  void compression.elisions.load();
  const panel: PanelDeps = {
    extensionUri: context.extensionUri,
    compression,
    log,
    target: () => targets.resolve(settings.targetModel),
    protectIdentifiers: () => settings.compression.protectIdentifiers,
    defaultOptions: (target) => {
      const c = settings.compression;
      return {
        mode: c.mode,
        rate: c.rate,
        budget: c.budgetTokens || effectiveBudget(target, settings),
        compressor: c.compressor,
        forceTokens: c.forceTokens,
        keepDigits: c.keepDigits,
      };
    },
  };

  context.subscriptions.push(
    targets,
    statusBar,
    codeLens,
    ...(platform.offThreadCounter ? [platform.offThreadCounter] : []),
    vscode.languages.registerCodeLensProvider(
      [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-vfs' }, { scheme: 'vscode-remote' }],
      codeLens,
    ),
    log,
    model,
    { dispose: () => SavingsPanel.current?.dispose() },
    ...registerCommands({
      statusBar,
      panel,
      downloadModel:
        platform.downloadModel && ((request) => platform.downloadModel!(context.globalStorageUri, request)),
    }),
    ...registerChatFeatures(compression, () => model.promptEncoder()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsSettings(e)) {
        if (
          e.affectsConfiguration('contextBudget.compression.modelPath') ||
          e.affectsConfiguration('contextBudget.compression.device')
        ) {
          model.dispose();
        }
        settings = readSettings();
        statusBar.schedule(0);
        codeLens.refresh();
        void tellIgnoredModelPath();
      }
    }),
    // Trusting the folder brings its restricted settings (the model path among them) into force.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      model.dispose();
      settings = readSettings();
      statusBar.schedule(0);
      codeLens.refresh();
    }),
    vscode.lm?.onDidChangeChatModels?.(() => statusBar.schedule(0)) ?? { dispose() {} },
  );

  const told = tellIgnoredModelPath();
  const activateMs = performance.now() - started;
  return {
    timings: () => ({ loadMs, evalMs, activateMs }),
    status: () => statusBar.current(),
    whenIdle: () => statusBar.whenIdle(),
    elisionsSaved: async () => {
      await compression.elisions.ready();
      await elisionFile?.flushed();
    },
    trustNotices: async () => {
      await told;
      return trustNotices();
    },
  };
}

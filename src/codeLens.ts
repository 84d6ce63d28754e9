// "≈ N tokens" above each top-level symbol (and each method of a top-level type; every Markdown heading).
// provideCodeLenses only asks for symbols; counting happens in resolveCodeLens, so only visible lenses cost.
import * as vscode from 'vscode';
import { formatTokens } from './core/format';
import { checkCountable } from './core/tokens/guard';
import type { Settings } from './config';
import type { CountService } from './counting';
import type { TargetResolver } from './targets';

const CONTAINER_KINDS = new Set([
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Enum,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Namespace,
]);
const MEMBER_KINDS = new Set([vscode.SymbolKind.Method, vscode.SymbolKind.Constructor, vscode.SymbolKind.Function]);

class TokenLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly document: vscode.TextDocument,
    readonly version: number,
  ) {
    super(range);
  }
}

/** The symbols that get a lens: top level, members of top-level types, and for Markdown every heading. */
export function lensSymbols(symbols: vscode.DocumentSymbol[], languageId: string): vscode.DocumentSymbol[] {
  const out: vscode.DocumentSymbol[] = [];
  const markdown = languageId === 'markdown';
  const visit = (s: vscode.DocumentSymbol, depth: number) => {
    if (depth === 0 || markdown || MEMBER_KINDS.has(s.kind)) {
      out.push(s);
    }
    if (markdown || (depth === 0 && CONTAINER_KINDS.has(s.kind))) {
      s.children.forEach((c) => visit(c, depth + 1));
    }
  };
  symbols.forEach((s) => visit(s, 0));
  return out;
}

export class TokenCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Counts by document version and range, so scrolling back does not recount. */
  private cache = new Map<string, number>();

  constructor(
    private readonly settings: () => Settings,
    private readonly targets: TargetResolver,
    private readonly counter: CountService,
  ) {}

  refresh(): void {
    this.cache.clear();
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const settings = this.settings();
    if (!settings.codeLensEnabled || checkCountable(document.getText(), settings.maxFileSizeBytes)) {
      return [];
    }
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
    if (token.isCancellationRequested || !symbols?.length || !('children' in symbols[0]!)) {
      return [];
    }
    const lenses: vscode.CodeLens[] = [];
    for (const s of lensSymbols(symbols, document.languageId)) {
      lenses.push(
        new TokenLens(
          new vscode.Range(s.range.start.line, 0, s.range.end.line, s.range.end.character),
          document,
          document.version,
        ),
      );
      lenses.push(
        new vscode.CodeLens(s.range, {
          title: vscode.l10n.t('Compress'),
          command: 'contextBudget.compressContext',
          arguments: [document.uri, s.range],
          tooltip: vscode.l10n.t('Compress {0} and preview the savings', s.name),
        }),
      );
    }
    return lenses;
  }

  async resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): Promise<vscode.CodeLens> {
    if (!(lens instanceof TokenLens)) {
      return lens;
    }
    const settings = this.settings();
    const key = `${settings.targetModel}|${lens.document.uri}|${lens.version}|${lens.range.start.line}:${lens.range.end.line}:${lens.range.end.character}`;
    let tokens = this.cache.get(key);
    if (tokens === undefined) {
      const target = await this.targets.resolve(settings.targetModel);
      if (lens.document.version !== lens.version) {
        // The range belongs to an older text: counting today's text in it would be a wrong count under this key.
        // The edit makes VS Code ask for fresh lenses.
        lens.command = {
          title: vscode.l10n.t('≈ … tokens'),
          command: '',
          tooltip: vscode.l10n.t('The document changed; recounting'),
        };
        return lens;
      }
      tokens = await this.counter.count(lens.document.getText(lens.range), target, token);
      if (this.settings().targetModel !== settings.targetModel) {
        // The target changed while counting; refresh() has asked VS Code for lenses counted for the new one.
        lens.command = {
          title: vscode.l10n.t('≈ … tokens'),
          command: '',
          tooltip: vscode.l10n.t('The target model changed; recounting'),
        };
        return lens;
      }
      this.cache.set(key, tokens);
      if (this.cache.size > 5000) {
        this.cache = new Map([...this.cache].slice(-2500));
      }
    }
    lens.command = {
      title: vscode.l10n.t('≈ {0} tokens', formatTokens(tokens)),
      command: '',
      tooltip: vscode.l10n.t('Tokens for {0}', settings.targetModel),
    };
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

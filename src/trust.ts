// Telling the user why an untrusted folder's settings are not used (see src/restricted.ts): VS Code silently falls
// back to the user's values, which would otherwise look like the extension ignoring the folder.
import * as vscode from 'vscode';
import { ignoredUntrustedSettings, SECTION } from './config';
import type { RestrictedSetting } from './restricted';

const shown = new Set<string>();
const notices: string[] = [];

/** Every trust message shown this session (read by tests through the extension's API). */
export function trustNotices(): readonly string[] {
  return notices;
}

/** The ignored settings among `keys`, named in full ("contextBudget.models.baseUrl, …"); empty when none. */
export async function ignoredSettingNames(keys: readonly RestrictedSetting[]): Promise<string> {
  return (await ignoredUntrustedSettings(keys)).map((k) => `${SECTION}.${k}`).join(', ');
}

/** Shows `message` once per session, with a button to manage the folder's trust. */
export function tellUntrusted(message: string): void {
  if (shown.has(message)) return;
  shown.add(message);
  notices.push(message);
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showWarningMessage(message, manage).then((pick) => {
    if (pick === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

/** At activation and when settings change: the folder's compressor model path, if set and ignored. */
export async function tellIgnoredModelPath(): Promise<void> {
  const names = await ignoredSettingNames(['compression.modelPath']);
  if (names) {
    tellUntrusted(
      vscode.l10n.t(
        'Context Budget: this folder is not trusted, so its setting {0} is not used; the compressor model comes from your user settings.',
        names,
      ),
    );
  }
}

// Language-model tool `contextBudget_expand`: a model that reads compressed context asks for a region that was cut
// (`… #k3f9a2c1`) by its id and gets the original back from the session's store. @budget answers the same calls
// itself in its tool loop (src/chat/expandLoop.ts) with `expandAnswer`.
import * as vscode from 'vscode';
import type { ElisionStore } from '../core/elisions';

export const EXPAND_TOOL_NAME = 'contextBudget_expand';

/** Said to the model wherever compressed context with markers reaches it. */
export const EXPAND_HINT = `Cut regions read "… #id"; call ${EXPAND_TOOL_NAME} with the id to get one back.`;

export interface ExpandToolInput {
  id?: string;
}

/** The original for an id (with or without its `#`), or a message that tells the model what to do instead. */
export function expandAnswer(store: ElisionStore, input: unknown): { text: string; found: boolean } {
  const raw = typeof input === 'object' && input !== null ? (input as ExpandToolInput).id : undefined;
  const id = typeof raw === 'string' ? raw.trim().replace(/^#/, '') : '';
  if (!id) {
    return { text: 'contextBudget_expand needs `id`: the id after "… #" in a marker, e.g. k3f9a2c1.', found: false };
  }
  const original = store.get(id);
  if (original === undefined) {
    return {
      text:
        `No elided text with id #${id} is kept: the id is unknown, or it expired (originals are kept for this ` +
        'session in limited memory). Ask the user for the file, or read it with a file tool, instead.',
      found: false,
    };
  }
  return { text: original, found: true };
}

export class ExpandTool implements vscode.LanguageModelTool<ExpandToolInput> {
  constructor(private readonly store: ElisionStore) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<ExpandToolInput>,
  ): vscode.PreparedToolInvocation {
    const id = String(options.input?.id ?? '').replace(/^#/, '');
    return { invocationMessage: vscode.l10n.t('Expanding elided context #{0}', id) };
  }

  invoke(options: vscode.LanguageModelToolInvocationOptions<ExpandToolInput>): vscode.LanguageModelToolResult {
    const { text } = expandAnswer(this.store, options.input);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
  }
}

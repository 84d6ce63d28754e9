// Language-model tool `contextBudget_expand`: a model that reads compressed context asks for a region that was cut
// (`… lines 12–30 elided — contextBudget_expand("k3f9a2c1")`) by its id and gets the original back from the
// workspace's store (kept across reloads); an id whose original is gone gets the file and lines to read instead. @budget answers the same calls
// itself in its tool loop (src/chat/expandLoop.ts) with `expandAnswer`.
import * as vscode from 'vscode';
import { parseElisionId, type ElisionStore } from '../core/elisions';
import { expandAnswer as answerFromStore, type ExpandAnswer } from '../core/expandAnswer';

import { EXPAND_TOOL_NAME } from '../compression/service';
import { TOOL_NAME } from './tool';

export { EXPAND_TOOL_NAME };

/** Said to the model wherever compressed context with markers reaches it. */
export const EXPAND_HINT = `Each cut region's marker names its lines and the call that brings it back: call ${EXPAND_TOOL_NAME} with the id to get one back.`;

export interface ExpandToolInput {
  id?: string;
}

/** The original for an id (with or without its `#`), or a message that tells the model what to do instead. */
export function expandAnswer(store: ElisionStore, input: unknown): ExpandAnswer {
  const raw = typeof input === 'object' && input !== null ? (input as ExpandToolInput).id : undefined;
  return answerFromStore(store, raw, {
    expandTool: EXPAND_TOOL_NAME,
    compressTool: TOOL_NAME,
    keptWhere: 'originals are kept per workspace in limited space',
  });
}

export class ExpandTool implements vscode.LanguageModelTool<ExpandToolInput> {
  constructor(private readonly store: ElisionStore) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<ExpandToolInput>,
  ): vscode.PreparedToolInvocation {
    const id = parseElisionId(options.input?.id) ?? String(options.input?.id ?? '').replace(/^#/, '');
    return { invocationMessage: vscode.l10n.t('Expanding elided context #{0}', id) };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<ExpandToolInput>,
  ): Promise<vscode.LanguageModelToolResult> {
    // Right after activation the workspace's originals may still be loading.
    await this.store.ready();
    const { text } = expandAnswer(this.store, options.input);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
  }
}

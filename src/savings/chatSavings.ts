// The chat footer's "Show savings": a chat request's compression, shown in the savings view as computed.
import * as vscode from 'vscode';
import { z } from 'zod';
import type { CompressOutcome } from '../compression/service';
import { formatChange } from '../core/format';
import type { CountTarget } from '../core/tokens/target';
import { chatModelTarget } from '../targets';
import type { CompressionSource } from './panel';

/** The part of the chat participant's ChatSavings this view needs; commands can be called with anything. */
const ChatSavingsShape = z.object({
  request: z.string(),
  model: z.object({ vendor: z.string(), id: z.string() }).optional(),
  budget: z.number(),
  originalTokens: z.number(),
  compressedTokens: z.number(),
  prompt: z.object({ title: z.string(), reason: z.string() }).optional(),
  sources: z.array(
    z.object({
      label: z.string(),
      level: z.string(),
      tokens: z.number(),
      originalTokens: z.number(),
      reason: z.string(),
      /** What ran, in words (the planner's explanation); older records have only the reason. */
      explanation: z.string().optional(),
    }),
  ),
  notes: z.array(z.string()),
  text: z.string(),
});

export async function chatSavingsSource(raw: unknown): Promise<{ source: CompressionSource; target?: CountTarget }> {
  const parsed = ChatSavingsShape.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`not a chat savings record: ${z.prettifyError(parsed.error)}`);
  }
  const s = parsed.data;
  const fixed: CompressOutcome = {
    text: s.text,
    sourceText: s.text,
    originalTokens: s.originalTokens,
    compressedTokens: s.compressedTokens,
    budget: s.budget,
    method: 'chat request (budget planner)',
    segments: s.text ? [{ start: 0, end: s.text.length, status: 'kept' }] : [],
    notes: [
      ...(s.prompt ? [`prompt: ${s.prompt.title} — ${s.prompt.reason}`] : []),
      ...s.sources.map(
        // The explanation words the level in the display language; the raw level name would not be.
        (x) => `${x.label} (${formatChange(x.originalTokens, x.tokens)}): ${x.explanation ?? x.reason}`,
      ),
      ...s.notes,
    ],
    sources: s.sources.map((x) => ({
      label: x.label,
      originalTokens: x.originalTokens,
      tokens: x.tokens,
      explanation: x.explanation ?? x.level,
    })),
    untouched: s.compressedTokens === s.originalTokens,
    // A chat record is never replaceable (no source range), so its excerpts need no count here.
    focusExcerpts: 0,
  };
  let target: CountTarget | undefined;
  if (s.model) {
    const [model] = await vscode.lm.selectChatModels({ vendor: s.model.vendor, id: s.model.id });
    target = model && chatModelTarget(model);
  }
  const label = `chat: ${s.request.length > 60 ? `${s.request.slice(0, 57)}…` : s.request}`;
  return { source: { label, languageId: 'markdown', text: s.text, fixed }, target };
}

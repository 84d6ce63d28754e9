// Every message between the extension host and the savings webview, defined once and validated on both ends.
// No vscode import: the webview bundle includes this module too.
import { z } from 'zod';

/** Upper bounds keep a malformed or hostile message from costing memory (the webview is a trust boundary). */
const MAX_TEXT = 8 * 1024 * 1024;
const MAX_FORCE_TOKENS = 200;
/** The Focus field: a question, not a document. */
export const MAX_QUESTION = 2000;

export const CompressorChoice = z.enum(['auto', 'structural', 'llmlingua2']);
export type CompressorChoice = z.infer<typeof CompressorChoice>;

export const CompressionOptions = z.object({
  mode: z.enum(['budget', 'rate']),
  budget: z.number().int().min(1).max(10_000_000),
  rate: z.number().min(0.01).max(1),
  compressor: CompressorChoice,
  forceTokens: z.array(z.string().min(1).max(100)).max(MAX_FORCE_TOKENS),
  keepDigits: z.boolean(),
  /** The Focus field: what the user asks about the source; the units it names are kept whole first. */
  question: z.string().max(MAX_QUESTION).optional(),
});
export type CompressionOptions = z.infer<typeof CompressionOptions>;

export const ViewSegment = z.object({
  text: z.string(),
  status: z.enum(['kept', 'dropped', 'elided']),
  pKeep: z.number().optional(),
  replacement: z.string().optional(),
});
export type ViewSegment = z.infer<typeof ViewSegment>;

/** What the packer gave one source, in the target's tokens (one row of the picture for several sources). */
export const ViewSource = z.object({
  label: z.string(),
  originalTokens: z.number(),
  tokens: z.number(),
  /** What ran on it, in words ("structural: signatures", "omitted", …). */
  explanation: z.string(),
  /** What ran on it without what it kept or why ("structural: signatures"), in words; the method row's text. */
  what: z.string().max(2000).optional(),
});
export type ViewSource = z.infer<typeof ViewSource>;

export const ViewResult = z.object({
  /** What ran, as an id ("structural:signatures", "llmlingua2", "packer"); the view shows methodText instead. */
  method: z.string(),
  notes: z.array(z.string()),
  originalTokens: z.number(),
  compressedTokens: z.number(),
  budget: z.number(),
  contextWindow: z.number(),
  costBeforeUsd: z.number().nullable(),
  costAfterUsd: z.number().nullable(),
  compressedText: z.string(),
  segments: z.array(ViewSegment),
  sources: z.array(ViewSource),
  /** True when the whole source already fit and was returned untouched. */
  untouched: z.boolean(),
});
export type ViewResult = z.infer<typeof ViewResult>;

export const ViewState = z.object({
  source: z.object({ label: z.string(), languageId: z.string(), canReplace: z.boolean() }),
  model: z.object({ label: z.string(), approximate: z.boolean() }),
  options: CompressionOptions,
  compressors: z.array(
    z.object({ id: CompressorChoice, label: z.string(), available: z.boolean(), detail: z.string() }),
  ),
  busy: z.boolean(),
  progress: z.object({ done: z.number(), total: z.number() }).nullable(),
  result: ViewResult.nullable(),
  error: z.string().nullable(),
});
export type ViewState = z.infer<typeof ViewState>;

/**
 * Every text the view shows, translated by the host (vscode.l10n, the extension's l10n bundle) and embedded in the
 * page. `{0}`, `{1}` are filled in by the view. The keys are the contract; the English values are in
 * src/savings/viewStrings.ts.
 */
export const VIEW_STRING_KEYS = [
  'pageTitle',
  'title',
  'sourceAndTarget',
  'approximate',
  'compressing',
  'compressingProgress',
  'savings',
  'tokensBefore',
  'tokensAfter',
  'overBudget',
  'saved',
  'budget',
  'inputCost',
  'method',
  'alreadyFits',
  'pictureSummary',
  'legendBefore',
  'legendAfter',
  'legendBudget',
  'legendWindow',
  'windowBeyond',
  'sourcesTitle',
  'sourceRow',
  'settings',
  'targetSize',
  'modeBudget',
  'modeRate',
  'budgetField',
  'budgetAria',
  'keepRate',
  'rateAria',
  'focus',
  'focusPlaceholder',
  'focusAria',
  'compressor',
  'notInstalled',
  'forceTokens',
  'forceAria',
  'keepDigits',
  'modelOffer',
  'download',
  'budgetInvalid',
  'decision',
  'accept',
  'copy',
  'open',
  'chat',
  'acceptTitle',
  'acceptSeveral',
  'textTitle',
  'legendKept',
  'legendDropped',
  'legendElided',
  'spanCounts',
  'textAria',
  'elided',
  'elidedAs',
  'dropped',
  'droppedP',
  'keptP',
] as const;
export type ViewStringKey = (typeof VIEW_STRING_KEYS)[number];
export const ViewStrings = z.object(
  Object.fromEntries(VIEW_STRING_KEYS.map((k) => [k, z.string().max(2000)])) as Record<ViewStringKey, z.ZodString>,
);
export type ViewStrings = z.infer<typeof ViewStrings>;

/** Fills `{0}`, `{1}`, … in a view string; a placeholder without an argument stays as it is. */
export function fillIn(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) =>
    args[Number(i)] === undefined ? m : String(args[Number(i)]),
  );
}

/**
 * The savings view's method row: what ran on each source, in words (each distinct one once, in the sources'
 * order); the method's id only when no source says (a record from before `what`).
 */
export function methodText(result: Pick<ViewResult, 'method' | 'sources'>): string {
  const what = [...new Set(result.sources.map((s) => s.what).filter((w): w is string => !!w))];
  return what.length ? what.join(', ') : result.method;
}

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: ViewState }),
  z.object({ type: z.literal('progress'), done: z.number(), total: z.number() }),
  z.object({ type: z.literal('notice'), text: z.string().max(2000) }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('setOptions'), options: CompressionOptions }),
  z.object({ type: z.literal('accept') }),
  z.object({ type: z.literal('copy') }),
  z.object({ type: z.literal('openInEditor') }),
  z.object({ type: z.literal('sendToChat') }),
  z.object({ type: z.literal('recompute') }),
  z.object({ type: z.literal('downloadModel') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, data: unknown): Parsed<T> {
  // Size check before schema work: a huge string should be rejected without walking it.
  try {
    if (typeof data === 'object' && data !== null && JSON.stringify(data).length > MAX_TEXT * 2) {
      return { ok: false, error: 'message too large' };
    }
  } catch {
    return { ok: false, error: 'message is not serialisable' };
  }
  const r = schema.safeParse(data);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

export const parseWebviewMessage = (data: unknown) => parseWith(WebviewMessage, data);
export const parseHostMessage = (data: unknown) => parseWith(HostMessage, data);
export const parseViewStrings = (data: unknown) => parseWith(ViewStrings, data);

// The savings view: what compression saves, what it keeps and drops, and the user's decision.
// Talks to the host only through the validated messages in src/webviewProtocol.ts.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  type CompressionOptions,
  fillIn,
  type HostMessage,
  methodText,
  parseHostMessage,
  parseViewStrings,
  type ViewResult,
  type ViewState,
  type ViewStringKey,
  type WebviewMessage,
} from '../src/webviewProtocol';
import {
  formatCost,
  formatPercent,
  formatSaved,
  formatTokens,
  formatWholePercent,
  setNumberLocale,
} from '../src/core/format';
import { fitGeometry, sourceBars } from './picture';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
// The page's lang is VS Code's display language (panelHtml.ts): numbers follow it.
setNumberLocale(document.documentElement.lang || 'en-US');
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The texts in the display language, embedded by the host (src/savings/viewStrings.ts). */
const strings = (() => {
  const parsed = parseViewStrings(JSON.parse($('view-strings').textContent ?? '{}'));
  if (!parsed.ok) {
    throw new Error(`context-budget: invalid view strings: ${parsed.error}`);
  }
  return parsed.value;
})();
const t = (key: ViewStringKey, ...args: (string | number)[]) => fillIn(strings[key], ...args);

/** The static markup's texts: data-l10n (text), data-l10n-aria (aria-label), -placeholder, -label. */
function applyStaticStrings(): void {
  for (const [attr, apply] of [
    ['data-l10n', (el: Element, v: string) => (el.textContent = v)],
    ['data-l10n-aria', (el: Element, v: string) => el.setAttribute('aria-label', v)],
    ['data-l10n-placeholder', (el: Element, v: string) => el.setAttribute('placeholder', v)],
    ['data-l10n-label', (el: Element, v: string) => el.setAttribute('label', v)],
  ] as const) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      apply(el, t(el.getAttribute(attr) as ViewStringKey));
    }
  }
}

let state: ViewState | undefined;
let debounce: ReturnType<typeof setTimeout> | undefined;

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function readOptions(): CompressionOptions | undefined {
  if (!state) {
    return undefined;
  }
  const mode = ($<HTMLInputElement>('mode-rate').checked ? 'rate' : 'budget') as CompressionOptions['mode'];
  const budget = Math.round(Number(($('budget') as HTMLInputElement).value));
  const rate = Number($<HTMLInputElement>('rate').value) / 100;
  const compressor = ($('compressor') as unknown as { value: string }).value as CompressionOptions['compressor'];
  const forceTokens = ($('force') as HTMLInputElement).value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const keepDigits = ($('digits') as unknown as { checked: boolean }).checked;
  const question = ($('focus') as HTMLInputElement).value.trim();
  if (!Number.isFinite(budget) || budget < 1) {
    showFieldError(t('budgetInvalid'));
    return undefined;
  }
  showFieldError('');
  return { mode, budget, rate, compressor, forceTokens, keepDigits, ...(question ? { question } : {}) };
}

function showFieldError(text: string): void {
  $('field-error').textContent = text;
}

function optionsChanged(): void {
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    const options = readOptions();
    if (options) {
      // The host keeps the state, so a hidden and re-shown panel gets it back on 'ready'.
      send({ type: 'setOptions', options });
    }
  }, 300);
}

function renderOptions(s: ViewState): void {
  $<HTMLInputElement>('mode-budget').checked = s.options.mode === 'budget';
  $<HTMLInputElement>('mode-rate').checked = s.options.mode === 'rate';
  ($('budget') as HTMLInputElement).value = String(s.options.budget);
  $<HTMLInputElement>('rate').value = String(Math.round(s.options.rate * 100));
  $('rate-value').textContent = t('keepRate', formatWholePercent(s.options.rate));
  const select = $('compressor');
  select.replaceChildren(
    ...s.compressors.map((c) => {
      const o = document.createElement('vscode-option');
      o.setAttribute('value', c.id);
      o.setAttribute('description', c.detail);
      if (!c.available) {
        o.setAttribute('disabled', '');
      }
      o.textContent = c.available ? c.label : t('notInstalled', c.label);
      return o;
    }),
  );
  (select as unknown as { value: string }).value = s.options.compressor;
  ($('force') as HTMLInputElement).value = s.options.forceTokens.join(', ');
  ($('digits') as unknown as { checked: boolean }).checked = s.options.keepDigits;
  // Not while the user types in it: a state arriving mid-word would move the caret.
  if (document.activeElement !== $('focus')) {
    ($('focus') as HTMLInputElement).value = s.options.question ?? '';
  }
  $('model-offer').hidden = s.compressors.find((c) => c.id === 'llmlingua2')?.available !== false;
  $('budget-row').hidden = s.options.mode !== 'budget';
  $('rate-row').hidden = s.options.mode !== 'rate';
}

/** Sets a bar part's width (a percentage of the track). */
function width(id: string, percent: number): void {
  $(id).style.width = `${percent}%`;
}

/** One bar: before (hatched), after (solid) and the budget mark, over the context window behind them. */
function renderPicture(r: ViewResult): void {
  const g = fitGeometry(r.originalTokens, r.compressedTokens, r.budget, r.contextWindow);
  width('fit-window', g.window);
  width('fit-before', g.before);
  width('fit-after', g.after);
  $('fit-budget').style.left = `${g.budget}%`;
  $('fit-picture').classList.toggle('over-budget', g.overBudget);
  $('fit-window').classList.toggle('beyond', g.windowBeyond);
  $('legend-before').textContent = t('legendBefore', formatTokens(r.originalTokens));
  $('legend-after').textContent = t('legendAfter', formatTokens(r.compressedTokens));
  $('legend-budget').textContent = t('legendBudget', formatTokens(r.budget));
  $('legend-window').textContent = g.windowBeyond
    ? t('windowBeyond', formatTokens(r.contextWindow))
    : t('legendWindow', formatTokens(r.contextWindow));
  $('fit-picture').setAttribute(
    'aria-label',
    t(
      'pictureSummary',
      formatTokens(r.originalTokens),
      formatTokens(r.compressedTokens),
      formatTokens(r.budget),
      formatTokens(r.contextWindow),
      formatPercent(r.compressedTokens / r.contextWindow),
    ),
  );
}

/** Several sources (Compress Open Editors): one row each with what the packer gave it, on one scale. */
function renderSources(r: ViewResult): void {
  $('sources-section').hidden = r.sources.length < 2;
  const bars = sourceBars(r.sources);
  $('source-rows').replaceChildren(
    ...r.sources.map((s, i) => {
      const row = document.createElement('li');
      const bar = document.createElement('div');
      bar.className = 'source-bar';
      bar.setAttribute('aria-hidden', 'true');
      const original = document.createElement('div');
      original.className = 'source-original';
      original.style.width = `${bars[i]!.original}%`;
      const given = document.createElement('div');
      given.className = 'source-given';
      given.style.width = `${bars[i]!.given}%`;
      bar.append(original, given);
      const text = document.createElement('span');
      text.className = 'source-text';
      text.textContent = t('sourceRow', s.label, formatTokens(s.originalTokens), formatTokens(s.tokens), s.explanation);
      row.append(text, bar);
      return row;
    }),
  );
}

function renderResult(r: ViewResult | null): void {
  $('savings').hidden = !r;
  $('text-section').hidden = !r;
  if (!r) {
    return;
  }
  const saved = formatSaved(r.originalTokens, r.compressedTokens);
  $('tokens-before').textContent = formatTokens(r.originalTokens);
  $('tokens-after').textContent =
    r.compressedTokens > r.budget
      ? t('overBudget', formatTokens(r.compressedTokens))
      : formatTokens(r.compressedTokens);
  $('tokens-after').classList.toggle('over', r.compressedTokens > r.budget);
  $('tokens-saved').textContent = `${saved.tokens} (${saved.percent})`;
  $('budget-value').textContent = formatTokens(r.budget);
  renderPicture(r);
  renderSources(r);
  $('cost-before').textContent = formatCost(r.costBeforeUsd);
  $('cost-after').textContent = formatCost(r.costAfterUsd);
  $('method').textContent = r.untouched ? t('alreadyFits') : methodText(r);
  $('notes').replaceChildren(...r.notes.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  renderSegments(r);
}

/** Kept text plain, dropped text struck through and faded, elisions as a marked placeholder. */
function renderSegments(r: ViewResult): void {
  const out = $('text');
  const frag = document.createDocumentFragment();
  let dropped = 0;
  let elided = 0;
  for (const seg of r.segments) {
    if (seg.status === 'kept' && seg.pKeep === undefined) {
      frag.append(seg.text);
      continue;
    }
    const span = document.createElement('span');
    span.className = seg.status;
    span.textContent = seg.text;
    const p = seg.pKeep === undefined ? '' : `p(keep) = ${seg.pKeep.toFixed(3)}`;
    if (seg.status === 'elided') {
      elided++;
      span.title = seg.replacement ? t('elidedAs', seg.replacement) : t('elided');
      const marker = document.createElement('span');
      marker.className = 'marker';
      marker.textContent = seg.replacement ?? '…';
      marker.setAttribute('aria-hidden', 'true');
      frag.append(marker);
    } else if (seg.status === 'dropped') {
      dropped++;
      span.title = p ? t('droppedP', p) : t('dropped');
    } else {
      span.title = t('keptP', p);
    }
    frag.append(span);
  }
  out.replaceChildren(frag);
  $('legend-counts').textContent = t('spanCounts', dropped, elided);
}

function render(s: ViewState): void {
  state = s;
  $('sub').textContent = t(
    'sourceAndTarget',
    s.source.label,
    s.model.approximate ? t('approximate', s.model.label) : s.model.label,
  );
  renderOptions(s);
  renderResult(s.result);
  $('busy').hidden = !s.busy;
  $('progress-text').textContent = s.progress
    ? t('compressingProgress', s.progress.done, s.progress.total)
    : t('compressing');
  $('error').hidden = !s.error;
  $('error').textContent = s.error ?? '';
  const ready = !!s.result && !s.busy;
  for (const id of ['copy', 'open', 'chat']) {
    $(id).toggleAttribute('disabled', !ready);
  }
  $('accept').toggleAttribute('disabled', !ready || !s.source.canReplace || !!s.result?.untouched);
  $('accept').title = s.source.canReplace ? t('acceptTitle') : t('acceptSeveral');
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn('context-budget: ignored invalid host message', parsed.error);
    return;
  }
  const msg: HostMessage = parsed.value;
  switch (msg.type) {
    case 'state':
      render(msg.state);
      break;
    case 'progress':
      $('progress-text').textContent = t('compressingProgress', msg.done, msg.total);
      break;
    case 'notice':
      $('notice').textContent = msg.text;
      break;
  }
});

for (const id of ['mode-budget', 'mode-rate']) {
  $(id).addEventListener('change', () => {
    $('budget-row').hidden = !$<HTMLInputElement>('mode-budget').checked;
    $('rate-row').hidden = !$<HTMLInputElement>('mode-rate').checked;
    optionsChanged();
  });
}
$('rate').addEventListener('input', () => {
  $('rate-value').textContent = t('keepRate', formatWholePercent(Number($<HTMLInputElement>('rate').value) / 100));
  optionsChanged();
});
for (const id of ['budget', 'force', 'focus']) {
  $(id).addEventListener('input', optionsChanged);
}
$('compressor').addEventListener('change', optionsChanged);
$('digits').addEventListener('change', optionsChanged);
$('accept').addEventListener('click', () => send({ type: 'accept' }));
$('copy').addEventListener('click', () => send({ type: 'copy' }));
$('open').addEventListener('click', () => send({ type: 'openInEditor' }));
$('chat').addEventListener('click', () => send({ type: 'sendToChat' }));
$('download').addEventListener('click', () => send({ type: 'downloadModel' }));

applyStaticStrings();
send({ type: 'ready' });

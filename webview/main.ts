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
  type HostMessage,
  parseHostMessage,
  type ViewResult,
  type ViewState,
  type WebviewMessage,
} from '../src/webviewProtocol';
import { formatCost, formatPercent, formatSaved, formatTokens, formatWholePercent } from '../src/core/format';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

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
    showFieldError('Budget must be a whole number of tokens, 1 or more.');
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
  $('rate-value').textContent = formatWholePercent(s.options.rate);
  const select = $('compressor');
  select.replaceChildren(
    ...s.compressors.map((c) => {
      const o = document.createElement('vscode-option');
      o.setAttribute('value', c.id);
      o.setAttribute('description', c.detail);
      if (!c.available) {
        o.setAttribute('disabled', '');
      }
      o.textContent = c.available ? c.label : `${c.label} (not installed)`;
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

function meter(id: string, fraction: number, label: string): void {
  const el = $(id);
  const clamped = Math.max(0, Math.min(1, fraction));
  el.setAttribute('aria-valuenow', String(Math.round(fraction * 1000) / 10));
  el.setAttribute('aria-label', label);
  (el.firstElementChild as HTMLElement).style.width = `${clamped * 100}%`;
  el.classList.toggle('over', fraction > 1);
}

function renderResult(r: ViewResult | null): void {
  $('savings').hidden = !r;
  $('text-section').hidden = !r;
  if (!r) {
    return;
  }
  const saved = formatSaved(r.originalTokens, r.compressedTokens);
  const before = formatPercent(r.originalTokens / r.contextWindow);
  const after = formatPercent(r.compressedTokens / r.contextWindow);
  $('tokens-before').textContent = formatTokens(r.originalTokens);
  $('tokens-after').textContent =
    formatTokens(r.compressedTokens) + (r.compressedTokens > r.budget ? ' (over budget)' : '');
  $('tokens-after').classList.toggle('over', r.compressedTokens > r.budget);
  $('tokens-saved').textContent = `${saved.tokens} (${saved.percent})`;
  $('budget-value').textContent = formatTokens(r.budget);
  $('window-before').textContent = before;
  $('window-after').textContent = after;
  meter('meter-before', r.originalTokens / r.contextWindow, `Before: ${before} of the context window`);
  meter('meter-after', r.compressedTokens / r.contextWindow, `After: ${after} of the context window`);
  $('cost-before').textContent = formatCost(r.costBeforeUsd);
  $('cost-after').textContent = formatCost(r.costAfterUsd);
  $('method').textContent = r.untouched ? 'Already fits: returned untouched' : r.method;
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
      span.title = `Elided${seg.replacement ? `, shown as “${seg.replacement}”` : ''}`;
      const marker = document.createElement('span');
      marker.className = 'marker';
      marker.textContent = seg.replacement ?? '…';
      marker.setAttribute('aria-hidden', 'true');
      frag.append(marker);
    } else if (seg.status === 'dropped') {
      dropped++;
      span.title = p ? `Dropped, ${p}` : 'Dropped';
    } else {
      span.title = `Kept, ${p}`;
    }
    frag.append(span);
  }
  out.replaceChildren(frag);
  $('legend-counts').textContent = `${dropped} dropped span(s), ${elided} elided span(s)`;
}

function render(s: ViewState): void {
  state = s;
  $('source').textContent = s.source.label;
  $('model').textContent = `${s.model.label}${s.model.approximate ? ' (approximate)' : ''}`;
  renderOptions(s);
  renderResult(s.result);
  $('busy').hidden = !s.busy;
  $('progress-text').textContent = s.progress ? `Compressing… ${s.progress.done}/${s.progress.total}` : 'Compressing…';
  $('error').hidden = !s.error;
  $('error').textContent = s.error ?? '';
  const ready = !!s.result && !s.busy;
  for (const id of ['copy', 'open', 'chat']) {
    $(id).toggleAttribute('disabled', !ready);
  }
  $('accept').toggleAttribute('disabled', !ready || !s.source.canReplace || !!s.result?.untouched);
  $('accept').title = s.source.canReplace
    ? 'Replace the source with the compressed text (one undo step)'
    : 'Several sources: copy or send instead';
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
      $('progress-text').textContent = `Compressing… ${msg.done}/${msg.total}`;
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
  $('rate-value').textContent = formatWholePercent(Number($<HTMLInputElement>('rate').value) / 100);
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

send({ type: 'ready' });

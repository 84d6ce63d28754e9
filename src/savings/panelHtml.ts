// The savings panel's page: the static markup the webview script (webview/main.ts) fills in, under a strict
// Content-Security-Policy whose nonce is the only way a script or stylesheet loads (the embedded strings are
// JSON data, not script).
import * as vscode from 'vscode';
import type { ViewStrings } from '../webviewProtocol';

/** The folders the page loads from; the panel may read nothing else. */
export function savingsPanelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** JSON inside a <script type="application/json"> block: nothing in it may close the block. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The page; every visible text comes from `strings` (the display language), set by the view script from the
 * embedded JSON through the data-l10n* attributes. The markup holds no English of its own.
 */
export function savingsPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, strings: ViewStrings): string {
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const lang = vscode.env.language.replace(/[^A-Za-z0-9-]/g, '') || 'en';
  return /* html */ `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title data-l10n="pageTitle"></title>
<script type="application/json" id="view-strings">${embedJson(strings)}</script>
</head>
<body>
<main aria-labelledby="title">
  <h1 id="title" data-l10n="title"></h1>
  <p class="sub" id="sub"></p>
  <div id="busy" role="status" aria-live="polite" hidden><vscode-progress-ring></vscode-progress-ring><span id="progress-text"></span></div>
  <p id="error" role="alert" hidden></p>
  <section id="savings" aria-labelledby="savings-title" hidden>
    <h2 id="savings-title" data-l10n="savings"></h2>
    <figure id="fit-picture" class="fit" role="img">
      <div class="fit-track" aria-hidden="true">
        <div class="fit-window" id="fit-window"></div>
        <div class="fit-before" id="fit-before"></div>
        <div class="fit-after" id="fit-after"></div>
        <div class="fit-budget" id="fit-budget"></div>
      </div>
      <figcaption class="fit-legend" aria-hidden="true">
        <span class="key key-before" id="legend-before"></span>
        <span class="key key-after" id="legend-after"></span>
        <span class="key key-budget" id="legend-budget"></span>
        <span class="key key-window" id="legend-window"></span>
      </figcaption>
    </figure>
    <section id="sources-section" aria-labelledby="sources-title" hidden>
      <h3 id="sources-title" data-l10n="sourcesTitle"></h3>
      <ul id="source-rows" class="source-rows"></ul>
    </section>
    <div class="grid">
      <span data-l10n="tokensBefore"></span><span class="figure" id="tokens-before"></span>
      <span data-l10n="tokensAfter"></span><span class="figure" id="tokens-after"></span>
      <span data-l10n="saved"></span><span class="figure" id="tokens-saved"></span>
      <span data-l10n="budget"></span><span class="figure" id="budget-value"></span>
      <span data-l10n="inputCost"></span><span class="figure"><span id="cost-before"></span> → <span id="cost-after"></span></span>
      <span data-l10n="method"></span><span id="method"></span>
    </div>
    <ul id="notes"></ul>
  </section>
  <section aria-labelledby="controls-title">
    <h2 id="controls-title" data-l10n="settings"></h2>
    <div class="controls">
      <fieldset><legend data-l10n="targetSize"></legend>
        <label><span><input type="radio" name="mode" id="mode-budget" value="budget"> <span data-l10n="modeBudget"></span></span></label>
        <label><span><input type="radio" name="mode" id="mode-rate" value="rate"> <span data-l10n="modeRate"></span></span></label>
      </fieldset>
      <label id="budget-row"><span data-l10n="budgetField"></span><vscode-textfield id="budget" type="number" min="1" data-l10n-aria="budgetAria"></vscode-textfield></label>
      <label id="rate-row"><span id="rate-value"></span><input id="rate" type="range" min="5" max="100" step="1" data-l10n-aria="rateAria"></label>
      <label><span data-l10n="focus"></span><vscode-textfield id="focus" maxlength="2000" data-l10n-placeholder="focusPlaceholder" data-l10n-aria="focusAria"></vscode-textfield></label>
      <label><span data-l10n="compressor"></span><vscode-single-select id="compressor" data-l10n-aria="compressor"></vscode-single-select></label>
      <label><span data-l10n="forceTokens"></span><vscode-textfield id="force" data-l10n-aria="forceAria"></vscode-textfield></label>
      <vscode-checkbox id="digits" data-l10n="keepDigits" data-l10n-label="keepDigits"></vscode-checkbox>
    </div>
    <p id="model-offer" hidden><span data-l10n="modelOffer"></span>
      <vscode-button id="download" secondary data-l10n="download"></vscode-button></p>
    <p id="field-error" role="alert"></p>
  </section>
  <div class="actions" role="toolbar" data-l10n-aria="decision">
    <vscode-button id="accept" data-l10n="accept"></vscode-button>
    <vscode-button id="copy" secondary data-l10n="copy"></vscode-button>
    <vscode-button id="open" secondary data-l10n="open"></vscode-button>
    <vscode-button id="chat" secondary data-l10n="chat"></vscode-button>
  </div>
  <p id="notice" role="status" aria-live="polite"></p>
  <section id="text-section" aria-labelledby="text-title" hidden>
    <h2 id="text-title" data-l10n="textTitle"></h2>
    <p class="legend"><span data-l10n="legendKept"></span><span class="dropped" data-l10n="legendDropped"></span><span class="marker" data-l10n="legendElided"></span><span id="legend-counts"></span></p>
    <pre id="text" tabindex="0" data-l10n-aria="textAria"></pre>
  </section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

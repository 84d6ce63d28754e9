// The savings panel's page: the static markup the webview script (webview/main.ts) fills in, under a strict
// Content-Security-Policy whose nonce is the only way a script or stylesheet loads.
import * as vscode from 'vscode';

/** The folders the page loads from; the panel may read nothing else. */
export function savingsPanelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function savingsPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return /* html */ `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Context Budget: Savings</title>
</head>
<body>
<main aria-labelledby="title">
  <h1 id="title">Compression savings</h1>
  <p class="sub"><span id="source"></span> · target <span id="model"></span></p>
  <div id="busy" role="status" aria-live="polite" hidden><vscode-progress-ring></vscode-progress-ring><span id="progress-text">Compressing…</span></div>
  <p id="error" role="alert" hidden></p>
  <section id="savings" aria-labelledby="savings-title" hidden>
    <h2 id="savings-title">Savings</h2>
    <div class="grid">
      <span>Tokens before</span><span class="figure" id="tokens-before"></span>
      <span>Tokens after</span><span class="figure" id="tokens-after"></span>
      <span>Saved</span><span class="figure" id="tokens-saved"></span>
      <span>Budget</span><span class="figure" id="budget-value"></span>
      <span>Window before <span id="window-before" class="figure"></span></span>
      <div class="meter" id="meter-before" role="meter" aria-valuemin="0" aria-valuemax="100"><div></div></div>
      <span>Window after <span id="window-after" class="figure"></span></span>
      <div class="meter" id="meter-after" role="meter" aria-valuemin="0" aria-valuemax="100"><div></div></div>
      <span>Input cost</span><span class="figure"><span id="cost-before"></span> → <span id="cost-after"></span></span>
      <span>Method</span><span id="method"></span>
    </div>
    <ul id="notes"></ul>
  </section>
  <section aria-labelledby="controls-title">
    <h2 id="controls-title">Settings</h2>
    <div class="controls">
      <fieldset><legend>Target size</legend>
        <label><span><input type="radio" name="mode" id="mode-budget" value="budget"> Budget in tokens</span></label>
        <label><span><input type="radio" name="mode" id="mode-rate" value="rate"> Rate</span></label>
      </fieldset>
      <label id="budget-row">Budget (tokens)<vscode-textfield id="budget" type="number" min="1" aria-label="Budget in tokens"></vscode-textfield></label>
      <label id="rate-row">Keep <span id="rate-value"></span><input id="rate" type="range" min="5" max="100" step="1" aria-label="Share of tokens to keep"></label>
      <label>Focus (optional question)<vscode-textfield id="focus" maxlength="2000" placeholder="e.g. why does upload retry forever?" aria-label="Focus: a question about the source; what it names is kept whole"></vscode-textfield></label>
      <label>Compressor<vscode-single-select id="compressor" aria-label="Compressor"></vscode-single-select></label>
      <label>Force tokens (comma-separated)<vscode-textfield id="force" aria-label="Words that must be kept"></vscode-textfield></label>
      <vscode-checkbox id="digits" label="Keep digits">Keep digits</vscode-checkbox>
    </div>
    <p id="model-offer" hidden>No LLMLingua-2 model is installed, so compression is structural (offline).
      <vscode-button id="download" secondary>Download a model…</vscode-button></p>
    <p id="field-error" role="alert"></p>
  </section>
  <div class="actions" role="toolbar" aria-label="Decision">
    <vscode-button id="accept">Accept</vscode-button>
    <vscode-button id="copy" secondary>Copy</vscode-button>
    <vscode-button id="open" secondary>Open in new editor</vscode-button>
    <vscode-button id="chat" secondary>Send to chat</vscode-button>
  </div>
  <p id="notice" role="status" aria-live="polite"></p>
  <section id="text-section" aria-labelledby="text-title" hidden>
    <h2 id="text-title">Kept and dropped text</h2>
    <p class="legend"><span>kept</span><span class="dropped">dropped</span><span class="marker">… elided</span><span id="legend-counts"></span></p>
    <pre id="text" tabindex="0" aria-label="The source with dropped text struck through"></pre>
  </section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

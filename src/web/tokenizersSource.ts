// In the browser bundles the budget tokenizers (their rank tables are most of the weight) are not inlined: both the
// browser host and the LLMLingua-2 web worker evaluate the one dist/tokenizers.js on first use (the Node bundles require the same file) (esbuild.mjs points
// their imports of src/core/tokens/tokenizers.ts here). The host reads it with workspace.fs; the worker gets its bytes.
import type * as Tokenizers from '../core/tokens/tokenizers';

type TokenizersModule = typeof Tokenizers;

let source: (() => Promise<Uint8Array | ArrayBuffer>) | undefined;
let pending: Promise<TokenizersModule> | undefined;

/** Where the module's code comes from (set once at start, before anything counts). */
export function setTokenizersSource(read: () => Promise<Uint8Array | ArrayBuffer>): void {
  source = read;
}

/** The tokenizers module, evaluated from its bundle on first use. */
export function loadTokenizersModule(): Promise<TokenizersModule> {
  pending ??= (async () => {
    if (!source) throw new Error('tokenizers: no source set (the host sets dist/tokenizers.js when it starts)');
    const code = new TextDecoder().decode(await source());
    const module = { exports: {} as TokenizersModule };
    // A CommonJS bundle: VS Code's web worker extension host loads extensions the same way.
    new Function('module', 'exports', code)(module, module.exports);
    return module.exports;
  })();
  pending.catch(() => (pending = undefined));
  return pending;
}

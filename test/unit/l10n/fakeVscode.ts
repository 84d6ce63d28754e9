// A stand-in for the 'vscode' module (unit tests run outside VS Code) with just what src/explainWords.ts uses:
// vscode.l10n.t, translating from a bundle (l10n/bundle.l10n.de.json), and vscode.env.language. It records every
// message the bundle lacks, and marks the text that came from the bundle, so a test can tell a translated phrase
// from English text that bypassed vscode.l10n (see untranslated).
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const OPEN = '\u0001';
const CLOSE = '\u0002';

export const fakeVscode = {
  /** What vscode.env.language says. */
  language: 'de',
  bundle: JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<
    string,
    string
  >,
  /** Messages asked for that the bundle lacks. */
  misses: [] as string[],
};

/** vscode.l10n.t: the bundle's text, its own words marked, the arguments (data, or phrases marked themselves) not. */
function t(message: string, ...args: (string | number | boolean)[]): string {
  const translated = fakeVscode.bundle[message];
  if (translated === undefined) fakeVscode.misses.push(message);
  const template = translated ?? message;
  return template
    .split(/(\{\d+\})/)
    .map((part) => {
      const arg = /^\{(\d+)\}$/.exec(part);
      if (arg) return args[Number(arg[1])] === undefined ? part : String(args[Number(arg[1])]);
      return part ? `${OPEN}${part}${CLOSE}` : '';
    })
    .join('');
}

const api = {
  l10n: { t },
  env: {
    get language() {
      return fakeVscode.language;
    },
  },
};

// require('vscode') resolves to this object from here on (the module is not installed outside VS Code).
const FAKE_PATH = join(__dirname, '__fake_vscode__.js');
const M = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? FAKE_PATH : resolve.call(this, request, ...rest);
};
M._cache[FAKE_PATH] = { id: FAKE_PATH, filename: FAKE_PATH, loaded: true, exports: api, children: [], paths: [] };

/** The text as the user reads it (markers removed). */
export function shown(text: string): string {
  return text.replaceAll(OPEN, '').replaceAll(CLOSE, '');
}

/**
 * What of `text` came neither from the bundle nor from `data` (labels, numbers, names, a compressor's own
 * message): words left there bypassed the translation. Glue (punctuation, spaces) is not a word.
 */
export function untranslated(text: string, data: readonly string[] = []): string[] {
  let rest = text.replace(new RegExp(`${OPEN}[^${OPEN}${CLOSE}]*${CLOSE}`, 'g'), ' ');
  for (const d of [...data].sort((a, b) => b.length - a.length)) rest = rest.replaceAll(d, ' ');
  return rest.match(/\p{L}{2,}/gu) ?? [];
}

// Identifier-like words (URLs, paths, versions, ids, hashes…): what a model needs verbatim and LLMLingua-2 most likely
// mangles; what --protect keeps, in the model's word choice and in the line selection without a model alike.
const IDENTIFIER_RES: readonly RegExp[] = [
  /^[a-z][a-z0-9+.-]*:\/\/\S+$/i, // URL
  /^(?:[\w.@~-]*[/\\][\w.@~-]*)+$/, // path (a/b, ./x, C:\x, /usr/lib)
  /^[A-Za-z]:[/\\]/, // Windows drive path
  /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/i, // version 1.2.3, v2.0.0-rc.1
  /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/, // ISO date / timestamp
  /^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, // time
  /^-?\d+(?:\.\d+)?(?:[a-zµ%]+|[KMGT]i?B)$/i, // number with a unit: 250ms, 12.5MB, 80%
  /^(?:0x)?[0-9a-f]{7,}$/i, // hex id / hash (all hex, 7+)
  /^(?=\w*[A-Za-z])(?=\w*\d)\w+$/, // letters and digits together: E1234, ord8f3, sha256
  /^[A-Za-z_$][\w$]*_[\w$]+$/, // snake_case, SCREAMING_CASE, _private
  /^[a-z]+[A-Z][\w$]*$/, // camelCase
  /^[A-Z][a-z0-9]+[A-Z][\w$]*$/, // PascalCase with an inner capital
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?$/, // dotted name: os.path.join, stripe.py, foo.bar()
  /^--?[A-Za-z][\w-]*(?:=\S*)?$/, // flag: -v, --dry-run, --out=x
  /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/, // e-mail
  /^[\w.-]+:\d{2,5}$/, // host:port
  /^#\d+$/, // issue / PR number
  /^[A-Za-z_$][\w$.]*\([^\s()]*\)$/, // a call or stack frame: LedgerService.post(LedgerService.java:214)
  /^[\w.-]+=\S+$/, // key=value, --opt=value's value
  /^(?=.*\d)[A-Za-z0-9]+(?:[-:][A-Za-z0-9]+)+$/, // joined ids with a digit: pod-7d9f-x2, ERR-42, node:123
];

/** True for an atom a model needs verbatim: URLs, paths, versions, dates and times, numbers with units, hashes… */
export function isIdentifierLike(atom: string): boolean {
  if (atom.length < 2) return false;
  return IDENTIFIER_RES.some((re) => re.test(atom));
}

/** Whitespace-delimited words of `text` whose core (edge brackets, quotes and punctuation peeled) is identifier-like. */
export function identifierWords(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const core = m[0].replace(/^[([{<"'`]+/, '').replace(/[)\]}>"'`,;:.!?]+$/, '');
    if (isIdentifierLike(core)) out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

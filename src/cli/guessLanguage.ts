// The language of text that arrives without a file name (stdin, the MCP server's `text`): a shebang or an opening
// tag, then a unified diff, then scored cues per language against Markdown's. A guess only: `--language ID`
// overrides it. Undefined when nothing looks like code or Markdown (prose then).
//
// Each line gives each language the weight of its strongest matching cue (1 weak, 2 typical, 3 all but decisive),
// so one long line cannot outvote a file. Comments and docstrings score nothing: their lists and `# ` lines are
// what made Python look like Markdown. Markdown wins only when its own syntax (fences, links, lists, tables,
// headings where `#` is not a comment) outweighs every language's code.

const SHEBANG: Array<[RegExp, string]> = [
  [/^#!.*\b(node|deno|bun)\b/, 'javascript'],
  [/^#!.*\bpython/, 'python'],
  [/^#!.*\b(ba|z|k|da)?sh\b/, 'shellscript'],
  [/^#!.*\bruby\b/, 'ruby'],
  [/^#!.*\bpwsh\b/, 'powershell'],
  [/^#!.*\bphp\b/, 'php'],
  [/^<\?php\b/, 'php'],
];

type Cue = [RegExp, number];

interface Spec {
  id: string;
  cues: Cue[];
  /** A dialect of `base`: scored with the base's cues too, and chosen only with `minOwn` lines of its own cues. */
  base?: string;
  minOwn?: number;
  /** `#` starts a comment here: a `# Title` line is no Markdown heading. */
  hashComments?: boolean;
}

const SPECS: Spec[] = [
  {
    id: 'python',
    hashComments: true,
    cues: [
      [/^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*(#.*)?$/, 3],
      [/^\s*class\s+\w+\s*(\(.*\))?\s*:\s*(#.*)?$/, 3],
      [/^\s*(elif\s.*|else|try|finally|except\b.*)\s*:\s*(#.*)?$/, 3],
      [/^\s*if\s+__name__\s*==/, 3],
      [/^\s*from\s+[\w.]+\s+import\s+(\(|\*|\w)/, 3],
      [/^\s*import\s+[\w.]+(\s+as\s+\w+)?(\s*,\s*[\w.]+(\s+as\s+\w+)?)*\s*(#.*)?$/, 2],
      [/^\s*(if|while|for|with|async\s+with|async\s+for)\s.*:\s*(#.*)?$/, 2],
      [/^\s*(async\s+)?def\s+\w+\s*\(/, 2],
      [/\bself\.\w+|\b__[a-z]\w*__\b|\blambda\b[^:]*:/, 2],
      [/^\s*(return|raise|yield|pass|assert|del|global|nonlocal)\b/, 1],
      [/\b(None|True|False)\b|^\s*@[\w.]+(\(.*\))?\s*$/, 1],
    ],
  },
  {
    id: 'ruby',
    hashComments: true,
    cues: [
      [/^\s*require(_relative)?\s+['"]/, 3],
      [/^\s*def\s+(self\.)?\w+[?!=]?\s*(\(.*\))?\s*$/, 3],
      [/^\s*(module|class)\s+[A-Z]\w*(::\w+)*(\s*<\s*[\w:]+)?\s*(;.*)?$/, 2],
      [/\battr_(reader|writer|accessor)\b|\bdo(\s*\|[^|]*\|)?\s*$|^\s*(elsif|unless|until|puts)\b/, 2],
      [/^\s*end\s*$/, 2],
      [/(^|[\s(])@\w+\s*(=|<<|\|\|=)|\.(each|map|select)\s*(\{|do\b)/, 1],
    ],
  },
  {
    id: 'javascript',
    cues: [
      [/\brequire\(\s*['"][^'"]+['"]\s*\)|\bmodule\.exports\b|\bexports\.\w+\s*=|^\s*['"]use strict['"]/, 3],
      [
        /^\s*import\s.+\sfrom\s+['"]|^\s*import\s+['"]|^\s*export\s+(default\b|const\b|let\b|class\b|function\b|async\b|\{)/,
        3,
      ],
      [/^\s*(const|let|var)\s+[\w${}[\], ]+\s*=/, 2],
      [/^\s*(export\s+)?(async\s+)?function\s*\*?\s*\w*\s*\(/, 2],
      [/=>\s*[{(]?\s*$|\s===?\s|\s!==?\s|\bconsole\.\w+\(|\bthis\.\w+|\bundefined\b/, 1],
    ],
  },
  {
    id: 'typescript',
    base: 'javascript',
    minOwn: 2,
    cues: [
      [/^\s*(export\s+)?(declare\s+)?(interface\s+\w+(<.*>)?(\s+extends\s+.+)?\s*\{|type\s+\w+(<.*>)?\s*=)/, 3],
      [
        /^\s*(export\s+)?(declare\s+)?(const\s+)?enum\s+[A-Z]\w*\s*\{|^\s*(export\s+)?declare\s|^\s*import\s+type\b|\bas\s+const\b/,
        3,
      ],
      [
        /\b(private|public|protected)\s+(readonly\s+)?\w+\s*[:(=]|\b\w+\??:\s*(string|number|boolean|void|unknown|any|never)\b/,
        2,
      ],
      [/\)\s*:\s*(Promise<.+>|[\w.]+(\[\])?(\s*\|\s*[\w.]+)*)\s*(\{|=>)\s*$/, 2],
    ],
  },
  {
    id: 'go',
    cues: [
      [/^package\s+\w+\s*$|^import\s+\(\s*$|^func\s+(\([^)]*\)\s*)?\w+\s*\(|\berr\s*!=\s*nil\b/, 3],
      [/^type\s+\w+\s+(struct|interface|func)\b|:=|\bfmt\.\w+\(|^\s*defer\s|\bchan\b/, 2],
      [/^\s*"[\w./-]+"\s*$|^\s*var\s+\w+\s+[\w*[\]]/, 1],
    ],
  },
  {
    id: 'rust',
    cues: [
      [/^\s*(pub(\([\w:]+\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+\w+/, 3],
      [
        /^\s*pub(\([\w:]+\))?\s+\w|^\s*(trait|mod)\s+\w+|^\s*impl\b|^\s*use\s+[\w:{}, *]+;|^\s*#!?\[\w|\blet\s+mut\b/,
        3,
      ],
      // Also C's: its fields and functions tell them apart.
      [/^\s*(struct|enum)\s+\w+(<.*>)?\s*[{(;]/, 2],
      [/\b(Option|Result|Vec|Box|Arc|Rc)<|&(mut\s+)?self\b|\b\w+!\(|\.unwrap\(\)|^\s*match\b.*\{\s*$/, 2],
      [/->\s*[\w&<(]|\w::\w|^\s*let\s+\w+/, 1],
    ],
  },
  {
    id: 'java',
    cues: [
      [/^package\s+[\w.]+;\s*$|^import\s+(static\s+)?[\w.]+(\.\*)?;\s*$|\bSystem\.(out|err)\.|@Override\b/, 3],
      [/\bthrows\s+\w+|\bString(\[\])?\s+\w+|\b(extends|implements)\s+\w+/, 2],
      [
        /^\s*(public|private|protected)\s+(static\s+|final\s+|abstract\s+|synchronized\s+)*[\w<>[\], ]+\s+\w+\s*[(=;{]/,
        1,
      ],
      [/\bnew\s+\w+(<.*>)?\(|\bfinal\s+\w+/, 1],
    ],
  },
  {
    id: 'csharp',
    cues: [
      [/^\s*using\s+(static\s+)?[\w.]+;\s*$|\{\s*get;\s*((private\s+)?(set|init);)?\s*\}|\bConsole\.Write/, 3],
      [/^\s*namespace\s+[\w.]+\s*;?\s*$|^\s*\[\w+(\(.*\))?\]\s*$/, 2],
      [
        /\b(public|private|internal|protected)\s+(static\s+|async\s+|override\s+|virtual\s+|readonly\s+|sealed\s+)*(Task|void|string|int|bool|var)\b/,
        2,
      ],
      [/\bvar\s+\w+\s*=|\bnew\s+\w+(<.*>)?\(/, 1],
    ],
  },
  {
    id: 'php',
    cues: [
      [/\$this->|^\s*(namespace|use)\s+[\w\\]+;/, 3],
      [/\$\w+\s*(=|->)|^\s*((public|private|protected)\s+)?(static\s+)?function\s+\w+\s*\(|\becho\s/, 2],
    ],
  },
  {
    id: 'c',
    cues: [
      [/^\s*#\s*(include\s*[<"]|define\s|ifndef\s|ifdef\s|endif\b|pragma\s)/, 3],
      [
        /^\s*(static\s+|extern\s+|inline\s+|const\s+)*(int|void|char|unsigned|long|short|float|double|size_t|bool|struct\s+\w+|\w+_t)\s*\**\s*\w+\s*\(/,
        2,
      ],
      [
        /\b(malloc|calloc|realloc|free|memcpy|memset|strlen|printf|fprintf|sizeof)\s*\(|\bNULL\b|^\s*typedef\b|^\s*struct\s+\w+\s*\{/,
        2,
      ],
      [
        /^\s*(const\s+)?(unsigned\s+|signed\s+)?(int|char|long|short|float|double|void|size_t|bool|\w+_t|__[us]\d+|struct\s+\w+)\s*\**\s*\w+(\[\w*\])?\s*(:\s*\d+\s*)?;/,
        2,
      ],
      [/\w->\w/, 1],
    ],
  },
  {
    id: 'cpp',
    base: 'c',
    minOwn: 2,
    cues: [
      [/\bstd::|^\s*#\s*include\s*<\w+>\s*$|^\s*template\s*<|^\s*(public|private|protected):\s*$|\bnullptr\b/, 3],
      [/^\s*namespace\s+\w+\s*\{|\busing\s+namespace\b|\bcout\b/, 3],
      [/\bauto\s+\w+\s*=|\w::\w+\(|\bconst\s*\w*\s*&|^\s*class\s+\w+\s*(:\s*(public|private)\s+\w+)?\s*\{/, 2],
    ],
  },
  {
    id: 'shellscript',
    hashComments: true,
    cues: [
      [/^\s*(fi|done|esac|then|do)\s*(;.*)?$|^\s*if\s+\[\[?\s|^\s*case\s.+\sin\s*$|^\s*set\s+-[euxo]/, 3],
      [/^\s*(export|local|readonly|declare)\s+\w+=|^\s*(function\s+)?[\w-]+\s*\(\)\s*\{/, 3],
      [/\$\{\w+[^}]*\}|"\$(\w+|@)"|\$\(|^\s*echo\s|\|\|\s*exit\b|2>&1/, 2],
      [/^\s*[A-Za-z_]\w*=("[^"]*"|'[^']*')\s*$/, 2],
      [/^\s*\w+=\S*\s*$/, 1],
    ],
  },
  {
    id: 'powershell',
    hashComments: true,
    cues: [
      [/^\s*param\s*\(|\[CmdletBinding\(|^\s*function\s+[A-Z]\w*-\w+/, 3],
      [/\b(Write|Get|Set|New|Remove|Invoke|Import|Export|Test|Add|Out|Select|Where|ForEach)-[A-Z]\w+/, 3],
      [
        /\s-(eq|ne|lt|gt|le|ge|and|or|not|match|like|in)\s|\[(string|int|bool|switch|hashtable|datetime)(\[\])?\]|\$_\b|\$(true|false|null)\b/,
        2,
      ],
      [/^\s*\$\w+\s*[+-]?=/, 1],
    ],
  },
  {
    id: 'css',
    cues: [
      [/^\s*@(media|import|keyframes|font-face|supports)\b|!important\b/, 3],
      [/^\s*--[\w-]+\s*:\s*[^;]*;?\s*$/, 3],
      [/^[^{}]+\{\s*-?[a-z]+(-[a-z]+)*\s*:\s*[^;{}]+;.*\}\s*$/, 2],
      [/^\s*[.#][\w-]+([\s>+~,]+[.#]?[\w-]+|:[\w-]+|\[[^\]]+\])*\s*\{\s*$/, 2],
      [
        /^\s*(:root|html|body|a|p|div|span|h[1-6]|ul|ol|li|table|tr|td|th|img|input|button|form|pre|code|nav|header|footer|main|section|article|\*)([\s>+~,.#:[][^{};]*)?\{\s*$/,
        2,
      ],
      [/^\s*-?[a-z]+(-[a-z]+)+\s*:\s*[^;{}]+;\s*$/, 2],
      [/^\s*[a-z]+\s*:\s*[^;{}()]+;\s*$/, 1],
    ],
  },
];

/** Declared JSX: `react` joins the chosen JavaScript or TypeScript. */
const JSX = /^\s*<\/?[A-Z]\w*[\s/>]|^\s*return\s*\(?\s*<\w|<\/[A-Za-z][\w.]*>\s*\)?;?\s*$/;

/** Markdown's own syntax (fences are counted apart; headings are scored apart, as `#` is a comment in some code). */
const MARKDOWN: Cue[] = [
  [/\[[^\]]*[A-Za-z][^\]]*\]\((https?:\/\/|\.{0,2}\/|#)[^)\s]*\)|\]\([\w./-]+\.(md|html|png|svg|jpg|gif)\)/, 2],
  [/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/, 2],
  [/^\s*([-*+]|\d+[.)])\s+[`*_[(]?[\w"'][^;{}]*$/, 1],
  [/^\s*>\s|^\s*\|.*\|\s*$|(^|\s)\*\*\w[^*]*\*\*(\s|[.,:;!?]|$)/, 1],
  // HTML blocks of READMEs (JSX components are capitalised).
  [/^\s*<\/?(p|div|img|a|br|h[1-6]|table|details|summary|picture|source|sup|sub)\b[^>]*>?/, 1],
];
const HEADING = /^#{1,6}\s+\S/;
/** `#` lines that are not comments: C's preprocessor, a Rust attribute, a CSS id selector. */
const NOT_COMMENT = /^\s*#(!?\[|\s*(include|define|ifn?def|endif|pragma|if|elif|else|undef)\b|[\w-]+[^{]*\{\s*$)/;

/** Log lines (timestamps, stack frames, prompts): evidence that quoted code is not the text's language. */
const LOG =
  /^\s*File ".+", line \d+|^\s*at [\w$.<>]+\(.*\)\s*$|^\[?\d{4}-\d\d-\d\d[T ]\d|^\s*(ERROR|WARN|INFO|DEBUG)\b|^\$ |^Traceback \(most recent call last\)/;

/** A unified diff (`git diff`, `diff -u`): its file or hunk headers before anything else that is not diff. */
function looksLikeUnifiedDiff(lines: readonly string[]): boolean {
  const start = lines.findIndex(
    (l, i) =>
      /^diff --git \S/.test(l) ||
      (/^--- \S/.test(l) && /^\+\+\+ \S/.test(lines[i + 1] ?? '')) ||
      /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(l),
  );
  // A diff inside a Markdown fence is the document's example.
  if (start < 0 || lines.slice(0, start).some((l) => /^\s{0,3}(```|~~~)/.test(l))) return false;
  const rest = lines.slice(start).filter((l) => l !== '');
  if (!rest.some((l) => /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(l))) return false;
  // From the first header on, nearly every line is a header, a hunk line or git's metadata.
  const diffLines = rest.filter((l) =>
    /^([ +\-\\]|@@ |diff |index |(new|deleted) file mode |(old|new) mode |similarity index |rename (from|to) |Binary files )/.test(
      l,
    ),
  ).length;
  // Before the first header, only a commit's or a patch mail's preamble (`git show`, `git format-patch`).
  const before = lines.slice(0, start).filter((l) => l.trim() !== '').length;
  return diffLines >= 0.9 * rest.length && before <= Math.max(20, rest.length);
}

/** What the lines say: each language's score and lines of its own cues, Markdown's syntax, log lines. */
function evidence(all: readonly string[]) {
  const scores = new Map<string, number>(SPECS.map((s) => [s.id, 0]));
  const own = new Map<string, number>(SPECS.map((s) => [s.id, 0]));
  /** Lines of each language's cues indented less than an indented Markdown code block. */
  const top = new Map<string, number>(SPECS.map((s) => [s.id, 0]));
  let markdown = 0;
  let headings = 0;
  let jsx = 0;
  let log = 0;
  let lines = 0;
  let fence = false;
  let docstring: string | undefined;
  let blockComment: RegExp | undefined;
  /** Languages with a line of weight 2 or more: weak cues alone (`->` in a comment) make no language. */
  const strong = new Set<string>();
  // A `#` line alone is a heading; a run of them is a comment block (a licence, commented-out code).
  let hashRun = 0;
  let heading = false;
  for (const line of all) {
    const isHash = /^\s*#/.test(line) && !NOT_COMMENT.test(line);
    if (!isHash) {
      if (hashRun === 1 && heading) headings++;
      hashRun = 0;
    }
    if (line.trim() === '') continue;
    // Fenced blocks are Markdown's; their code is an example, not the text's language.
    const isFence = /^\s{0,3}(`{3,}|~{3,})\s*[\w+-]*\s*$/.test(line);
    if (fence) {
      if (isFence) fence = false;
      continue;
    }
    // Docstrings and block comments: prose with lists, in code.
    if (docstring) {
      if (line.includes(docstring)) docstring = undefined;
      continue;
    }
    if (blockComment) {
      if (blockComment.test(line)) blockComment = undefined;
      continue;
    }
    if (isFence) {
      markdown += 3;
      fence = true;
      continue;
    }
    lines++;
    const quotes = /("""|''')/.exec(line)?.[1];
    if (quotes && line.split(quotes).length % 2 === 0) {
      docstring = quotes;
      scores.set('python', scores.get('python')! + 1);
      continue;
    }
    if (/^\s*\/\*/.test(line) && !line.includes('*/')) {
      blockComment = /\*\//;
      continue;
    }
    if (/^\s*<#/.test(line) && !line.includes('#>')) {
      blockComment = /#>/;
      continue;
    }
    if (/^\s*(\/\/|\/\*|\*\/)/.test(line)) continue;
    // `#`: a comment or a heading, unless C's preprocessor, a Rust attribute or a CSS id selector.
    if (isHash) {
      heading = hashRun === 0 && HEADING.test(line);
      hashRun++;
      continue;
    }
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
    if (LOG.test(line)) log++;
    if (JSX.test(line)) jsx++;
    for (const spec of SPECS) {
      let weight = 0;
      for (const [re, w] of spec.cues) if (w > weight && re.test(line)) weight = w;
      if (weight > 0) own.set(spec.id, own.get(spec.id)! + 1);
      if (weight > 1) strong.add(spec.id);
      if (weight > 0 && indent < 4) top.set(spec.id, top.get(spec.id)! + 1);
      scores.set(spec.id, scores.get(spec.id)! + weight);
    }
    let md = 0;
    for (const [re, w] of MARKDOWN) if (w > md && re.test(line)) md = w;
    markdown += md;
  }
  if (hashRun === 1 && heading) headings++;
  for (const id of scores.keys()) if (!strong.has(id)) scores.set(id, 0);
  return { lines, scores, own, top, markdown, headings, log, jsx };
}

export function guessLanguage(text: string): string | undefined {
  const head = text.slice(0, 64 * 1024);
  const first = head.slice(0, head.indexOf('\n') >>> 0);
  for (const [re, id] of SHEBANG) if (re.test(first)) return id;
  const trimmed = head.trimStart();
  if (/^[[{]/.test(trimmed)) {
    try {
      JSON.parse(text);
      return 'json';
    } catch {
      // not JSON; go on
    }
  }
  const all = head.split(/\r?\n/);
  if (looksLikeUnifiedDiff(all)) return 'diff';
  const { lines, scores, own, top, markdown, headings, log, jsx } = evidence(all);
  if (lines === 0 && markdown === 0 && headings === 0) return undefined;
  let best: Spec | undefined;
  let bestScore = 0;
  for (const spec of SPECS) {
    let score = scores.get(spec.id)!;
    if (spec.base) {
      // A dialect needs cues of its own; its base's lines count for it too (the larger of the two per line is
      // approximated by the sum, which only ranks it above its base).
      if (own.get(spec.id)! < Math.min(spec.minOwn ?? 1, lines)) continue;
      score += scores.get(spec.base)!;
    }
    if (score > bestScore || (best && score === bestScore && spec.base === best.id)) [best, bestScore] = [spec, score];
  }
  if (!best) return markdown + 2 * headings >= 2 ? 'markdown' : undefined;
  // `# ` lines are headings only where `#` is not the winning language's comment.
  const md = markdown + (best.hashComments && bestScore >= markdown ? 0 : 2 * headings);
  const minCode = lines <= 4 ? 2 : Math.max(3, 0.05 * lines);
  // Code only in indented blocks, beside Markdown's syntax: a document's examples (an indented code block).
  const examplesOnly = md > 0 && top.get(best.id)! + (best.base ? top.get(best.base)! : 0) === 0;
  if (bestScore >= minCode && bestScore >= md && bestScore > log && !examplesOnly) {
    const react = (best.id === 'javascript' || best.id === 'typescript') && jsx >= 2;
    return react ? `${best.id}react` : best.id;
  }
  if (md >= 2) return 'markdown';
  return undefined;
}

// The language of text that arrives without a file name (stdin): a shebang, then the content's strongest cues.
// A guess only: `--language ID` overrides it. Undefined when nothing looks like code (prose then).

const SHEBANG: Array<[RegExp, string]> = [
  [/^#!.*\b(node|deno|bun)\b/, 'javascript'],
  [/^#!.*\bpython/, 'python'],
  [/^#!.*\b(ba|z|k)?sh\b/, 'shellscript'],
  [/^#!.*\bruby\b/, 'ruby'],
];

/** Per language, line-start cues; the language with the most matching lines wins. */
const CUES: Array<[string, RegExp]> = [
  [
    'typescript',
    /^\s*(export\s+)?(interface|type)\s+\w+.*[={]|^\s*(import|export)\s.*from\s+['"]|:\s*(string|number|boolean)\b/,
  ],
  ['javascript', /^\s*(const|let|var)\s+\w+\s*=|^\s*function\s+\w+\s*\(|require\(['"]|module\.exports|=>\s*[{(]/],
  ['python', /^\s*(def|class)\s+\w+.*:\s*$|^\s*(from\s+[\w.]+\s+)?import\s+\w+|^\s*if __name__ ==|^\s*elif\b/],
  ['go', /^\s*package\s+\w+\s*$|^\s*func\s+(\(\w+\s+\*?\w+\)\s*)?\w+\(|:=/],
  ['rust', /^\s*(pub\s+)?(fn|struct|enum|impl|trait|mod|use)\s+\w+|let\s+mut\s|->\s*\w+.*\{/],
  [
    'java',
    /^\s*(public|private|protected)\s+(static\s+)?(class|void|\w+)\s+\w+|^\s*package\s+[\w.]+;|^\s*import\s+[\w.]+;/,
  ],
  ['c', /^\s*#include\s*[<"]|^\s*(static\s+)?(int|void|char|unsigned|struct\s+\w+)\s*\*?\s*\w+\s*\(/],
];

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
  // Block-comment bodies (` * …`) and line comments say nothing about the language, and look like Markdown lists.
  const lines = head.split('\n').filter((l) => l.trim() !== '' && !/^\s*(\*|\/\/|\/\*)/.test(l));
  if (lines.length === 0) return undefined;
  // Markdown: headings, fences and lists carry it.
  const md = lines.filter((l) => /^(#{1,6}\s|```|[-*]\s+\S|\d+\.\s+\S|>\s)/.test(l)).length;
  let best: string | undefined;
  let bestScore = 0;
  for (const [id, re] of CUES) {
    const score = lines.filter((l) => re.test(l)).length;
    if (score > bestScore) [best, bestScore] = [id, score];
  }
  // Braces and semicolons at line ends are code, not prose.
  const codeLines = lines.filter((l) => /[{};]\s*$|^\s*[})\]]/.test(l)).length;
  if (best && bestScore + codeLines >= Math.max(2, 0.15 * lines.length) && bestScore >= md) {
    return best;
  }
  if (md >= 2 || /^#\s/.test(trimmed)) return 'markdown';
  return undefined;
}

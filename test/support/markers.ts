// Reading markers in compressed text the way a model does: the id and the lines each names.

/** Each marker's id and the lines it names: `lines 12–30 (names) elided — expand_elision("id")`, `line 7 …`. */
export function markedLines(text: string): Map<string, { startLine: number; endLine: number }> {
  const out = new Map<string, { startLine: number; endLine: number }>();
  for (const m of text.matchAll(
    /\b(?:lines (\d+)–(\d+)|line (\d+))(?: \([^)\n]*\))? (?:elided|truncated) — expand_elision\("([a-z0-9]{8})"\)/g,
  )) {
    const start = Number(m[1] ?? m[3]);
    out.set(m[4]!, { startLine: start, endLine: Number(m[2] ?? m[3]) });
  }
  return out;
}

// What a reader of compressed context gets when it asks for an elided region by id: the original while a store
// holds it, else the file and lines to read instead, else what to do. Every surface (the VS Code tool, @budget's
// tool loop, the MCP server) answers with this, in its own tools' names.
import { parseElisionId, readInstead, type ElisionStore } from './elisions';

/** The source name of text passed inline to a compress tool (not a file): an id from it cannot be read back. */
export const TEXT_SOURCE = 'text';

export interface ExpandSurface {
  /** The expand tool's name, as markers write it (`contextBudget_expand`, `expand_elision`). */
  expandTool: string;
  /** The tool that produced the ids (`contextBudget_compress`, `compress_context`). */
  compressTool: string;
  /** Where originals are kept, for the sentence that says why one is gone. */
  keptWhere: string;
}

export interface ExpandAnswer {
  text: string;
  /** The original was returned. */
  found: boolean;
}

export function expandAnswer(store: ElisionStore, rawId: unknown, surface: ExpandSurface): ExpandAnswer {
  const id = parseElisionId(rawId);
  if (!id) {
    const given = typeof rawId === 'string' && rawId.trim() ? `'${rawId}' is not an elision id: pass` : 'Pass';
    return {
      text: `${given} the 8 characters a marker passes, as in ${surface.expandTool}("k3f9a2c1").`,
      found: false,
    };
  }
  const original = store.get(id);
  if (original !== undefined) return { text: original, found: true };
  const at = store.locate(id);
  if (at) {
    const where = at.source === TEXT_SOURCE ? `the text you passed to ${surface.compressTool}` : at.source;
    return {
      text: `The original of #${id} is no longer held (${surface.keptWhere}). ${readInstead(at, where)}`,
      found: false,
    };
  }
  const files = store.sources().filter((s) => s !== TEXT_SOURCE);
  return {
    text:
      `Unknown id #${id}: no compressed context held here has it. ` +
      (files.length
        ? `Read the file it came from instead; files compressed so far: ${files.slice(-20).join(', ')}.`
        : 'Read the file it came from instead.'),
    found: false,
  };
}

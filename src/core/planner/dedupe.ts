// Sources attached twice count once: the same document (by origin URI), a range inside a whole document, ranges
// that overlap or touch (merged into one text by their offsets), and the same id with the same text. The merged
// source keeps the highest priority among its members and the place of the first one.
import type { PlanNote } from './notes';
import type { PlanSource } from './types';

export interface DedupedSource extends PlanSource {
  /** Ids of the other sources merged into this one. */
  mergedFrom: string[];
}

export interface DedupeResult {
  sources: DedupedSource[];
  notes: PlanNote[];
}

interface Member {
  source: PlanSource;
  index: number;
}

const labelOf = (s: PlanSource) => s.label ?? s.id;

/** A range's text must span exactly its offsets to be merged by them; anything else only dedupes when identical. */
function hasRange(s: PlanSource): s is PlanSource & { origin: { uri: string; start: number; end: number } } {
  const o = s.origin;
  return !!o && o.start !== undefined && o.end !== undefined && o.end - o.start === s.text.length;
}

export function dedupeSources(sources: readonly PlanSource[]): DedupeResult {
  const notes: PlanNote[] = [];
  // Each output slot: the index of its first member, and the members.
  const groups: { first: number; members: Member[]; merged: PlanSource }[] = [];
  const byUri = new Map<string, Member[]>();
  const plain = new Map<string, number>();
  for (const [index, source] of sources.entries()) {
    if (source.origin) {
      const list = byUri.get(source.origin.uri) ?? [];
      list.push({ source, index });
      byUri.set(source.origin.uri, list);
      continue;
    }
    const key = `${source.id}\u0000${source.text}`;
    const slot = plain.get(key);
    if (slot !== undefined) {
      const g = groups[slot]!;
      g.members.push({ source, index });
      g.merged = highest(g.members).source;
      notes.push({ kind: 'attached', label: labelOf(source), times: g.members.length });
      continue;
    }
    plain.set(key, groups.length);
    groups.push({ first: index, members: [{ source, index }], merged: source });
  }

  for (const members of byUri.values()) {
    for (const group of mergeDocument(members, notes)) groups.push(group);
  }
  groups.sort((a, b) => a.first - b.first);
  return {
    sources: groups.map((g) => {
      const ids = [...new Set(g.members.map((m) => m.source.id))].filter((id) => id !== g.merged.id);
      return { ...g.merged, priority: Math.max(...g.members.map((m) => m.source.priority)), mergedFrom: ids };
    }),
    notes,
  };
}

function highest(members: readonly Member[]): Member {
  return members.reduce((best, m) => (m.source.priority > best.source.priority ? m : best));
}

/** One document's sources: a whole-document source covers every range; ranges merge where they overlap or touch. */
function mergeDocument(
  members: Member[],
  notes: PlanNote[],
): { first: number; members: Member[]; merged: PlanSource }[] {
  const uri = members[0]!.source.origin!.uri;
  const name = uri.slice(uri.replace(/[\\/]+$/, '').search(/[^\\/]*$/)) || uri;
  const wholes = members.filter((m) => m.source.origin!.start === undefined && m.source.origin!.end === undefined);
  if (wholes.length) {
    // The highest-priority whole copy is the text that goes in (two copies of a document that differ, e.g. saved
    // and edited, cannot both be right; the one the user ranked higher wins).
    const keep = highest(wholes);
    const first = Math.min(...members.map((m) => m.index));
    if (members.length > 1) {
      const ranges = members.length - wholes.length;
      notes.push({ kind: 'attached', label: name, times: members.length, ...(ranges ? { ranges } : {}) });
    }
    return [{ first, members, merged: keep.source }];
  }
  // Ranges: sweep by start offset; a range whose text cannot be placed by its offsets only merges when identical.
  const placed = members
    .filter((m) => hasRange(m.source))
    .sort((a, b) => a.source.origin!.start! - b.source.origin!.start!);
  const out: { first: number; members: Member[]; merged: PlanSource }[] = [];
  for (const m of members.filter((x) => !hasRange(x.source))) {
    const same = out.find((g) => g.merged.text === m.source.text);
    if (same) {
      same.members.push(m);
      same.first = Math.min(same.first, m.index);
      same.merged = { ...highest(same.members).source, text: same.merged.text };
      notes.push({ kind: 'attached', label: labelOf(m.source), times: 2 });
    } else {
      out.push({ first: m.index, members: [m], merged: m.source });
    }
  }
  let run: { first: number; members: Member[]; start: number; end: number; text: string } | undefined;
  const flush = () => {
    if (!run) return;
    const top = highest(run.members).source;
    const merged: PlanSource = { ...top, text: run.text, origin: { uri, start: run.start, end: run.end } };
    if (run.members.length > 1) {
      notes.push({
        kind: 'overlap',
        labels: run.members.map((m) => labelOf(m.source)),
        document: name,
        start: run.start,
        end: run.end,
      });
    }
    out.push({ first: run.first, members: run.members, merged });
    run = undefined;
  };
  for (const m of placed) {
    const { start, end } = m.source.origin as { start: number; end: number };
    // Overlapping text must agree, or the two were taken from different versions of the document: keep both.
    if (
      run &&
      start <= run.end &&
      run.text.slice(start - run.start, Math.min(end, run.end) - run.start) ===
        m.source.text.slice(0, Math.min(end, run.end) - start)
    ) {
      if (end > run.end) {
        run.text += m.source.text.slice(run.end - start);
        run.end = end;
      }
      run.members.push(m);
      run.first = Math.min(run.first, m.index);
      continue;
    }
    flush();
    run = { first: m.index, members: [m], start, end, text: m.source.text };
  }
  flush();
  return out;
}

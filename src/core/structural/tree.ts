// One pass over a syntax tree collects what each level removes: comments, function bodies, non-declarations.
import type { Tree } from 'web-tree-sitter';
import { CancelledError, type Cancellation } from '../tokens/count';
import { widenToLines, type Edit } from './edits';
import type { TreeLanguageSpec } from './languages';
import { yieldToHost } from '../yieldToHost';

export interface TreeAnalysis {
  comments: Edit[];
  bodies: Edit[];
  outline: Edit[];
  /** ERROR and MISSING nodes in the tree: the parse quality of the input. */
  errors: number;
}

interface Frame {
  type: string;
  start: number;
  container: boolean;
  count: number;
  drops: Edit[];
}

/** Nodes visited between yields to the host; keeps a 2 MB file from blocking it for long. */
const NODES_PER_SLICE = 20_000;

export async function analyseTree(
  tree: Tree,
  spec: TreeLanguageSpec,
  source: string,
  cancellation?: Cancellation,
  onProgress?: (fraction: number) => void,
): Promise<TreeAnalysis> {
  const comments: Edit[] = [];
  const bodies: Edit[] = [];
  const outline: Edit[] = [];
  let errors = 0;
  const cursor = tree.walk();
  const stack: Frame[] = [];
  let elided: Edit | null = null;
  let visited = 0;

  const finish = (frame: Frame) => {
    if (!frame.container || frame.drops.length === 0) {
      return;
    }
    const filler =
      frame.drops.length === frame.count ? spec.emptyContainerFiller?.(frame.type, frame.start, source) : null;
    if (filler) {
      // Every statement of this scope would go, which some languages reject: leave a placeholder statement.
      outline.push({
        start: frame.drops[0]!.start,
        end: frame.drops[frame.drops.length - 1]!.end,
        replacement: filler,
      });
    } else {
      outline.push(...frame.drops);
    }
  };

  try {
    for (;;) {
      const type = cursor.nodeType;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      if (elided && start >= elided.end) {
        elided = null;
      }
      if (type === 'ERROR' || cursor.nodeIsMissing) {
        errors++;
      }
      let descend = true;
      if (spec.comments.has(type)) {
        descend = false;
        // A shebang line is not a comment to the system that runs the file.
        const isShebang = start === 0 && source.startsWith('#!');
        if (!isShebang && end > start) {
          const [s, e] = widenToLines(source, start, end);
          comments.push({ start: s, end: e, replacement: '' });
        }
      } else if (!elided) {
        const parent = stack[stack.length - 1];
        if (parent?.container && cursor.nodeIsNamed) {
          parent.count++;
          if (spec.dropAtOutline(cursor.currentNode)) {
            const [s, e] = widenToLines(source, start, end);
            parent.drops.push({ start: s, end: e, replacement: '' });
          }
        }
        if (spec.bodyOwners.has(type)) {
          const edit = spec.elideBody(cursor.currentNode, source);
          if (edit) {
            bodies.push(edit);
            elided = edit;
          }
        }
      }
      if (++visited % NODES_PER_SLICE === 0) {
        onProgress?.(source.length ? start / source.length : 1);
        await yieldToHost();
        if (cancellation?.isCancellationRequested) {
          throw new CancelledError();
        }
      }
      if (descend && cursor.gotoFirstChild()) {
        stack.push({ type, start, container: spec.containers.has(type), count: 0, drops: [] });
        continue;
      }
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
        finish(stack.pop()!);
      }
      if (done) {
        break;
      }
    }
  } finally {
    cursor.delete();
  }
  while (stack.length) {
    finish(stack.pop()!);
  }
  comments.sort((a, b) => a.start - b.start);
  outline.sort((a, b) => a.start - b.start || b.end - a.end);
  return { comments, bodies, outline, errors };
}

/** Counts ERROR and MISSING nodes; used by tests and by the level check. */
export function countErrors(tree: Tree): number {
  const cursor = tree.walk();
  let errors = 0;
  try {
    for (;;) {
      if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) {
        errors++;
      }
      if (cursor.gotoFirstChild()) {
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          return errors;
        }
      }
    }
  } finally {
    cursor.delete();
  }
}

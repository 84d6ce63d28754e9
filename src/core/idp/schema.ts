// Prompt pools: a built-in curated pool plus any the user adds (setting or workspace file), validated here so a
// bad file gives one clear message naming the file and the field, instead of a selector that silently misbehaves.
import { z } from 'zod';

export const PromptSchema = z.object({
  /** Stable id, used by overrides ("/compress prompt:find-bug") and by settings. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  title: z.string().min(1),
  /** One sentence on when this prompt fits; scored by the lexical ranker. */
  description: z.string().min(1),
  /** Sent to the model before the compressed context. */
  instruction: z.string().min(1),
  /** Typical requests this prompt answers; scored by both rankers. */
  exemplars: z.array(z.string().min(1)).min(1, 'give at least one exemplar request'),
});

export const PoolSchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1),
    prompts: z.array(PromptSchema).min(1, 'a pool needs at least one prompt'),
  })
  .superRefine((pool, ctx) => {
    const seen = new Set<string>();
    pool.prompts.forEach((p, i) => {
      if (seen.has(p.id)) {
        ctx.addIssue({ code: 'custom', path: ['prompts', i, 'id'], message: `duplicate prompt id '${p.id}'` });
      }
      seen.add(p.id);
    });
  });

export type PromptEntry = z.infer<typeof PromptSchema>;
export type PromptPool = z.infer<typeof PoolSchema>;

/** A pool file that failed to parse or validate; `message` names the source and every problem. */
export class PoolError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid prompt pool ${source}: ${problems.join('; ')}`);
    this.name = 'PoolError';
  }
}

export function parsePool(value: unknown, source: string): PromptPool {
  const result = PoolSchema.safeParse(value);
  if (!result.success) {
    throw new PoolError(
      source,
      result.error.issues.map((issue) => {
        const where = issue.path.length
          ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
          : '(root)';
        return `${where.replace(/^\./, '')}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

export function parsePoolText(text: string, source: string): PromptPool {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PoolError(source, [`not valid JSON (${(e as Error).message})`]);
  }
  return parsePool(value, source);
}

/** Later pools override earlier prompts with the same id, so a user pool can refine a built-in prompt. */
export function mergePools(pools: readonly PromptPool[]): PromptEntry[] {
  const byId = new Map<string, PromptEntry>();
  for (const pool of pools) {
    for (const p of pool.prompts) {
      byId.delete(p.id);
      byId.set(p.id, p);
    }
  }
  return [...byId.values()];
}

// planContext with a frame that depends on the plan itself (a summary line with the result's own figures, the names
// of omitted files): plan with the last attempt's frame, rebuild the frame from the plan, and check the whole text
// with the target's count. The planner decides every budget; this only makes sure its frame is the one printed.
import { planContext, type PlanRequest, type PlanResult } from '../core/planner/index';

export interface Frame {
  before: string;
  after: string;
}

/**
 * How much a frame says, fullest first: `full` (a header per omitted file, per-source lines), `compact` (one line
 * with room for a few names), `counts` (that line with room for a count only; names where the plan leaves room),
 * `minimal` (the smallest acceptable form: the summary line alone, or nothing).
 */
export type FrameForm = 'full' | 'compact' | 'counts' | 'minimal';

/**
 * `frameFor(plan, form)` is the frame of that form for a plan; `frameFor(undefined, form)` one at least as long as
 * any real one of the same form (placeholder figures and names). A form is dropped for the next when it leaves no
 * room for any context.
 */
export type FrameFor = (plan: PlanResult | undefined, form: FrameForm) => Frame;

export interface FramedPlan {
  plan: PlanResult;
  /** before + context + after: what is printed or returned, within plan.budget in the target's count. */
  text: string;
  tokens: number;
  form: FrameForm;
}

const MAX_ATTEMPTS = 4;

/** The planner's refusal when the frame alone exceeds the budget (its one allowed refusal). */
const frameAlone = (err: unknown): err is Error => err instanceof Error && /frame alone/.test(err.message);

/** Not even the minimal frame fits the budget: the caller asked for too little. */
export class FrameTooLargeError extends Error {}

/**
 * Plans with each form in turn (by default `full`, then `minimal`), until one leaves room for context; the last form
 * is taken as it comes.
 */
export async function planFramed(
  request: Omit<PlanRequest, 'frame'>,
  frameFor: FrameFor,
  forms: readonly FrameForm[] = ['full', 'minimal'],
): Promise<FramedPlan> {
  const count = async (t: string) => request.count(t);
  const planWith = (frame: Frame, budget: number) =>
    planContext({ ...request, budget, frame: (context) => frame.before + context + frame.after });
  for (const form of forms.slice(0, -1)) {
    let frame = frameFor(undefined, form);
    let room = request.budget;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // The frame alone over the budget: no plan can fit; go to the next form without asking the planner.
      if (request.rate === undefined && (await count(frame.before + frame.after)) >= room) break;
      let plan: PlanResult;
      try {
        plan = await planWith(frame, room);
      } catch (err) {
        // This frame alone leaves no room: fall back to the next form.
        if (frameAlone(err)) break;
        throw err;
      }
      // A frame that crowds out every source is no use while a smaller one is left.
      if (keptNothing(plan)) break;
      const real = frameFor(plan, form);
      const text = real.before + plan.context + real.after;
      const tokens = await count(text);
      const limit = request.rate !== undefined ? plan.budget : request.budget;
      if (tokens <= limit) return { plan, text, tokens, form };
      // The real frame came out longer than the one planned with: plan again with it; from the second retry on
      // (it still grows), also leave the difference.
      if (attempt > 1 && request.rate === undefined) room = Math.max(1, room - Math.max(0, tokens - plan.tokens));
      frame = real;
    }
  }
  const last = forms[forms.length - 1]!;
  let plan: PlanResult;
  try {
    plan = await planWith(frameFor(undefined, last), request.budget);
  } catch (err) {
    if (frameAlone(err)) {
      throw new FrameTooLargeError(
        `budget ${request.budget} is too small for the result's summary line: ${err.message}`,
      );
    }
    throw err;
  }
  const real = frameFor(plan, last);
  const text = real.before + plan.context + real.after;
  const tokens = await count(text);
  if (tokens > plan.budget) {
    throw new FrameTooLargeError(
      `could not fit the result into ${plan.budget} tokens (${tokens} with the summary line alone)`,
    );
  }
  return { plan, text, tokens, form: last };
}

/** Nothing of any source made it in: every one was left out, or the last resort cut the context to nothing. */
export function keptNothing(plan: PlanResult): boolean {
  return plan.sources.every((s) => s.level === 'omitted') || plan.context.trim() === '';
}

/**
 * The smallest budget (in the target's count) whose framed plan keeps something of the sources, above `budget`
 * (which kept nothing); undefined when even the sources' whole size does not. Doubling, then halving the gap: a
 * dozen plans at most, each on analyses the structural compressor has cached.
 */
export async function smallestUsefulBudget(
  request: Omit<PlanRequest, 'frame' | 'rate'>,
  frameFor: FrameFor,
  forms: readonly FrameForm[],
): Promise<number | undefined> {
  const keeps = async (budget: number) => {
    try {
      return !keptNothing((await planFramed({ ...request, budget }, frameFor, forms)).plan);
    } catch (err) {
      if (err instanceof FrameTooLargeError) return false;
      throw err;
    }
  };
  // An upper bound: every source whole with its header (planning units, with room for the target's count).
  const whole =
    Math.ceil(1.25 * request.sources.reduce((n, s) => n + request.planning.count((s.header ?? '') + s.text), 0)) + 64;
  let lo = request.budget;
  let hi = Math.max(lo + 1, 2 * lo);
  while (!(await keeps(hi))) {
    if (hi >= whole) return undefined;
    lo = hi;
    hi = Math.min(whole, 2 * hi);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await keeps(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

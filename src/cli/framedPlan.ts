// planContext with a frame that depends on the plan itself (a summary line with the result's own figures, the names
// of omitted files): plan with the last attempt's frame, rebuild the frame from the plan, and check the whole text
// with the target's count. The planner decides every budget; this only makes sure its frame is the one printed.
import { planContext, type PlanRequest, type PlanResult } from '../core/planner/index';

export interface Frame {
  before: string;
  after: string;
}

/**
 * `frameFor(plan)` is the frame for a plan; `frameFor(undefined)` one at least as long as any real one of the same
 * shape (placeholder figures), and `minimal` the smallest acceptable form (the summary line alone), used when the
 * full frame leaves no room for any context.
 */
export type FrameFor = (plan: PlanResult | undefined, minimal: boolean) => Frame;

export interface FramedPlan {
  plan: PlanResult;
  /** before + context + after: what is printed or returned, within plan.budget in the target's count. */
  text: string;
  tokens: number;
}

const MAX_ATTEMPTS = 4;

/** The planner's refusal when the frame alone exceeds the budget (its one allowed refusal). */
const frameAlone = (err: unknown): err is Error => err instanceof Error && /frame alone/.test(err.message);

/** Not even the minimal frame fits the budget: the caller asked for too little. */
export class FrameTooLargeError extends Error {}

export async function planFramed(request: Omit<PlanRequest, 'frame'>, frameFor: FrameFor): Promise<FramedPlan> {
  const count = async (t: string) => request.count(t);
  const planWith = (frame: Frame, budget: number) =>
    planContext({ ...request, budget, frame: (context) => frame.before + context + frame.after });
  let frame = frameFor(undefined, false);
  let room = request.budget;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // The frame alone over the budget: no plan can fit; go to the minimal frame without asking the planner.
    if (request.rate === undefined && (await count(frame.before + frame.after)) >= room) break;
    let plan: PlanResult;
    try {
      plan = await planWith(frame, room);
    } catch (err) {
      // The full frame alone leaves no room: fall back to the minimal one (below).
      if (frameAlone(err)) break;
      throw err;
    }
    const real = frameFor(plan, false);
    const text = real.before + plan.context + real.after;
    const tokens = await count(text);
    const limit = request.rate !== undefined ? plan.budget : request.budget;
    if (tokens <= limit) return { plan, text, tokens };
    // The real frame came out longer than the one planned with: plan again with it; from the second retry on
    // (it still grows), also leave the difference.
    if (attempt > 1 && request.rate === undefined) room = Math.max(1, room - Math.max(0, tokens - plan.tokens));
    frame = real;
  }
  let plan: PlanResult;
  try {
    plan = await planWith(frameFor(undefined, true), request.budget);
  } catch (err) {
    if (frameAlone(err)) {
      throw new FrameTooLargeError(
        `budget ${request.budget} is too small for the result's summary line: ${err.message}`,
      );
    }
    throw err;
  }
  const real = frameFor(plan, true);
  const text = real.before + plan.context + real.after;
  const tokens = await count(text);
  if (tokens > plan.budget) {
    throw new FrameTooLargeError(
      `could not fit the result into ${plan.budget} tokens (${tokens} with the summary line alone)`,
    );
  }
  return { plan, text, tokens };
}

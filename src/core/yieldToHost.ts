// Long loops in core await this between pieces of work so the host (extension host, worker) stays responsive.
// setImmediate yields without the 1 ms clamp of setTimeout; browsers and web workers lack it (so core's types do not
// declare it: it is looked up on globalThis).
const setImmediateIfAny = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

export const yieldToHost: () => Promise<void> = setImmediateIfAny
  ? () => new Promise((resolve) => setImmediateIfAny(() => resolve()))
  : () => new Promise((resolve) => setTimeout(resolve, 0));

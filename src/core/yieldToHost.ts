// Long loops in core await this between pieces of work so the host (extension host, worker) stays responsive.
// setImmediate yields without the 1 ms clamp of setTimeout; browsers and web workers lack it.
export const yieldToHost: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

// A clock the test moves by hand, for code that takes its timers as a parameter (e.g. the model's idle unload):
// "after 40 ms idle" then means exactly that, however busy the machine is.
import type { IdleTimers } from '../../src/core/llmlingua2/asCompressor';

export class ManualTimers implements IdleTimers {
  private now = 0;
  private nextId = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  /** How many timers were ever set. */
  sets = 0;

  set(fn: () => void, ms: number): number {
    this.sets++;
    const id = this.nextId++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }

  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** Timers set and not yet run or cleared. */
  get pending(): number {
    return this.due.size;
  }

  /** Moves the clock on and runs, in order, the timers that fall due. */
  advance(ms: number): void {
    this.now += ms;
    const ready = [...this.due].filter(([, t]) => t.at <= this.now).sort((a, b) => a[1].at - b[1].at);
    for (const [id, t] of ready) {
      this.due.delete(id);
      t.fn();
    }
  }
}

/** Polls (yielding to the event loop) until `ok()` holds; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Counts work in flight so callers (tests, commands) can await the moment nothing is pending. */
export class Idle {
  private busy = 0;
  private waiters: Array<() => void> = [];

  begin(): void {
    this.busy++;
  }

  end(): void {
    this.busy = Math.max(0, this.busy - 1);
    if (this.busy === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w());
    }
  }

  wait(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

// Writes of a whole state, one at a time, the latest last: while one write runs, later states replace each other,
// so a burst of changes costs two writes, not one per change. The write itself (a file, a storage URI) is the host's.
export class LatestWrite<T> {
  private writing: Promise<void> = Promise.resolve();
  private next: T | undefined;

  constructor(private readonly write: (state: T) => Promise<void>) {}

  save(state: T): void {
    const idle = this.next === undefined;
    this.next = state;
    if (idle) this.writing = this.writing.then(() => this.drain());
  }

  /** Resolves once every state saved so far is written. */
  async flushed(): Promise<void> {
    for (;;) {
      const pending = this.writing;
      await pending;
      if (pending === this.writing && this.next === undefined) return;
    }
  }

  private async drain(): Promise<void> {
    const state = this.next;
    this.next = undefined;
    if (state !== undefined) await this.write(state);
  }
}

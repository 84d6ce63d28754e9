// Overlapping recounts (status bar, savings view) may finish in any order: a count for an older text, selection
// or target model can answer after a newer one, e.g. a chat model's countTokens that ignores cancellation.
// Numbering each request and delivering only the newest makes that harmless whatever the counter does.

export class NewestWins<T> {
  private newest = 0;

  constructor(private readonly deliver: (value: T) => void) {}

  /**
   * Runs one request. Its value (or error) reaches the caller only if no newer request started meanwhile;
   * an outdated one resolves to false and its error is dropped. `undefined` means "nothing to show".
   */
  async run(work: () => Promise<T | undefined>): Promise<boolean> {
    const id = ++this.newest;
    let value: T | undefined;
    try {
      value = await work();
    } catch (err) {
      if (id !== this.newest) {
        return false;
      }
      throw err;
    }
    if (id !== this.newest || value === undefined) {
      return false;
    }
    this.deliver(value);
    return true;
  }

  /** Makes every request in flight outdated (e.g. when the view closes). */
  invalidate(): void {
    this.newest++;
  }
}

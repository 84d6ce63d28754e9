// Requests to a worker matched to its replies by id: the one pending-request map of the worker clients (the
// LLMLingua-2 engine worker in Node and in browsers, its WASM session workers, the count worker). Pure: the caller
// supplies `post` and forwards the worker's messages, errors and exit here.

/** What a reply means for its call: a value, an error, or nothing yet (e.g. progress; the call stays pending). */
export type Settlement = { value: unknown } | { error: Error } | undefined;

export interface RpcOptions<Req, Res extends { id: number }, Extra> {
  post(message: Req): void;
  /** Reads a reply for the call it answers (`extra`: what the caller attached to that call). */
  settle(reply: Res, extra: Extra): Settlement;
  /** Names the worker in the error of an unexpected exit: "<name> exited (<code>)". */
  name: string;
}

interface Pending<Extra> {
  resolve(v: unknown): void;
  reject(e: Error): void;
  extra: Extra;
}

export class Rpc<Req, Res extends { id: number }, Extra = undefined> {
  private readonly pending = new Map<number, Pending<Extra>>();
  private nextId = 1;
  /** Set once the worker has failed, exited or been stopped: calls then reject at once instead of waiting. */
  closed: Error | undefined;

  constructor(private readonly options: RpcOptions<Req, Res, Extra>) {}

  /** Posts the message that `build` makes with a fresh id; settles when a reply says so or the worker goes. */
  call<T>(build: (id: number) => Req, extra: Extra): Promise<T> {
    if (this.closed) {
      return Promise.reject(this.closed);
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, extra });
      this.options.post(build(id));
    });
  }

  /** Calls still waiting for their reply, with what each carries. */
  *waiting(): IterableIterator<[id: number, extra: Extra]> {
    for (const [id, p] of this.pending) yield [id, p.extra];
  }

  get size(): number {
    return this.pending.size;
  }

  onMessage(reply: Res): void {
    const p = this.pending.get(reply.id);
    if (!p) {
      return;
    }
    const s = this.options.settle(reply, p.extra);
    if (!s) {
      return;
    }
    this.pending.delete(reply.id);
    if ('error' in s) {
      p.reject(s.error);
    } else {
      p.resolve(s.value);
    }
  }

  onError(e: Error): void {
    this.close(e);
  }

  onExit(code: number): void {
    this.close(new Error(`${this.options.name} exited (${code})`));
  }

  /** Rejects every pending call with `e`, and every later one (the first reason stays). */
  close(e: Error): void {
    this.closed ??= e;
    for (const p of this.pending.values()) {
      p.reject(e);
    }
    this.pending.clear();
  }
}

// Reads of one key (an instrument, say) that arrive while a read of it runs do not each go to the
// database: they wait together for the *next* read, which starts as soon as the running one ends
// and answers all of them with one query over their combined question. Every answer therefore comes
// from a read that started after its request arrived (a client that has just booked sees its own
// booking), in every process, without a cache to invalidate; at most two reads per key are ever
// queued, so under load one query serves many requests (scripts/bench/availability.ts).
interface Batch<Q, R> {
  queries: Q[];
  promise: Promise<R>;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

interface KeyState<Q, R> {
  running: boolean;
  next?: Batch<Q, R>;
}

function newBatch<Q, R>(): Batch<Q, R> {
  let resolve!: (r: R) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<R>((res, rej) => ((resolve = res), (reject = rej)));
  return { queries: [], promise, resolve, reject };
}

export class CoalescedReads<Q, R> {
  private readonly keys = new Map<string, KeyState<Q, R>>();

  /** `run` answers the queries of one batch with one result, which each caller then narrows to its own query. */
  constructor(private readonly run: (key: string, queries: readonly Q[]) => Promise<R>) {}

  read(key: string, query: Q): Promise<R> {
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { running: false }));
    state.next ??= newBatch<Q, R>();
    state.next.queries.push(query);
    const answer = state.next.promise;
    if (!state.running) this.start(key, state);
    return answer;
  }

  private start(key: string, state: KeyState<Q, R>): void {
    const batch = state.next!;
    state.next = undefined;
    state.running = true;
    // Settled in a later tick: the batch is closed before anyone sees its result.
    Promise.resolve()
      .then(() => this.run(key, batch.queries))
      .then(batch.resolve, batch.reject)
      .finally(() => {
        if (state.next) this.start(key, state);
        else this.keys.delete(key);
      });
  }
}

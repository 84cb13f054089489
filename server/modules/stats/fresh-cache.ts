// A short-lived shared value: concurrent readers share one computation, and a value stays in use
// while it is fresh. After that it is served for a little longer while one refresh runs in the
// background (so readers do not wait for a full scan every few seconds); past `maxAgeMs` readers
// wait for a computation (the one running, if any). A value's age counts from when its computation
// started, so a served value never reflects the database as of more than `maxAgeMs` ago.
export interface FreshCacheOptions {
  /** Served as is, no refresh, while younger than this. */
  freshMs: number;
  /** Never served when older than this: readers wait for a computation started after their call. */
  maxAgeMs: number;
  clock?: () => number;
}

export class FreshCache<T> {
  private value: { v: T; at: number } | null = null;
  private pending: Promise<T> | null = null;
  private readonly clock: () => number;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly opts: FreshCacheOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
  }

  async get(): Promise<T> {
    const now = this.clock();
    const age = this.value ? now - this.value.at : Infinity;
    if (age < this.opts.freshMs) return this.value!.v;
    if (age < this.opts.maxAgeMs) {
      void this.refresh().catch(() => {}); // the next reader retries; this one has its value
      return this.value!.v;
    }
    // No usable value: share the running computation, or start one.
    return this.refresh();
  }

  /** Drops the value (the next reader computes). */
  clear(): void {
    this.value = null;
  }

  private refresh(): Promise<T> {
    if (this.pending) return this.pending;
    const at = this.clock();
    const p = this.load()
      .then((v) => {
        if (!this.value || this.value.at <= at) this.value = { v, at };
        return v;
      })
      .finally(() => {
        if (this.pending === p) this.pending = null;
      });
    this.pending = p;
    return p;
  }
}

// A short-lived shared value: concurrent readers share one computation, and a value stays in use
// while it is fresh. After that it is served while one refresh runs in the background (readers do
// not wait for a full scan every few seconds). A slow computation is not restarted back to back: the
// next refresh waits `pauseFactor` times the last one's duration, so a scan of the source takes at
// most 1/(1 + pauseFactor) of the time. A value is not served once older than `maxAgeMs` or, when
// computations are slow, than one refresh cycle (fresh + (1 + pauseFactor) × the last duration):
// readers then wait for a computation (after an idle spell). Ages count from a computation's start.
export interface FreshCacheOptions {
  /** Served as is, no refresh, while younger than this. */
  freshMs: number;
  /** Never served when older than this. */
  maxAgeMs: number;
  /** Pause after a refresh, in multiples of its duration (default 2). */
  pauseFactor?: number;
  clock?: () => number;
}

export class FreshCache<T> {
  private value: { v: T; at: number } | null = null;
  private pending: Promise<T> | null = null;
  private nextRefreshAt = 0;
  private lastDurationMs = 0;
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
    const pause = this.opts.pauseFactor ?? 2;
    if (age < Math.max(this.opts.maxAgeMs, this.opts.freshMs + (1 + pause) * this.lastDurationMs)) {
      if (now >= this.nextRefreshAt) void this.refresh().catch(() => {}); // the next reader retries; this one has its value
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
        const end = this.clock();
        this.lastDurationMs = end - at;
        this.nextRefreshAt = end + this.lastDurationMs * (this.opts.pauseFactor ?? 2);
        if (this.pending === p) this.pending = null;
      });
    this.pending = p;
    return p;
  }
}

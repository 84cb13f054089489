// Oversight's figures come from scans of the bookings and vouchers (sources.ts): seconds on the
// embedded FerretDB at 20,000 bookings (docs/oversight.md "Cost"). Each figure set is kept in a
// short-lived shared value per key, the statistics' FreshCache: readers share one computation, a
// value is served as is for a minute, then while one background refresh runs, and never once older
// than 10 minutes (or one refresh cycle when scans are slow). Oversight's own decisions (budget
// versions, signal reviews) are read fresh beside it; a new rating drops the scorecards.
import { FreshCache } from "../stats/fresh-cache";

export const FIGURES_FRESH_MS = 60_000;
export const FIGURES_MAX_AGE_MS = 600_000;
/** After a refresh the next waits 9× its duration: the scans occupy the database ≤ 10% of the time. */
const PAUSE_FACTOR = 9;
/** Keys change with the year, the day and the range asked for: old ones go when there are too many. */
const MAX_KEYS = 32;

export class FiguresCache {
  private readonly caches = new Map<string, FreshCache<unknown>>();

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let cache = this.caches.get(key);
    if (!cache) {
      if (this.caches.size >= MAX_KEYS) this.caches.clear();
      cache = new FreshCache<unknown>(compute, { freshMs: FIGURES_FRESH_MS, maxAgeMs: FIGURES_MAX_AGE_MS, pauseFactor: PAUSE_FACTOR });
      this.caches.set(key, cache);
    }
    return cache.get() as Promise<T>;
  }

  /** Drops the values whose key starts with `prefix` (the next reader computes). */
  forget(prefix: string): void {
    for (const key of [...this.caches.keys()]) if (key.startsWith(prefix)) this.caches.delete(key);
  }
}

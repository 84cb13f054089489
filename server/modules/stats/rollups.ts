// Closed months come from their roll-up documents; a missing one is computed from the source
// documents and inserted (model.ts). In one process, concurrent readers of a missing month share
// one computation; across processes the `_id` insert picks one document and every reader serves it.
import type { Model } from "mongoose";
import { findByIds } from "../../db/by-ids";
import { isDuplicateKeyError } from "../../db/errors";
import type { MonthFigures } from "./figures";
import { docOf, figuresOf, type StatsMonthDoc } from "./model";
import type { StatsSources } from "./sources";

/**
 * Stored roll-ups never change, so a process keeps those it has read for a minute (a year of them is
 * megabytes of subsidy lines to decode on every request otherwise); only `stats:verify --rebuild`
 * replaces one, and running servers serve the replacement within this time.
 */
export const ROLLUP_MEMORY_MS = 60_000;

export class MonthRollups {
  private readonly inflight = new Map<string, Promise<MonthFigures>>();
  private readonly memory = new Map<string, { figures: MonthFigures; at: number }>();

  constructor(
    private readonly model: Model<StatsMonthDoc>,
    private readonly sources: StatsSources,
    private readonly clock: () => number,
  ) {}

  /** The figures of closed months (the caller decides which months are closed). */
  async get(months: readonly string[]): Promise<MonthFigures[]> {
    if (months.length === 0) return [];
    const now = Date.now();
    const found = new Map<string, MonthFigures>();
    for (const m of months) {
      const kept = this.memory.get(m);
      if (kept && now - kept.at < ROLLUP_MEMORY_MS) found.set(m, kept.figures);
    }
    const unread = months.filter((m) => !found.has(m));
    if (unread.length > 0) {
      for (const doc of await findByIds<StatsMonthDoc>(this.model, unread)) found.set(doc._id, this.keep(figuresOf(doc)));
    }
    const missing = months.filter((m) => !found.has(m) && !this.inflight.has(m));
    if (missing.length > 0) {
      const batch = this.computeAndStore(missing);
      missing.forEach((m, k) => {
        const one = batch.then((all) => all[k]!);
        this.inflight.set(m, one);
        void one.finally(() => this.inflight.delete(m)).catch(() => {});
      });
    }
    return Promise.all(months.map((m) => found.get(m) ?? this.inflight.get(m)!));
  }

  /** Drops kept roll-ups (after this process rebuilt them). */
  forget(months: readonly string[]): void {
    for (const m of months) this.memory.delete(m);
  }

  private keep(figures: MonthFigures): MonthFigures {
    if (this.memory.size >= 1_000) this.memory.clear(); // more than 80 years of months: start over
    this.memory.set(figures.month, { figures, at: Date.now() });
    return figures;
  }

  /** Computes months from the source (one pass) and inserts each; a duplicate key keeps the stored one. */
  private async computeAndStore(months: string[]): Promise<MonthFigures[]> {
    const computed = await this.sources.months(months);
    const at = new Date(this.clock());
    return Promise.all(computed.map(async (f) => {
      try {
        await this.model.create(docOf(f, at));
        return this.keep(f);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const stored = await this.model.findById(f.month).lean<StatsMonthDoc>();
        return stored ? this.keep(figuresOf(stored)) : f;
      }
    }));
  }
}

// Closed months come from their roll-up documents; a missing one is computed from the source
// documents and inserted (model.ts). In one process, concurrent readers of a missing month share
// one computation; across processes the `_id` insert picks one document and every reader serves it.
import type { Model } from "mongoose";
import { findByIds } from "../../db/by-ids";
import { isDuplicateKeyError } from "../../db/errors";
import type { MonthFigures } from "./figures";
import { docOf, figuresOf, type StatsMonthDoc } from "./model";
import type { StatsSources } from "./sources";

export class MonthRollups {
  private readonly inflight = new Map<string, Promise<MonthFigures>>();

  constructor(
    private readonly model: Model<StatsMonthDoc>,
    private readonly sources: StatsSources,
    private readonly clock: () => number,
  ) {}

  /** The figures of closed months (the caller decides which months are closed). */
  async get(months: readonly string[]): Promise<MonthFigures[]> {
    if (months.length === 0) return [];
    const stored = await findByIds<StatsMonthDoc>(this.model, months);
    const found = new Map(stored.map((d) => [d._id, figuresOf(d)]));
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

  /** Computes months from the source (one pass) and inserts each; a duplicate key keeps the stored one. */
  private async computeAndStore(months: string[]): Promise<MonthFigures[]> {
    const computed = await this.sources.months(months);
    const at = new Date(this.clock());
    return Promise.all(computed.map(async (f) => {
      try {
        await this.model.create(docOf(f, at));
        return f;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const stored = await this.model.findById(f.month).lean<StatsMonthDoc>();
        return stored ? figuresOf(stored) : f;
      }
    }));
  }
}

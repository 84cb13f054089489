// `npm run stats:verify`: every stored roll-up recomputed from the source documents and compared
// field by field; `--rebuild` replaces a wrong one (a maintenance step: delete, then insert the
// recomputed document; a reader racing it computes the same document, so either insert is right).
import type { Model } from "mongoose";
import { docOf, figuresOf, ROLLUP_SCHEMA, type StatsMonthDoc } from "./model";
import type { StatsSources } from "./sources";
import type { DayFigures, MonthFigures } from "./figures";

export interface RollupDifference {
  month: string;
  /** Days whose flows differ: the stored and the recomputed figures (null: no such day). */
  days: { day: string; stored: DayFigures | null; computed: DayFigures | null }[];
  /** Whether the subsidy lines (enterprise, county, amount per day) differ. */
  subsidies: boolean;
  /** Written under other definitions (`schema` ≠ ROLLUP_SCHEMA). */
  outdated: boolean;
}

export interface RollupVerification {
  ok: boolean;
  checked: number;
  differences: RollupDifference[];
  rebuilt: string[];
}

export async function verifyRollups(model: Model<StatsMonthDoc>, sources: StatsSources, clock: () => number, opts: { rebuild?: boolean }): Promise<RollupVerification> {
  const stored = (await model.find({}).lean<StatsMonthDoc[]>()).sort((a, b) => a._id.localeCompare(b._id));
  const computed = await sources.months(stored.map((d) => d._id));
  const differences: RollupDifference[] = [];
  const rebuilt: string[] = [];
  for (const [k, doc] of stored.entries()) {
    const diff = compare(figuresOf(doc), computed[k]!, doc.schema !== ROLLUP_SCHEMA);
    if (!diff) continue;
    differences.push(diff);
    if (opts.rebuild) {
      await model.deleteOne({ _id: doc._id });
      await model.create(docOf(computed[k]!, new Date(clock()))).catch(() => {}); // a reader may have re-inserted the same figures
      rebuilt.push(doc._id);
    }
  }
  return { ok: differences.length === 0, checked: stored.length, differences, rebuilt };
}

function compare(stored: MonthFigures, computed: MonthFigures, outdated: boolean): RollupDifference | null {
  const byDay = (f: MonthFigures) => new Map(f.days.map((d) => [d.day, d]));
  const a = byDay(stored);
  const b = byDay(computed);
  const days = [...new Set([...a.keys(), ...b.keys()])]
    .filter((d) => JSON.stringify(a.get(d)) !== JSON.stringify(b.get(d)))
    .sort()
    .map((day) => ({ day, stored: a.get(day) ?? null, computed: b.get(day) ?? null }));
  const subsidies = JSON.stringify(stored.subsidies) !== JSON.stringify(computed.subsidies);
  return days.length > 0 || subsidies || outdated ? { month: stored.month, days, subsidies, outdated } : null;
}

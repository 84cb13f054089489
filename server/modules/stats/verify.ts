// `npm run stats:verify`: every stored roll-up (days and months) recomputed by scanning the source
// documents (sources.ts, independent of the day index the roll-ups were computed from) and compared
// field by field; `--rebuild` replaces a wrong one (a maintenance step: delete, then insert the
// scan's figures; a reader racing it inserts the day index's figures, the same unless the index
// itself misses a fact, which the next verification reports again).
import type { Model } from "mongoose";
import { monthOfDay } from "./calendar";
import { mergeSpans, type DayFigures, type SpanFigures } from "./figures";
import { docOf, figuresOf, ROLLUP_SCHEMA, type SpanDoc } from "./model";
import type { StatsSources } from "./sources";

export interface RollupDifference {
  /** The roll-up: a day (YYYY-MM-DD) or a month (YYYY-MM). */
  key: string;
  /** Days whose flows differ: the stored and the recomputed figures (null: no such day). */
  days: { day: string; stored: DayFigures | null; computed: DayFigures | null }[];
  /** Whether the subsidy lines (vouchers per enterprise and county) differ. */
  subsidies: boolean;
  /** Whether the settlement times (claims paid after n days) differ. */
  paidAfter: boolean;
  /** Written under other definitions (`schema` ≠ ROLLUP_SCHEMA). */
  outdated: boolean;
}

export interface RollupVerification {
  ok: boolean;
  checked: { days: number; months: number };
  differences: RollupDifference[];
  rebuilt: string[];
}

export async function verifyRollups(models: { days: Model<SpanDoc>; months: Model<SpanDoc> }, sources: StatsSources, clock: () => number, opts: { rebuild?: boolean }): Promise<RollupVerification> {
  const [days, months] = await Promise.all([models.days.find({}).lean<SpanDoc[]>(), models.months.find({}).lean<SpanDoc[]>()]);
  const spanMonths = [...new Set([...days.map((d) => monthOfDay(d._id)), ...months.map((m) => m._id)])];
  const scanned = await sources.daysOfMonths(spanMonths);
  const truth = (key: string): SpanFigures => (key.length === 10 ? scanned.get(key)! : mergeSpans(key, [...scanned.values()].filter((d) => monthOfDay(d.key) === key)));
  const differences: RollupDifference[] = [];
  const rebuilt: string[] = [];
  // Days first: a month rebuilt after its days is their sum.
  for (const [model, docs] of [[models.days, days], [models.months, months]] as const) {
    for (const doc of [...docs].sort((a, b) => a._id.localeCompare(b._id))) {
      const computed = truth(doc._id);
      const diff = compare(figuresOf(doc), computed, doc.schema !== ROLLUP_SCHEMA);
      if (!diff) continue;
      differences.push(diff);
      if (opts.rebuild) {
        await model.deleteOne({ _id: doc._id });
        await model.collection.insertOne(docOf(computed, new Date(clock())) as never).catch(() => {}); // a reader may have re-inserted meanwhile
        rebuilt.push(doc._id);
      }
    }
  }
  return { ok: differences.length === 0, checked: { days: days.length, months: months.length }, differences, rebuilt };
}

function compare(stored: SpanFigures, computed: SpanFigures, outdated: boolean): RollupDifference | null {
  const byDay = (f: SpanFigures) => new Map(f.days.map((d) => [d.day, d]));
  const a = byDay(stored);
  const b = byDay(computed);
  const days = [...new Set([...a.keys(), ...b.keys()])]
    .filter((d) => JSON.stringify(a.get(d)) !== JSON.stringify(b.get(d)))
    .sort()
    .map((day) => ({ day, stored: a.get(day) ?? null, computed: b.get(day) ?? null }));
  const subsidies = JSON.stringify(stored.subsidies) !== JSON.stringify(computed.subsidies);
  const paidAfter = JSON.stringify(stored.paidAfter) !== JSON.stringify(computed.paidAfter);
  return days.length > 0 || subsidies || paidAfter || outdated ? { key: stored.key, days, subsidies, paidAfter, outdated } : null;
}

// Which spans answer a day range, and where each comes from. A request reads nothing but documents
// by `_id`: whole closed months from `stats_months`, other closed days from `stats_days`, and the
// days not yet closed (today, and yesterday during its grace) from the day index (day-index.ts)
// through a cache of a few seconds. Days after today are empty without a read.
import type { Connection } from "mongoose";
import { dayEndMs, daysBetween, monthEndMs, monthOfDay, monthsBetween, todayOf } from "./calendar";
import { DayIndexSources } from "./day-index";
import { mergeSpans, spanDays, type SpanFigures } from "./figures";
import { FreshCache } from "./fresh-cache";
import { statsDayModel, statsMonthModel } from "./model";
import type { DayRange } from "./range";
import { SpanRollups } from "./rollups";

/**
 * A day (or month) is rolled up this long after it ends in the platform zone: what is decided at
 * 23:59:59 of its last day (a booking, an issue, a void, a settlement) is written a moment later and
 * belongs to it. Until then it is read live from the day index.
 */
export const ROLLUP_GRACE_MS = 15 * 60_000;
/** Days not yet closed: a computation (a few `_id` reads) is served for 2 s, never when older than 10 s. */
export const LIVE_FRESH_MS = 2_000;
export const LIVE_MAX_AGE_MS = 10_000;

/** How often a process looks whether another one rebuilt roll-ups (one read by `_id`). */
export const ROLLUP_GENERATION_CHECK_MS = 5_000;

const GENERATION_ID = "rollups";
type Db = NonNullable<Connection["db"]>;
export const readGeneration = async (db: Db): Promise<string> => String((await db.collection("stats_meta").findOne({ _id: GENERATION_ID as never }))?.generation ?? "");
/** Written by a rebuild (one writer; a lost update still changes the value, which is all readers look at). */
export const bumpGeneration = (db: Db): Promise<unknown> =>
  db.collection("stats_meta").updateOne({ _id: GENERATION_ID as never }, { $set: { generation: `${Date.now()}-${Math.random().toString(36).slice(2)}` } }, { upsert: true });

export interface SpanPlan {
  months: string[];
  days: string[];
  live: string[];
}

export class StatsSpans {
  readonly index: DayIndexSources;
  readonly days: SpanRollups;
  readonly months: SpanRollups;
  private readonly live = new Map<string, FreshCache<SpanFigures[]>>();
  private generation: { value: string | null; checkedAt: number; checking: boolean } = { value: null, checkedAt: 0, checking: false };

  constructor(private readonly conn: Connection, private readonly clock: () => number, private readonly liveCache = { freshMs: LIVE_FRESH_MS, maxAgeMs: LIVE_MAX_AGE_MS, pauseFactor: 1 }) {
    this.index = new DayIndexSources(conn);
    this.days = new SpanRollups(statsDayModel(conn), (days) => this.index.days(days), clock);
    this.months = new SpanRollups(statsMonthModel(conn), async (months) => {
      const all = months.map((m) => daysBetween(spanDays(m).from, spanDays(m).to));
      // The stored days, not this process's memory of them: a month is the sum of what is stored.
      const spans = await this.days.get(all.flat(), { fromStore: true });
      let k = 0;
      return months.map((m, i) => mergeSpans(m, spans.slice(k, (k += all[i]!.length))));
    }, clock, 2_000);
  }

  dayClosed = (day: string, now = this.clock()): boolean => now >= dayEndMs(day) + ROLLUP_GRACE_MS;
  monthClosed = (month: string, now = this.clock()): boolean => now >= monthEndMs(month) + ROLLUP_GRACE_MS;

  /** The spans that make up `r`: whole closed months, closed days, live days (none after today). */
  plan(r: DayRange, now = this.clock()): SpanPlan {
    const today = todayOf(now);
    const plan: SpanPlan = { months: [], days: [], live: [] };
    for (const month of monthsBetween(monthOfDay(r.from), monthOfDay(r.to))) {
      const whole = spanDays(month);
      if (r.from <= whole.from && r.to >= whole.to && this.monthClosed(month, now)) {
        plan.months.push(month);
        continue;
      }
      const last = [r.to, whole.to, today].sort()[0]!;
      for (const day of daysBetween(r.from > whole.from ? r.from : whole.from, last)) (this.dayClosed(day, now) ? plan.days : plan.live).push(day);
    }
    return plan;
  }

  /** The spans of several ranges at once (shared reads). */
  async load(ranges: readonly DayRange[]): Promise<SpanFigures[]> {
    this.checkGeneration();
    const now = this.clock();
    const plans = ranges.map((r) => this.plan(r, now));
    const uniq = (xs: string[]) => [...new Set(xs)];
    const [months, days, live] = await Promise.all([
      this.months.get(uniq(plans.flatMap((p) => p.months))),
      this.days.get(uniq(plans.flatMap((p) => p.days))),
      this.liveDays(uniq(plans.flatMap((p) => p.live)).sort()),
    ]);
    return [...months, ...days, ...live];
  }

  /** Drops every roll-up this process keeps (after it rebuilt some, or learnt that another process did). */
  forgetAll(): void {
    this.days.forgetAll();
    this.months.forgetAll();
  }

  /**
   * Roll-ups are kept in memory for good (they never change); a `--rebuild` in any process bumps the
   * generation document `stats_meta._id = "rollups"`, which each process reads by `_id` at most every
   * ROLLUP_GENERATION_CHECK_MS, in the background, and drops its memory when it changed.
   */
  private checkGeneration(): void {
    const g = this.generation;
    if (g.checking || Date.now() - g.checkedAt < ROLLUP_GENERATION_CHECK_MS || !this.conn.db) return;
    g.checking = true;
    void readGeneration(this.conn.db)
      .then((value) => {
        if (g.value !== null && value !== g.value) this.forgetAll();
        g.value = value;
        g.checkedAt = Date.now();
      })
      .catch(() => {})
      .finally(() => (g.checking = false));
  }

  private liveDays(days: string[]): Promise<SpanFigures[]> {
    if (days.length === 0) return Promise.resolve([]);
    const key = days.join(",");
    let cache = this.live.get(key);
    if (!cache) {
      if (this.live.size > 64) this.live.clear(); // keys change daily: old ones go
      cache = new FreshCache(() => this.index.days(days), this.liveCache); // ages in real time, whatever the platform clock says
      this.live.set(key, cache);
    }
    return cache.get();
  }
}

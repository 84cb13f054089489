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

  constructor(conn: Connection, private readonly clock: () => number, private readonly liveCache = { freshMs: LIVE_FRESH_MS, maxAgeMs: LIVE_MAX_AGE_MS, pauseFactor: 1 }) {
    this.index = new DayIndexSources(conn);
    this.days = new SpanRollups(statsDayModel(conn), (days) => this.index.days(days), clock);
    this.months = new SpanRollups(statsMonthModel(conn), async (months) => {
      const all = months.map((m) => daysBetween(spanDays(m).from, spanDays(m).to));
      const spans = await this.days.get(all.flat());
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

  /** The spans of several ranges at once (shared reads), keyed by span. */
  async load(ranges: readonly DayRange[]): Promise<SpanFigures[]> {
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

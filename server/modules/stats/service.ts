// The bureau's statistics (issue 12): overview, months with year-over-year ratios, counties,
// industries and growth. Closed months come from their roll-ups (rollups.ts), the open month from
// the source through a short-lived shared cache, stocks from the organization and instrument
// collections. No HTTP here; definitions and staleness: docs/stats.md.
import type { Connection } from "mongoose";
import { COUNTIES, COUNTY_CODES, INDUSTRY_CODES, type County, type Industry } from "../../../shared/enums";
import type { StatsByCounty, StatsByIndustry, StatsFigures, StatsGrowth, StatsMonthItem, StatsMonthly, StatsOverview, StatsYoy } from "../../../shared/schemas/stats";
import { dayStart, monthOfDay, monthStart, monthsBetween, todayOf } from "./calendar";
import { flowTotals, groupShares, growthPercent, isCounty, ratio, type MonthFigures } from "./figures";
import { FreshCache } from "./fresh-cache";
import { statsMonthModel } from "./model";
import { checkBaseline, resolveRange, yearBefore, type DayRange } from "./range";
import { MonthRollups } from "./rollups";
import { StatsSources } from "./sources";
import { Stocks } from "./stocks";
import { verifyRollups, type RollupVerification } from "./verify";

/**
 * A month is rolled up this long after it ends in the platform zone: what is decided at 23:59:59 of
 * its last day (a booking, an issue, a void, a settlement) is written a moment later and belongs to it.
 */
export const ROLLUP_GRACE_MS = 15 * 60_000;
/**
 * The open month's figures and the stocks: served as is for a minute, then while one background
 * refresh runs (one scan of the source: ~1 min at 100,000 bookings on the embedded database); not
 * after 10 min, or one refresh cycle when scans take longer. Monthly figures need no fresher; the
 * live view is pushed over Socket.IO instead.
 */
export const LIVE_FRESH_MS = 60_000;
export const LIVE_MAX_AGE_MS = 600_000;
/** After a refresh, the next waits 9× its duration: a scan of the source occupies the database ≤ 10% of the time. */
export const LIVE_PAUSE_FACTOR = 9;

export class StatsService {
  /** The platform's clock (epoch ms): which day is today, which months are closed. */
  now: () => number = () => Date.now();
  private readonly sources: StatsSources;
  private readonly rollups: MonthRollups;
  private readonly live = new Map<string, FreshCache<MonthFigures[]>>();
  private readonly stocks: FreshCache<Stocks>;

  constructor(private readonly conn: Connection, private readonly cache = { freshMs: LIVE_FRESH_MS, maxAgeMs: LIVE_MAX_AGE_MS, pauseFactor: LIVE_PAUSE_FACTOR }) {
    this.sources = new StatsSources(conn);
    this.rollups = new MonthRollups(statsMonthModel(conn), this.sources, () => this.now());
    this.stocks = new FreshCache(() => Stocks.read(conn), cache);
  }

  async overview(query: { from?: string; to?: string }): Promise<StatsOverview> {
    const r = resolveRange(query, this.now());
    const [months, stocks] = await Promise.all([this.monthsOf(r), this.stocks.get()]);
    return { ...r, countiesTotal: COUNTIES.length, ...this.figures(months, stocks, r) };
  }

  async monthly(query: { from?: string; to?: string }): Promise<StatsMonthly> {
    const r = resolveRange(query, this.now());
    const before = yearBefore(r);
    const [months, previous, stocks] = await Promise.all([this.monthsOf(r), this.monthsOf(before), this.stocks.get()]);
    const all = [...months, ...previous];
    const items = monthsBetween(monthOfDay(r.from), monthOfDay(r.to)).map((month): StatsMonthItem => {
      const end = monthStart(month).plus({ months: 1 }).minus({ days: 1 }).toISODate()!;
      const window = { from: r.from > `${month}-01` ? r.from : `${month}-01`, to: r.to < end ? r.to : end };
      const cur = this.figures(all, stocks, window);
      const prev = this.figures(all, stocks, yearBefore(window));
      return { month, ...window, ...cur, yoy: yoyOf(cur, prev) };
    });
    return { ...r, items };
  }

  async byCounty(query: { from?: string; to?: string }): Promise<StatsByCounty> {
    const r = resolveRange(query, this.now());
    const months = await this.monthsOf(r);
    return { ...r, items: groupShares<County>(months, r.from, r.to, (s) => (isCounty(s.county) ? s.county : null), COUNTY_CODES) };
  }

  async byIndustry(query: { from?: string; to?: string }): Promise<StatsByIndustry> {
    const r = resolveRange(query, this.now());
    const [months, stocks] = await Promise.all([this.monthsOf(r), this.stocks.get()]);
    return { ...r, items: groupShares<Industry>(months, r.from, r.to, (s) => stocks.industryOf(s.enterpriseId), INDUSTRY_CODES) };
  }

  async growth(query: { baseline: string }): Promise<StatsGrowth> {
    const now = this.now();
    checkBaseline(query.baseline, now);
    const stocks = await this.stocks.get();
    const base = stocks.at(dayStart(query.baseline).plus({ days: 1 }).toMillis());
    const cur = stocks.at(now + 1);
    const g = (k: keyof typeof base) => ({ baseline: base[k], now: cur[k], growthPercent: growthPercent(cur[k], base[k]) });
    return { baseline: query.baseline, today: todayOf(now), enterprises: g("enterprises"), instruments: g("instruments"), registryEnterprises: g("registryEnterprises") };
  }

  /** Recomputes every stored roll-up from the source and compares; `rebuild` replaces the wrong ones. */
  async verify(opts: { rebuild?: boolean } = {}): Promise<RollupVerification> {
    const report = await verifyRollups(statsMonthModel(this.conn), this.sources, () => this.now(), opts);
    this.rollups.forget(report.rebuilt);
    return report;
  }

  /** Months computed from the source now, bypassing roll-ups and caches (what a refresh of the open month costs). */
  computeFromSource(months: string[]): Promise<MonthFigures[]> {
    return this.sources.months(months);
  }

  /** Whether a month's roll-up may be written: it is over in the platform zone, grace included. */
  isClosed(month: string, nowMs = this.now()): boolean {
    return nowMs >= monthStart(month).plus({ months: 1 }).toMillis() + ROLLUP_GRACE_MS;
  }

  /** The figures of the months a range touches: closed ones rolled up, open ones live, future ones empty. */
  private async monthsOf(r: DayRange): Promise<MonthFigures[]> {
    const now = this.now();
    const current = monthOfDay(todayOf(now));
    const months = monthsBetween(monthOfDay(r.from), monthOfDay(r.to));
    const closed = months.filter((m) => this.isClosed(m, now));
    const open = months.filter((m) => !this.isClosed(m, now) && m <= current);
    const [rolled, live] = await Promise.all([this.rollups.get(closed), this.openMonths(open)]);
    return [...rolled, ...live];
  }

  private openMonths(months: string[]): Promise<MonthFigures[]> {
    if (months.length === 0) return Promise.resolve([]);
    const key = months.join(",");
    let cache = this.live.get(key);
    if (!cache) {
      if (this.live.size > 16) this.live.clear(); // keys change once a month: old ones go
      cache = new FreshCache(() => this.sources.months(months), this.cache);
      this.live.set(key, cache);
    }
    return cache.get();
  }

  private figures(months: readonly MonthFigures[], stocks: Stocks, r: DayRange): StatsFigures {
    return { ...flowTotals(months, r.from, r.to), ...stocks.at(dayStart(r.to).plus({ days: 1 }).toMillis()) };
  }
}

function yoyOf(cur: StatsFigures, prev: StatsFigures): StatsYoy {
  return {
    vouchersIssuedCount: ratio(cur.vouchersIssued.count, prev.vouchersIssued.count),
    vouchersIssuedAmount: ratio(cur.vouchersIssued.amountFen, prev.vouchersIssued.amountFen),
    vouchersRedeemedCount: ratio(cur.vouchersRedeemed.count, prev.vouchersRedeemed.count),
    vouchersRedeemedAmount: ratio(cur.vouchersRedeemed.amountFen, prev.vouchersRedeemed.amountFen),
    bookingsCount: ratio(cur.bookings.count, prev.bookings.count),
    bookingsAmount: ratio(cur.bookings.amountFen, prev.bookings.amountFen),
    enterprisesUsingVouchers: ratio(cur.enterprisesUsingVouchers, prev.enterprisesUsingVouchers),
    registryEnterprises: ratio(cur.registryEnterprises, prev.registryEnterprises),
    enterprises: ratio(cur.enterprises, prev.enterprises),
    instruments: ratio(cur.instruments, prev.instruments),
  };
}

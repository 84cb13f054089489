// The bureau's statistics (issue 12): overview, months with year-over-year ratios, counties,
// industries, growth and settlement speed. Every flow comes from spans read by `_id` (spans.ts:
// closed months and days rolled up, the days not yet closed from the day index), stocks from the
// organization and instrument collections through a short shared cache. No HTTP here; definitions
// and freshness: docs/stats.md.
import type { Connection } from "mongoose";
import { COUNTIES, COUNTY_CODES, INDUSTRY_CODES, type County, type Industry } from "../../../shared/enums";
import type { StatsByCounty, StatsByIndustry, StatsFigures, StatsGrowth, StatsMonthItem, StatsMonthly, StatsOverview, StatsSettlementSpeed, StatsYoy } from "../../../shared/schemas/stats";
import { dayEndMs, dayStart, daysBetween, monthOfDay, monthsBetween, todayOf } from "./calendar";
import { flowTotals, groupShares, growthPercent, isCounty, ratio, settlementSpeed, spanDays, type SpanFigures } from "./figures";
import { FreshCache } from "./fresh-cache";
import { statsDayModel, statsMonthModel } from "./model";
import { checkBaseline, resolveRange, yearBefore, type DayRange } from "./range";
import { StatsSources } from "./sources";
import { bumpGeneration, StatsSpans, ROLLUP_GRACE_MS } from "./spans";
import { Stocks } from "./stocks";
import { verifyRollups, type RollupVerification } from "./verify";

export { ROLLUP_GRACE_MS };
/**
 * The stock figures (enterprises, registry, instruments: small collections read whole): served as is
 * for 30 s, then while one background re-read runs; never when older than 5 min (the reader waits).
 */
export const STOCKS_FRESH_MS = 30_000;
export const STOCKS_MAX_AGE_MS = 300_000;
/** After a re-read, the next waits 9× its duration: reading the stocks occupies the database ≤ 10% of the time. */
export const STOCKS_PAUSE_FACTOR = 9;

export class StatsService {
  /** The platform's clock (epoch ms): which day is today, which days and months are closed. */
  now: () => number = () => Date.now();
  private readonly sources: StatsSources;
  readonly spans: StatsSpans;
  private readonly stocks: FreshCache<Stocks>;

  constructor(private readonly conn: Connection, stocksCache = { freshMs: STOCKS_FRESH_MS, maxAgeMs: STOCKS_MAX_AGE_MS, pauseFactor: STOCKS_PAUSE_FACTOR }) {
    this.sources = new StatsSources(conn);
    this.spans = new StatsSpans(conn, () => this.now());
    this.stocks = new FreshCache(() => Stocks.read(conn), stocksCache);
  }

  async overview(query: { from?: string; to?: string }): Promise<StatsOverview> {
    const r = resolveRange(query, this.now());
    const [spans, stocks] = await Promise.all([this.spans.load([r]), this.stocks.get()]);
    return { ...r, countiesTotal: COUNTIES.length, ...this.figures(spans, stocks, r) };
  }

  async monthly(query: { from?: string; to?: string }): Promise<StatsMonthly> {
    const r = resolveRange(query, this.now());
    const windows = monthWindows(r);
    const [spans, stocks] = await Promise.all([this.spans.load([...windows, ...windows.map(yearBefore)]), this.stocks.get()]);
    const items = windows.map((window): StatsMonthItem => {
      const cur = this.figures(spans, stocks, window);
      const prev = this.figures(spans, stocks, yearBefore(window));
      return { month: monthOfDay(window.from), ...window, ...cur, yoy: yoyOf(cur, prev) };
    });
    return { ...r, items };
  }

  async byCounty(query: { from?: string; to?: string }): Promise<StatsByCounty> {
    const r = resolveRange(query, this.now());
    const spans = await this.spans.load([r]);
    return { ...r, items: groupShares<County>(spans, r.from, r.to, (s) => (isCounty(s.county) ? s.county : null), COUNTY_CODES) };
  }

  async byIndustry(query: { from?: string; to?: string }): Promise<StatsByIndustry> {
    const r = resolveRange(query, this.now());
    const [spans, stocks] = await Promise.all([this.spans.load([r]), this.stocks.get()]);
    return { ...r, items: groupShares<Industry>(spans, r.from, r.to, (s) => stocks.industryOf(s.enterpriseId), INDUSTRY_CODES) };
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

  /** Median days from claim filing to payment, over the range and per month (by the day the settlement paid). */
  async settlementSpeed(query: { from?: string; to?: string }): Promise<StatsSettlementSpeed> {
    const r = resolveRange(query, this.now());
    const windows = monthWindows(r);
    const spans = await this.spans.load(windows);
    return { ...r, ...settlementSpeed(spans, r.from, r.to), items: windows.map((w) => ({ month: monthOfDay(w.from), ...w, ...settlementSpeed(spans, w.from, w.to) })) };
  }

  /**
   * Start-up: reads the stocks and what the dashboard's usual ranges need (this year, the last 12
   * months, and the year before each for the ratios) into memory, rolling up what is missing, so
   * the first requests after a start read nothing more than today's documents.
   */
  async warm(): Promise<void> {
    const today = todayOf(this.now());
    const yearAgo = yearBefore({ from: today, to: today }).from;
    await Promise.all([this.stocks.get(), this.monthly({}), this.monthly({ from: nextDayOf(yearAgo), to: today })]);
  }

  /** Recomputes every stored roll-up by scanning the source documents and compares; `rebuild` replaces the wrong ones. */
  async verify(opts: { rebuild?: boolean } = {}): Promise<RollupVerification> {
    const report = await verifyRollups({ days: statsDayModel(this.conn), months: statsMonthModel(this.conn) }, this.sources, () => this.now(), opts);
    if (report.rebuilt.length > 0) {
      await bumpGeneration(this.conn.db!); // running servers drop what they keep within seconds
      this.spans.forgetAll();
    }
    return report;
  }

  /** Months computed by scanning the source, bypassing roll-ups and caches (what the verification costs). */
  computeFromSource(months: string[]): Promise<SpanFigures[]> {
    return this.sources.months(months);
  }

  private figures(spans: readonly SpanFigures[], stocks: Stocks, r: DayRange): StatsFigures {
    return { ...flowTotals(spans, r.from, r.to), ...stocks.at(dayEndMs(r.to)) };
  }
}

/** One window per month the range touches, the first and last cut to the range. */
function monthWindows(r: DayRange): DayRange[] {
  return monthsBetween(monthOfDay(r.from), monthOfDay(r.to)).map((month) => {
    const whole = spanDays(month);
    return { from: r.from > whole.from ? r.from : whole.from, to: r.to < whole.to ? r.to : whole.to };
  });
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

/** The day after `day` (28 Feb of a year before a leap day's: 1 March either way is fine for a warm-up). */
const nextDayOf = (day: string): string => daysBetween(day, `${day.slice(0, 4)}-12-31`)[1] ?? `${Number(day.slice(0, 4)) + 1}-01-01`;

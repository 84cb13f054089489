// The statistics' arithmetic, pure: a month's figures per day (what the roll-up stores), sums over a
// day range, distinct enterprises, largest-remainder shares and ratios. Definitions: docs/stats.md.
import { COUNTY_CODES, type County } from "../../../shared/enums";
import type { CountAmount } from "../../../shared/schemas/stats";

/** The flows of one day (YYYY-MM-DD, platform zone). Only days with any flow are stored. */
export interface DayFigures {
  day: string;
  vouchersIssued: number;
  vouchersIssuedFen: number;
  vouchersRedeemed: number;
  vouchersRedeemedFen: number;
  vouchersVoided: number;
  vouchersVoidedFen: number;
  bookings: number;
  bookingsFen: number;
}

/** Vouchers issued to one enterprise on one day in one county: what distinct counts and shares need. */
export interface SubsidyLine {
  day: string;
  enterpriseId: string;
  county: string;
  vouchers: number;
  amountFen: number;
}

/** One month's figures, in a canonical order (days ascending; lines by day, enterprise, county), so equal data gives equal documents. */
export interface MonthFigures {
  month: string;
  days: DayFigures[];
  subsidies: SubsidyLine[];
}

export const emptyDay = (day: string): DayFigures => ({
  day, vouchersIssued: 0, vouchersIssuedFen: 0, vouchersRedeemed: 0, vouchersRedeemedFen: 0, vouchersVoided: 0, vouchersVoidedFen: 0, bookings: 0, bookingsFen: 0,
});

export interface FlowTotals {
  vouchersIssued: CountAmount;
  vouchersRedeemed: CountAmount;
  vouchersVoided: CountAmount;
  bookings: CountAmount;
  enterprisesUsingVouchers: number;
  countiesCovered: number;
}

const inRange = (day: string, from: string, to: string) => day >= from && day <= to;

/** Sums of the flows over the days `from`..`to` (inclusive) of the given months. */
export function flowTotals(months: readonly MonthFigures[], from: string, to: string): FlowTotals {
  const t = emptyDay("");
  const enterprises = new Set<string>();
  const counties = new Set<string>();
  for (const m of months) {
    for (const d of m.days) {
      if (!inRange(d.day, from, to)) continue;
      t.vouchersIssued += d.vouchersIssued;
      t.vouchersIssuedFen += d.vouchersIssuedFen;
      t.vouchersRedeemed += d.vouchersRedeemed;
      t.vouchersRedeemedFen += d.vouchersRedeemedFen;
      t.vouchersVoided += d.vouchersVoided;
      t.vouchersVoidedFen += d.vouchersVoidedFen;
      t.bookings += d.bookings;
      t.bookingsFen += d.bookingsFen;
    }
    for (const s of m.subsidies) {
      if (!inRange(s.day, from, to)) continue;
      enterprises.add(s.enterpriseId);
      if ((COUNTY_CODES as readonly string[]).includes(s.county)) counties.add(s.county);
    }
  }
  return {
    vouchersIssued: { count: t.vouchersIssued, amountFen: t.vouchersIssuedFen },
    vouchersRedeemed: { count: t.vouchersRedeemed, amountFen: t.vouchersRedeemedFen },
    vouchersVoided: { count: t.vouchersVoided, amountFen: t.vouchersVoidedFen },
    bookings: { count: t.bookings, amountFen: t.bookingsFen },
    enterprisesUsingVouchers: enterprises.size,
    countiesCovered: counties.size,
  };
}

export interface GroupFigure<C extends string> {
  code: C;
  count: number;
  amountFen: number;
  share: number;
}

/**
 * Enterprises subsidized and face value issued per group (`groupOf` maps a line to its code, or
 * null to leave it out), with each group's share of the counts. Groups with no enterprise are left
 * out; the order is by count, then amount, then `order` (the enum's order).
 */
export function groupShares<C extends string>(months: readonly MonthFigures[], from: string, to: string, groupOf: (line: SubsidyLine) => C | null, order: readonly C[]): GroupFigure<C>[] {
  const groups = new Map<C, { enterprises: Set<string>; amountFen: number }>();
  for (const m of months) {
    for (const s of m.subsidies) {
      if (!inRange(s.day, from, to)) continue;
      const code = groupOf(s);
      if (code === null) continue;
      const g = groups.get(code) ?? { enterprises: new Set<string>(), amountFen: 0 };
      g.enterprises.add(s.enterpriseId);
      g.amountFen += s.amountFen;
      groups.set(code, g);
    }
  }
  const rank = (c: C) => order.indexOf(c);
  const items = [...groups].map(([code, g]) => ({ code, count: g.enterprises.size, amountFen: g.amountFen }))
    .sort((a, b) => b.count - a.count || b.amountFen - a.amountFen || rank(a.code) - rank(b.code));
  const shares = largestRemainderShares(items.map((i) => i.count));
  return items.map((i, k) => ({ ...i, share: shares[k]! }));
}

/**
 * Percentages of `counts` with two decimals that add up to exactly 100.00 (largest-remainder
 * method, in hundredths of a percent; ties go to the earlier item). All zero or empty → all 0.
 */
export function largestRemainderShares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const UNITS = 10_000; // hundredths of a percent
  const floors = counts.map((c) => Math.floor((c * UNITS) / total));
  const left = UNITS - floors.reduce((a, b) => a + b, 0);
  const byRemainder = counts.map((c, k) => ({ k, r: (c * UNITS) % total })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (let i = 0; i < left; i++) floors[byRemainder[i]!.k]! += 1;
  return floors.map((f) => f / 100);
}

/** `current / previous`, 4 decimals; null when the previous figure is 0 (no ratio to give). */
export function ratio(current: number, previous: number): number | null {
  return previous === 0 ? null : Math.round((current / previous) * 10_000) / 10_000;
}

/** Growth in percent, 2 decimals; null when the baseline is 0. */
export function growthPercent(now: number, baseline: number): number | null {
  return baseline === 0 ? null : Math.round(((now - baseline) / baseline) * 10_000) / 100;
}

export const isCounty = (code: string): code is County => (COUNTY_CODES as readonly string[]).includes(code);

// The statistics' arithmetic, pure: the figures of a span of days (a day or a whole month: what a
// roll-up stores), merging spans, sums over a range, distinct enterprises, largest-remainder shares,
// medians, ratios. Definitions: docs/stats.md.
import { COUNTY_CODES, type County } from "../../../shared/enums";
import type { CountAmount } from "../../../shared/schemas/stats";

/** The flows of one day (YYYY-MM-DD, platform zone). Only days with any flow are listed. */
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

/** Vouchers issued to one enterprise in one county within a span: what distinct counts and shares need. */
export interface SubsidyLine {
  enterpriseId: string;
  county: string;
  vouchers: number;
  amountFen: number;
}

/** Claims paid (in a settlement made within the span) `days` calendar days after they were filed. */
export interface PaidAfter {
  days: number;
  claims: number;
}

/**
 * The figures of a span of whole days: one day (`key` YYYY-MM-DD) or one month (`key` YYYY-MM).
 * Flows per day; subsidy lines and settlement times over the whole span (a span is only used for a
 * range that contains all of it). Canonical order (days ascending; lines by enterprise, county;
 * settlement times by days), so equal data gives equal documents.
 */
export interface SpanFigures {
  key: string;
  days: DayFigures[];
  subsidies: SubsidyLine[];
  paidAfter: PaidAfter[];
}

export const emptyDay = (day: string): DayFigures => ({
  day, vouchersIssued: 0, vouchersIssuedFen: 0, vouchersRedeemed: 0, vouchersRedeemedFen: 0, vouchersVoided: 0, vouchersVoidedFen: 0, bookings: 0, bookingsFen: 0,
});

const spanDaysKept = new Map<string, { from: string; to: string }>();

/** The first and last day of a span's key. */
export function spanDays(key: string): { from: string; to: string } {
  let d = spanDaysKept.get(key);
  if (!d) {
    if (spanDaysKept.size >= 50_000) spanDaysKept.clear();
    spanDaysKept.set(key, (d = spanDaysOf(key)));
  }
  return d;
}

function spanDaysOf(key: string): { from: string; to: string } {
  if (key.length === 10) return { from: key, to: key };
  const [y, m] = key.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${key}-01`, to: `${key}-${String(last).padStart(2, "0")}` };
}

const isEmptyDay = (d: DayFigures) => d.vouchersIssued === 0 && d.vouchersRedeemed === 0 && d.vouchersVoided === 0 && d.bookings === 0;

/** Builds a span in canonical order from unordered parts (empty days dropped, lines and times merged). */
export function canonicalSpan(key: string, days: Iterable<DayFigures>, lines: Iterable<SubsidyLine>, paid: Iterable<PaidAfter>): SpanFigures {
  const byLine = new Map<string, SubsidyLine>();
  for (const l of lines) {
    const k = `${l.enterpriseId}|${l.county}`;
    const m = byLine.get(k) ?? byLine.set(k, { enterpriseId: l.enterpriseId, county: l.county, vouchers: 0, amountFen: 0 }).get(k)!;
    m.vouchers += l.vouchers;
    m.amountFen += l.amountFen;
  }
  const byDays = new Map<number, number>();
  for (const p of paid) byDays.set(p.days, (byDays.get(p.days) ?? 0) + p.claims);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    key,
    days: [...days].filter((d) => !isEmptyDay(d)).sort((a, b) => cmp(a.day, b.day)),
    subsidies: [...byLine.values()].sort((a, b) => cmp(a.enterpriseId, b.enterpriseId) || cmp(a.county, b.county)),
    paidAfter: [...byDays].map(([days, claims]) => ({ days, claims })).sort((a, b) => a.days - b.days),
  };
}

/** A month's span from its days' spans. */
export const mergeSpans = (key: string, spans: readonly SpanFigures[]): SpanFigures =>
  canonicalSpan(key, spans.flatMap((s) => s.days), spans.flatMap((s) => s.subsidies), spans.flatMap((s) => s.paidAfter));

export interface FlowTotals {
  vouchersIssued: CountAmount;
  vouchersRedeemed: CountAmount;
  vouchersVoided: CountAmount;
  bookings: CountAmount;
  enterprisesUsingVouchers: number;
  countiesCovered: number;
}

const inRange = (day: string, from: string, to: string) => day >= from && day <= to;

/** The spans lying wholly within `from`..`to` (the planner gives each range spans that do). */
function within(spans: readonly SpanFigures[], from: string, to: string): SpanFigures[] {
  return spans.filter((s) => {
    const d = spanDays(s.key);
    return d.from >= from && d.to <= to;
  });
}

/** Sums of the flows over the days `from`..`to` (inclusive) of the spans lying within them. */
export function flowTotals(spans: readonly SpanFigures[], from: string, to: string): FlowTotals {
  const t = emptyDay("");
  const enterprises = new Set<string>();
  const counties = new Set<string>();
  for (const s of within(spans, from, to)) {
    for (const d of s.days) {
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
    for (const l of s.subsidies) {
      enterprises.add(l.enterpriseId);
      if ((COUNTY_CODES as readonly string[]).includes(l.county)) counties.add(l.county);
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
export function groupShares<C extends string>(spans: readonly SpanFigures[], from: string, to: string, groupOf: (line: SubsidyLine) => C | null, order: readonly C[]): GroupFigure<C>[] {
  const groups = new Map<C, { enterprises: Set<string>; amountFen: number }>();
  for (const s of within(spans, from, to)) {
    for (const l of s.subsidies) {
      const code = groupOf(l);
      if (code === null) continue;
      const g = groups.get(code) ?? { enterprises: new Set<string>(), amountFen: 0 };
      g.enterprises.add(l.enterpriseId);
      g.amountFen += l.amountFen;
      groups.set(code, g);
    }
  }
  const rank = (c: C) => order.indexOf(c);
  const items = [...groups].map(([code, g]) => ({ code, count: g.enterprises.size, amountFen: g.amountFen }))
    .sort((a, b) => b.count - a.count || b.amountFen - a.amountFen || rank(a.code) - rank(b.code));
  const shares = largestRemainderShares(items.map((i) => i.count));
  return items.map((i, k) => ({ ...i, share: shares[k]! }));
}

/** Claims paid within `from`..`to` and the median of their days from filing to payment (null when none). */
export function settlementSpeed(spans: readonly SpanFigures[], from: string, to: string): { claims: number; medianDays: number | null } {
  const merged = canonicalSpan("", [], [], within(spans, from, to).flatMap((s) => s.paidAfter)).paidAfter;
  return { claims: merged.reduce((n, p) => n + p.claims, 0), medianDays: medianOf(merged) };
}

/** The median of a histogram (value `days`, `claims` times); the mean of the two middle values for an even count. */
export function medianOf(sorted: readonly PaidAfter[]): number | null {
  const total = sorted.reduce((n, p) => n + p.claims, 0);
  if (total === 0) return null;
  const nth = (k: number) => {
    let seen = 0;
    for (const p of sorted) {
      seen += p.claims;
      if (k < seen) return p.days;
    }
    return sorted.at(-1)!.days;
  };
  return (nth(Math.floor((total - 1) / 2)) + nth(Math.floor(total / 2))) / 2;
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

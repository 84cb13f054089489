// Days and months of the platform zone (Luxon does the calendar once per boundary; instants are
// then placed on days by binary search, so 100,000 documents cost no Luxon call each).
import { DateTime } from "luxon";
import { CITY_ZONE } from "../../../shared/voucher-split";

export const STATS_ZONE = CITY_ZONE;

export const monthStart = (month: string): DateTime => DateTime.fromFormat(month, "yyyy-MM", { zone: STATS_ZONE });
export const dayStart = (day: string): DateTime => DateTime.fromISO(day, { zone: STATS_ZONE });
export const monthOfDay = (day: string): string => day.slice(0, 7);
/** The day of an instant in the platform zone; the last day's bounds are kept (one Luxon call per day, not per request). */
let lastDay: { day: string; start: number; end: number } | null = null;
export function todayOf(nowMs: number): string {
  if (lastDay && nowMs >= lastDay.start && nowMs < lastDay.end) return lastDay.day;
  const d = DateTime.fromMillis(nowMs, { zone: STATS_ZONE });
  const start = d.startOf("day");
  lastDay = { day: d.toISODate()!, start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
  return lastDay.day;
}

/** The month after `month` (YYYY-MM): calendar arithmetic, no zone involved. */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** The months `from`..`to` (YYYY-MM, inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

/** Places instants on the days of a window of whole months. */
export class DayIndex {
  private readonly starts: number[] = [];
  private readonly names: string[] = [];
  readonly startMs: number;
  readonly endMs: number;

  constructor(firstMonth: string, lastMonth: string) {
    const end = monthStart(lastMonth).plus({ months: 1 });
    for (let d = monthStart(firstMonth); d < end; d = d.plus({ days: 1 })) {
      this.starts.push(d.toMillis());
      this.names.push(d.toISODate()!);
    }
    this.startMs = this.starts[0]!;
    this.endMs = end.toMillis();
  }

  /** The days of one month of the window. */
  daysOf(month: string): string[] {
    return this.names.filter((d) => d.startsWith(month));
  }

  /** The day (YYYY-MM-DD) of an instant inside the window, or null outside it. */
  dayOf(ms: number): string | null {
    if (!(ms >= this.startMs && ms < this.endMs)) return null;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return this.names[lo]!;
  }
}

/** Luxon results per day or month, kept (a request plans hundreds of days; the calendar never changes). */
function memo<T>(f: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    let v = kept.get(key);
    if (v === undefined) {
      if (kept.size >= 50_000) kept.clear();
      kept.set(key, (v = f(key)));
    }
    return v;
  };
}

const nextDay = memo((day: string) => dayStart(day).plus({ days: 1 }).toISODate()!);

/** The days `from`..`to` (YYYY-MM-DD, inclusive). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
}

/** The instant a day ends (the next day's start), epoch ms. */
export const dayEndMs = memo((day: string): number => dayStart(day).plus({ days: 1 }).toMillis());
export const monthEndMs = memo((month: string): number => monthStart(month).plus({ months: 1 }).toMillis());

// The day ranges the statistics answer for, checked beyond the schema (which already refuses
// 2026-02-30): from ≤ to, at most 10 years, defaults this year to today; the baseline not in the future.
import { DomainError, ValidationError } from "../../errors";
import { dayStart, todayOf } from "./calendar";

export const MAX_RANGE_YEARS = 10;

export interface DayRange {
  from: string;
  to: string;
}

export function resolveRange(query: { from?: string; to?: string }, nowMs: number): DayRange {
  const today = todayOf(nowMs);
  const to = query.to ?? today;
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) {
    throw new ValidationError([{ field: "/query/to", rule: "notBeforeStart", message: `to ${to} is before from ${from}`, params: { start: from } }], "STATS_RANGE_REVERSED");
  }
  if (dayStart(from).plus({ years: MAX_RANGE_YEARS }).toISODate()! <= to) {
    const years = MAX_RANGE_YEARS;
    throw new DomainError("STATS_RANGE_TOO_LONG", { years }, [{ field: "/query/to", rule: "maxYears", message: `the range spans more than ${years} years`, params: { years } }]);
  }
  return { from, to };
}

export function checkBaseline(baseline: string, nowMs: number): void {
  if (baseline > todayOf(nowMs)) {
    throw new ValidationError([{ field: "/query/baseline", rule: "notAfterToday", message: `baseline ${baseline} is after today` }], "STATS_BASELINE_FUTURE");
  }
}

/** The same days one year before (29 February maps to the 28th). */
export function yearBefore(r: DayRange): DayRange {
  return { from: dayYearBefore(r.from), to: dayYearBefore(r.to) };
}

function dayYearBefore(day: string): string {
  const md = day.slice(5);
  return `${Number(day.slice(0, 4)) - 1}-${md === "02-29" ? "02-28" : md}`;
}

// Calendar dates ("2025-03-08", no time, no zone) and the weeks they make, for the availability
// calendar and the provider's agenda. A date means a day on some zone's wall clock; turning it into
// instants goes through zoned-time.ts with that zone.
import { isoToWallTime, wallTimeToIso } from "./zoned-time";

const pad = (n: number) => String(n).padStart(2, "0");

function toUtcDate(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

function fromUtcDate(value: Date): string {
  return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

export function addDays(date: string, days: number): string {
  const value = toUtcDate(date);
  value.setUTCDate(value.getUTCDate() + days);
  return fromUtcDate(value);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return toUtcDate(date).getUTCDay() || 7;
}

/** The Monday on or before `date` (weeks start on Monday, as in China). */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** Today's date on the wall clock of `zone`. */
export function todayIn(zone: string, now = Date.now()): string {
  return isoToWallTime(new Date(now).toISOString(), zone).slice(0, 10);
}

/** The seven dates of the week starting `monday`. */
export function weekDates(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The instants bounding the week that starts `monday` in `zone`: [Monday 00:00, next Monday 00:00). */
export function weekBounds(monday: string, zone: string): { from: string; to: string } {
  return { from: wallTimeToIso(`${monday} 00:00`, zone), to: wallTimeToIso(`${addDays(monday, 7)} 00:00`, zone) };
}

/** "03-08" for a column head. */
export const shortDate = (date: string) => date.slice(5);

/** Minutes between two instants. */
export const minutesBetween = (start: string, end: string) => Math.round((Date.parse(end) - Date.parse(start)) / 60000);

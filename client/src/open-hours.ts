// Weekly open hours: ranges of "HH:mm" clock times per ISO weekday (1 = Monday … 7 = Sunday), in the
// instrument's own zone. "24:00" is the end of the day.
import type { OpenRange } from "@shared/schemas/catalog";

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The ranges of one weekday, in time order. */
export function rangesOn(ranges: readonly OpenRange[], weekday: number): OpenRange[] {
  return ranges.filter((r) => r.weekday === weekday).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
}

export function weeklyMinutes(ranges: readonly OpenRange[]): number {
  return ranges.reduce((sum, r) => sum + Math.max(0, minutesOf(r.end) - minutesOf(r.start)), 0);
}

export function openDays(ranges: readonly OpenRange[]): number {
  return new Set(ranges.map((r) => r.weekday)).size;
}

export type DayProblem = "incomplete" | "order" | "slots" | "overlap";

/**
 * What is wrong with one weekday's ranges, if anything (ranges as edited, possibly unfinished). The
 * server's rules: start before end, a whole number of slots long, no overlap (touching is fine).
 */
export function dayProblem(ranges: readonly { start: string; end: string }[], slotMinutes: number): DayProblem | null {
  if (ranges.some((r) => !r.start || !r.end)) return "incomplete";
  if (ranges.some((r) => minutesOf(r.end) <= minutesOf(r.start))) return "order";
  if (ranges.some((r) => (minutesOf(r.end) - minutesOf(r.start)) % slotMinutes !== 0)) return "slots";
  const sorted = [...ranges].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  for (let i = 1; i < sorted.length; i++) {
    if (minutesOf(sorted[i]!.start) < minutesOf(sorted[i - 1]!.end)) return "overlap";
  }
  return null;
}

/** Clock times every `step` minutes from `from` to `to` inclusive, e.g. the choices of a time select. */
export function clockTimes(step: number, from = 0, to = 24 * 60): string[] {
  const times: string[] = [];
  for (let m = from; m <= to; m += step) times.push(clockOf(m));
  return times;
}

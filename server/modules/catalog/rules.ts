// Catalog rules the JSON Schemas cannot express. Pure functions: each returns the failing fields
// (JSON pointers into the request) so a request gets every problem at once and nothing is written.
import { DateTime, IANAZone } from "luxon";
import type { ErrorParams, FieldError } from "../../../shared/errors";
import type { FieldRule } from "../../../shared/field-rules";
import type { OpenRange } from "../../../shared/schemas/catalog";

/** A maintenance window longer than this is a retirement, not maintenance. */
export const MAX_BLACKOUT_DAYS = 366;
/** Same ceiling as the Fen schema: a list price above it is a typing error, not a service. */
export const MAX_FEN = 100_000_000_000;

/** `rule` names a message of shared/field-rules.ts, rendered from `params` in the caller's language; `message` is for developers. */
export function field(pointer: string, rule: FieldRule, message: string, params?: ErrorParams): FieldError {
  return { field: pointer, rule, message, ...(params ? { params } : {}) };
}

export function timezoneErrors(timezone: string, pointer: string): FieldError[] {
  return IANAZone.isValidZone(timezone) ? [] : [field(pointer, "timezone", `not an IANA time zone: ${timezone}`, { value: timezone })];
}

/** "HH:MM" → minutes after midnight ("24:00" is 1440, the end of the day). */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

/**
 * Open hours: each range starts before it ends, lasts a whole number of slots (bookings are whole
 * slots counted from the range start), and ranges of one weekday do not overlap (touching is fine).
 * `pointer` is where the ranges sit in the request; `slotPointer` names slotMinutes when only it changed.
 */
export function openHoursErrors(ranges: OpenRange[], slotMinutes: number, pointer: string, slotPointer?: string): FieldError[] {
  const errors: FieldError[] = [];
  const valid: { index: number; weekday: number; start: number; end: number }[] = [];
  const misaligned: string[] = [];
  ranges.forEach((r, index) => {
    const start = clockMinutes(r.start);
    const end = clockMinutes(r.end);
    if (start >= end) {
      errors.push(field(`${pointer}/${index}/end`, "afterStart", `must be after start ${r.start}`, { start: r.start }));
      return;
    }
    if ((end - start) % slotMinutes !== 0) {
      const message = `${r.start}–${r.end} is not a whole number of ${slotMinutes}-minute slots`;
      if (slotPointer) misaligned.push(`${r.start}–${r.end}`);
      else errors.push(field(`${pointer}/${index}/end`, "slotAligned", message, { range: `${r.start}–${r.end}`, slotMinutes }));
    }
    valid.push({ index, weekday: r.weekday, start, end });
  });
  if (slotPointer && misaligned.length > 0) {
    errors.push(field(slotPointer, "slotAligned", `open hours ${misaligned.join(", ")} are not whole ${slotMinutes}-minute slots`, { range: misaligned.join(", "), slotMinutes }));
  }
  const ordered = [...valid].sort((a, b) => a.weekday - b.weekday || a.start - b.start || a.index - b.index);
  // Walking each weekday's ranges by start, a range overlaps if it starts before the latest end so far.
  let reach: (typeof valid)[number] | undefined;
  for (const cur of ordered) {
    if (reach && reach.weekday === cur.weekday && cur.start < reach.end) {
      const other = ranges[reach.index]!;
      errors.push(field(`${pointer}/${cur.index}`, "overlap", `overlaps open range ${reach.index} on weekday ${cur.weekday}`, { range: `${other.start}–${other.end}` }));
    }
    if (!reach || reach.weekday !== cur.weekday || cur.end > reach.end) reach = cur;
  }
  return errors;
}

export function blackoutErrors(start: Date, end: Date): FieldError[] {
  if (end.getTime() <= start.getTime()) return [field("/body/end", "afterStart", "must be after start")];
  const days = DateTime.fromJSDate(end).diff(DateTime.fromJSDate(start), "days").days;
  if (days > MAX_BLACKOUT_DAYS) {
    return [field("/body/end", "maxDuration", `a maintenance window lasts at most ${MAX_BLACKOUT_DAYS} days`, { days: MAX_BLACKOUT_DAYS })];
  }
  return [];
}


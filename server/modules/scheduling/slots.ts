// Reading free instrument time: the public availability grid and the catalog's probe.
import { MAX_AVAILABILITY_DAYS, type Availability, type Slot } from "../../../shared/schemas/scheduling";
import { ValidationError } from "../../errors";
import { bookableWindow, calendarOf, computeAvailability, resolveRules, type Interval } from "./availability";
import { DAY, type SchedulingCore } from "./core";

/** Reads: the instrument (by `_id`), its blackouts in range, and the claims of its grid slots by `_id` (claims.ts `at`). */
export async function availability(core: SchedulingCore, instrumentId: string, from: string, to: string): Promise<Availability> {
  const range = { start: Date.parse(from), end: Date.parse(to) };
  if (range.end <= range.start) throw new ValidationError([{ field: "/query/to", rule: "afterStart", message: "must be after from" }]);
  if (range.end - range.start > MAX_AVAILABILITY_DAYS * DAY) {
    throw new ValidationError([{ field: "/query/to", rule: "maxRange", message: `at most ${MAX_AVAILABILITY_DAYS} days after from`, params: { days: MAX_AVAILABILITY_DAYS } }]);
  }
  const inst = await core.d.instruments.get(instrumentId);
  const base = { instrumentId, timezone: inst.timezone, slotMinutes: inst.slotMinutes, capacity: inst.capacity };
  if (inst.status !== "active") return { ...base, slots: [] };
  const now = core.now();
  const [cal, claims] = await Promise.all([core.calendar(inst, range), core.gridClaims(instrumentId, calendarOf(inst, []), range, now)]);
  const slots = computeAvailability(cal, claims, range, now);
  return { ...base, slots: slots.map((s) => core.slotOut(inst.timezone, s)) };
}

/** The slots of [start, end) still bookable, with their free counts now (0 inside a maintenance window). */
export async function slotsNow(core: SchedulingCore, instrumentId: string, start: Date, end: Date): Promise<Slot[]> {
  const inst = await core.d.instruments.get(instrumentId);
  const rules = resolveRules(inst.rules, inst.slotMinutes);
  const now = core.now();
  const window = bookableWindow(rules, now);
  const range = { start: Math.max(start.getTime(), window.start), end: Math.min(end.getTime(), window.end) };
  if (range.end <= range.start) return [];
  const cal = await core.calendar(inst, range);
  const claims = await core.gridClaims(instrumentId, cal, range, now);
  const open = computeAvailability({ ...cal, blackouts: [] }, claims, range, now);
  const closed = (s: Interval) => cal.blackouts.some((b) => b.start < s.end && s.start < b.end);
  return open.map((s) => core.slotOut(inst.timezone, { ...s, free: closed(s) ? 0 : s.free }));
}

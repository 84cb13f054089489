// Reading free instrument time: the public availability grid and the catalog's probe.
import { MAX_AVAILABILITY_DAYS, type Availability, type Slot } from "../../../shared/schemas/scheduling";
import { ValidationError } from "../../errors";
import { bookableWindow, computeAvailability, resolveRules, type Interval } from "./availability";
import { DAY, type SchedulingCore } from "./core";

/** Reads: the instrument (by `_id`), its blackouts in range, and one claims query for the range. */
export async function availability(core: SchedulingCore, instrumentId: string, from: string, to: string): Promise<Availability> {
  const range = { start: Date.parse(from), end: Date.parse(to) };
  if (range.end <= range.start) throw new ValidationError([{ field: "/query/to", rule: "afterStart", message: "must be after from" }]);
  if (range.end - range.start > MAX_AVAILABILITY_DAYS * DAY) {
    throw new ValidationError([{ field: "/query/to", rule: "maxRange", message: `at most ${MAX_AVAILABILITY_DAYS} days after from`, params: { days: MAX_AVAILABILITY_DAYS } }]);
  }
  const inst = await core.d.instruments.get(instrumentId);
  const base = { instrumentId, timezone: inst.timezone, slotMinutes: inst.slotMinutes, capacity: inst.capacity };
  if (inst.status !== "active") return { ...base, slots: [] };
  const [cal, claims] = await Promise.all([core.calendar(inst, range), core.claims.between(instrumentId, range)]);
  const slots = computeAvailability(cal, claims, range, core.now());
  return { ...base, slots: slots.map((s) => core.slotOut(inst.timezone, s)) };
}

/** The slots of [start, end) still bookable, with their free counts now (0 inside a maintenance window). */
export async function slotsNow(core: SchedulingCore, instrumentId: string, start: Date, end: Date): Promise<Slot[]> {
  const inst = await core.d.instruments.get(instrumentId);
  const rules = resolveRules(inst.rules, inst.slotMinutes);
  const window = bookableWindow(rules, core.now());
  const range = { start: Math.max(start.getTime(), window.start), end: Math.min(end.getTime(), window.end) };
  if (range.end <= range.start) return [];
  const cal = await core.calendar(inst, range);
  const claims = await core.claims.between(instrumentId, range);
  const open = computeAvailability({ ...cal, blackouts: [] }, claims, range, core.now());
  const closed = (s: Interval) => cal.blackouts.some((b) => b.start < s.end && s.start < b.end);
  return open.map((s) => core.slotOut(inst.timezone, { ...s, free: closed(s) ? 0 : s.free }));
}

// Slot arithmetic for instrument time. Pure: everything comes in as arguments (open hours, maintenance
// windows, claims, rules, now, zone), so the tests freeze the clock (Luxon `Settings.now`) and check
// Asia/Shanghai and DST zones without a database.
//
// The grid: every open range of a local date is cut into slots of `slotMinutes`, counted in absolute
// time from the range's start instant to its end instant. A range over a DST change therefore has
// one slot fewer (spring forward: 02:00–03:00 does not exist in Europe/Berlin on 2026-03-29) or more
// (fall back: 02:00–03:00 happens twice on 2026-10-25), and a range opening inside a gap starts when
// the gap ends (Luxon moves nonexistent local times forward). Only whole slots count.
import { DateTime } from "luxon";
import type { Instrument, OpenRange } from "../../../shared/schemas/catalog";
import { BOOKING_RULE_DEFAULTS, type BookingRules } from "../../../shared/schemas/scheduling";
import type { ErrorCode, ErrorParams } from "../../../shared/errors";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Half-open interval [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

export interface SlotFree extends Interval {
  free: number;
}

/** One capacity unit held from `start` (a slot start) by some booking. */
export interface ClaimRef {
  start: number;
  unit: number;
}

export type ResolvedRules = { [K in keyof typeof BOOKING_RULE_DEFAULTS]-?: NonNullable<(typeof BOOKING_RULE_DEFAULTS)[K]> };

/** The instrument's rules with every default filled in; the minimum duration defaults to one slot. */
export function resolveRules(rules: BookingRules | undefined, slotMinutes: number): ResolvedRules {
  const r = { ...BOOKING_RULE_DEFAULTS, ...(rules ?? {}) };
  return { ...r, minDurationMinutes: r.minDurationMinutes ?? slotMinutes };
}

/** Minutes after midnight of "HH:MM" ("24:00" is 1440). */
function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

/** The instant of a local date + minutes after its midnight, in `zone` ("24:00" is the next midnight). */
function localInstant(date: DateTime, minutes: number): number {
  const day = minutes >= 1440 ? date.plus({ days: 1 }) : date;
  const m = minutes % 1440;
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(m / 60), minute: m % 60 },
    { zone: date.zone },
  ).toMillis();
}

/** The grid slots of the open hours that start in [from, to), in order. */
export function gridSlots(openHours: readonly OpenRange[], slotMinutes: number, zone: string, from: number, to: number): Interval[] {
  const slotMs = slotMinutes * MINUTE;
  const slots: Interval[] = [];
  // A range of the previous local date can reach into `from` (e.g. 20:00–24:00 seen from UTC+14).
  let date = DateTime.fromMillis(from, { zone }).startOf("day").minus({ days: 1 });
  const last = DateTime.fromMillis(to, { zone }).startOf("day");
  for (; date <= last; date = date.plus({ days: 1 })) {
    for (const range of openHours) {
      if (range.weekday !== date.weekday) continue;
      const rangeEnd = localInstant(date, clockMinutes(range.end));
      for (let t = localInstant(date, clockMinutes(range.start)); t + slotMs <= rangeEnd; t += slotMs) {
        if (t >= from && t < to) slots.push({ start: t, end: t + slotMs });
      }
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Units claimed per slot start. */
export function takenBySlot(claims: readonly ClaimRef[]): Map<number, Set<number>> {
  const taken = new Map<number, Set<number>>();
  for (const c of claims) {
    if (!taken.has(c.start)) taken.set(c.start, new Set());
    taken.get(c.start)!.add(c.unit);
  }
  return taken;
}

export interface Calendar {
  openHours: readonly OpenRange[];
  slotMinutes: number;
  capacity: number;
  zone: string;
  blackouts: readonly Interval[];
  rules: ResolvedRules;
}

/** An instrument's calendar: its settings and the maintenance windows read for the range in question. */
export function calendarOf(
  inst: Pick<Instrument, "openHours" | "slotMinutes" | "capacity" | "timezone" | "rules">,
  blackouts: readonly { start: Date; end: Date }[],
): Calendar {
  return {
    openHours: inst.openHours,
    slotMinutes: inst.slotMinutes,
    capacity: inst.capacity,
    zone: inst.timezone,
    blackouts: blackouts.map((b) => ({ start: b.start.getTime(), end: b.end.getTime() })),
    rules: resolveRules(inst.rules, inst.slotMinutes),
  };
}

/** When bookings may start: from now + minimum notice up to now + maximum advance. */
export function bookableWindow(rules: ResolvedRules, now: number): Interval {
  return { start: now + rules.minNoticeMinutes * MINUTE, end: now + rules.maxAdvanceDays * DAY };
}

/**
 * The slots of [from, to) one could book now, each with its free units: the open hours in the
 * instrument's zone, minus maintenance windows, minus slots starting before now + the minimum
 * notice or after the maximum advance; claimed units are subtracted from the capacity (a full slot
 * is listed with free 0). `now` defaults to Luxon's clock (tests freeze `Settings.now`).
 */
export function computeAvailability(
  cal: Calendar,
  claims: readonly ClaimRef[],
  range: Interval,
  now: number = DateTime.now().toMillis(),
): SlotFree[] {
  const window = bookableWindow(cal.rules, now);
  const taken = takenBySlot(claims);
  return gridSlots(cal.openHours, cal.slotMinutes, cal.zone, Math.max(range.start, window.start), Math.min(range.end, window.end))
    .filter((slot) => !cal.blackouts.some((b) => overlaps(b, slot)))
    .map((slot) => ({ ...slot, free: Math.max(0, cal.capacity - (taken.get(slot.start)?.size ?? 0)) }));
}

export type WindowCheck = { ok: true; slots: Interval[] } | { ok: false; code: ErrorCode; params?: ErrorParams };

/**
 * Whether [start, end) is a bookable stretch of instrument time under the rules, and its slots.
 * The first problem found is reported, in this order: the grid and open hours, notice, advance,
 * duration, maintenance windows.
 */
export function checkBookingWindow(cal: Calendar, start: number, end: number, now: number = DateTime.now().toMillis()): WindowCheck {
  const slotMs = cal.slotMinutes * MINUTE;
  const grid = gridSlots(cal.openHours, cal.slotMinutes, cal.zone, start - slotMs, end + slotMs);
  const inside = (t: number) => grid.some((s) => s.start < t && t < s.end);
  let i = grid.findIndex((s) => s.start === start);
  if (i < 0) return inside(start) ? { ok: false, code: "NOT_ON_GRID", params: { slotMinutes: cal.slotMinutes } } : { ok: false, code: "OUTSIDE_OPEN_HOURS" };
  const slots: Interval[] = [grid[i]!];
  while (slots[slots.length - 1]!.end < end) {
    const next = grid[++i];
    if (!next || next.start !== slots[slots.length - 1]!.end) {
      return inside(end) ? { ok: false, code: "NOT_ON_GRID", params: { slotMinutes: cal.slotMinutes } } : { ok: false, code: "OUTSIDE_OPEN_HOURS" };
    }
    slots.push(next);
  }
  if (slots[slots.length - 1]!.end !== end) return { ok: false, code: "NOT_ON_GRID", params: { slotMinutes: cal.slotMinutes } };
  const window = bookableWindow(cal.rules, now);
  if (start < window.start) return { ok: false, code: "TOO_SHORT_NOTICE", params: { minutes: cal.rules.minNoticeMinutes } };
  if (start > window.end) return { ok: false, code: "TOO_FAR_AHEAD", params: { days: cal.rules.maxAdvanceDays } };
  const minutes = (end - start) / MINUTE;
  if (minutes < cal.rules.minDurationMinutes) return { ok: false, code: "TOO_SHORT", params: { minutes: cal.rules.minDurationMinutes } };
  if (minutes > cal.rules.maxDurationMinutes) return { ok: false, code: "TOO_LONG", params: { minutes: cal.rules.maxDurationMinutes } };
  if (cal.blackouts.some((b) => overlaps(b, { start, end }))) return { ok: false, code: "IN_BLACKOUT" };
  return { ok: true, slots };
}

/**
 * The buffer after a booking: the instants of the whole slots it covers, right after `end` (a unit
 * needs the time to be cleaned and calibrated before the next user; see claims.ts).
 */
export function bufferStarts(end: number, rules: ResolvedRules, slotMinutes: number): number[] {
  const n = Math.ceil(rules.bufferMinutes / slotMinutes);
  return Array.from({ length: n }, (_, k) => end + k * slotMinutes * MINUTE);
}

export interface Fit {
  unit: number;
  /** The item's slots in order; back-to-back slots form one part (`partsOf`). */
  slots: Interval[];
}

/**
 * How far apart two parts of one item may be (closed time between them: nights, weekends, a
 * maintenance window). Longer, and the measurement counts as interrupted: no run is formed.
 */
export const MAX_PART_GAP_MS = 7 * DAY;
/** An item ends within this long after its first slot starts (the planner reads claims this far). */
export const MAX_ITEM_SPAN_MS = 90 * DAY;

/** Back-to-back slots joined into parts: [08:00–09:00, 09:00–10:00, 13:30–14:30] → two parts. */
export function partsOf(slots: readonly Interval[]): Interval[] {
  const parts: Interval[] = [];
  for (const s of slots) {
    const last = parts[parts.length - 1];
    if (last && last.end === s.start) last.end = s.end;
    else parts.push({ start: s.start, end: s.end });
  }
  return parts;
}

/**
 * The most slots one open block of the weekly hours holds (ranges that touch, 24:00 → 00:00 of the
 * next day included, form one block); Infinity for round-the-clock hours. DST is ignored: this
 * only decides whether an item may be split at all.
 */
export function longestBlockSlots(openHours: readonly OpenRange[], slotMinutes: number): number {
  const WEEK = 7 * 1440;
  const ranges = openHours
    .map((r) => ({ start: (r.weekday - 1) * 1440 + clockMinutes(r.start), end: (r.weekday - 1) * 1440 + clockMinutes(r.end) }))
    .sort((a, b) => a.start - b.start);
  const blocks: { start: number; end: number; slots: number }[] = [];
  for (const r of ranges) {
    const slots = Math.floor((r.end - r.start) / slotMinutes);
    const last = blocks[blocks.length - 1];
    if (last && last.end === r.start) Object.assign(last, { end: r.end, slots: last.slots + slots });
    else blocks.push({ ...r, slots });
  }
  if (blocks.length === 0) return 0;
  const first = blocks[0]!;
  const last = blocks[blocks.length - 1]!;
  if (blocks.length === 1 && first.start === 0 && first.end === WEEK) return Infinity;
  if (blocks.length > 1 && first.start === 0 && last.end === WEEK) first.slots += last.slots; // Sunday night into Monday
  return Math.max(...blocks.map((b) => b.slots));
}

/** The open grid minus maintenance windows, generated as far as the search needs it. */
class LazyGrid {
  readonly slots: Interval[] = [];
  private reached: number;
  /** Days per step: 1, 2, 4, then a week (most items fit in the first days). */
  private step = 1;
  constructor(private readonly cal: Calendar, from: number, private readonly limit: number) {
    this.reached = from;
  }
  /** Slot `j`, or undefined past the limit. */
  at(j: number): Interval | undefined {
    while (j >= this.slots.length && this.reached < this.limit) {
      const to = Math.min(this.reached + this.step * DAY, this.limit);
      this.step = Math.min(this.step * 2, 7);
      const week = gridSlots(this.cal.openHours, this.cal.slotMinutes, this.cal.zone, this.reached, to);
      this.slots.push(...week.filter((slot) => !this.cal.blackouts.some((b) => overlaps(b, slot))));
      this.reached = to;
    }
    return this.slots[j];
  }
}

/**
 * The earliest place for an item of `count` slots starting in [from, until), on one unit free for
 * all of them and for the buffer after the last one. `isTaken(start, unit)` answers for claims.
 *
 * An item that fits in one open block of the instrument takes `count` back-to-back slots, as a
 * booking of instrument time does. A longer one runs as labs run it: `count` consecutive *open*
 * slots of the grid (closed time, nights and maintenance windows skipped), so its parts fill
 * consecutive open blocks with no open slot left out between them (nobody else uses the unit in
 * the middle of the measurement), no gap between parts of `MAX_PART_GAP_MS` or more, and the whole
 * item within `MAX_ITEM_SPAN_MS`. The buffer follows the last part only: between parts the
 * instrument is closed and the samples stay on it. The earliest start wins, then the lowest unit.
 */
export function earliestFit(
  cal: Calendar,
  count: number,
  from: number,
  until: number,
  isTaken: (start: number, unit: number) => boolean,
  now: number = DateTime.now().toMillis(),
): Fit | null {
  const window = bookableWindow(cal.rules, now);
  const first = Math.max(from, window.start);
  const last = Math.min(until, window.end + 1);
  if (last <= first || count < 1) return null;
  const split = count > longestBlockSlots(cal.openHours, cal.slotMinutes);
  const grid = new LazyGrid(cal, first, last + (split ? MAX_ITEM_SPAN_MS : count * cal.slotMinutes * MINUTE));
  const joins = (prev: Interval, next: Interval) => (split ? next.start - prev.end < MAX_PART_GAP_MS : next.start === prev.end);
  let best: Fit | null = null;
  for (let unit = 0; unit < cal.capacity; unit++) {
    // A scan that stops at slot j (taken, or not joined to the one before) resumes there: O(slots).
    let i = 0;
    search: for (let head = grid.at(i); head && head.start < last && (!best || head.start < best.slots[0]!.start); head = grid.at(i)) {
      const run: Interval[] = [];
      for (let j = i; run.length < count; j++) {
        const slot = grid.at(j);
        if (!slot) break search;
        if (split && slot.end - head.start > MAX_ITEM_SPAN_MS) {
          i++;
          continue search;
        }
        if (run.length > 0 && !joins(run[run.length - 1]!, slot)) {
          i = j;
          continue search;
        }
        if (isTaken(slot.start, unit)) {
          i = j + 1;
          continue search;
        }
        run.push(slot);
      }
      if (bufferStarts(run[run.length - 1]!.end, cal.rules, cal.slotMinutes).every((t) => !isTaken(t, unit))) {
        best = { unit, slots: run };
        break;
      }
      i++;
    }
  }
  return best;
}

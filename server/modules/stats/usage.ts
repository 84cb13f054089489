// The arithmetic of utilization (pure, no database): an instrument's open time over an interval
// and the booked time inside it. Open time is the instrument's booking grid (scheduling's
// `gridSlots`, the one place open-hours arithmetic lives: whole slots, in its own zone, DST
// included) minus its maintenance windows; booked time is the overlap of booking items with it.
import type { BookingStatus } from "../../../shared/enums";
import type { Instrument } from "../../../shared/schemas/catalog";
import { gridSlots, type Interval } from "../scheduling/availability";
import type { BookingDoc } from "../scheduling/model";

/** Bookings whose time counts as booked: the active ones and the completed ones. */
export const COUNTED_STATUSES: readonly BookingStatus[] = ["pending", "confirmed", "in_progress", "completed"];
/** Bookings whose instrument is in use while a part of them runs (checked in, or confirmed and due). */
export const IN_USE_STATUSES: readonly BookingStatus[] = ["confirmed", "in_progress"];

export type CalendarOf = Pick<Instrument, "id" | "openHours" | "slotMinutes" | "timezone" | "capacity">;

/** Sorted, non-overlapping intervals of [from, to) the instrument is open, maintenance windows cut out. */
export function openIntervals(inst: CalendarOf, from: number, to: number, blackouts: readonly Interval[]): Interval[] {
  // A slot starting before `from` may reach into it: ask from a slot earlier and clip.
  const slots = gridSlots(inst.openHours, inst.slotMinutes, inst.timezone, from - inst.slotMinutes * 60_000, to);
  const merged: Interval[] = [];
  for (const s of slots) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (start >= end) continue;
    const last = merged.at(-1);
    if (last && last.end >= start) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return subtract(merged, blackouts);
}

/** `a` without the parts covered by any interval of `cut` (a sorted). */
export function subtract(a: readonly Interval[], cut: readonly Interval[]): Interval[] {
  const sorted = [...cut].sort((x, y) => x.start - y.start);
  const out: Interval[] = [];
  for (const iv of a) {
    let start = iv.start;
    for (const c of sorted) {
      if (c.end <= start || c.start >= iv.end) continue;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      if (start >= iv.end) break;
    }
    if (start < iv.end) out.push({ start, end: iv.end });
  }
  return out;
}

export const totalMs = (ivs: readonly Interval[]): number => ivs.reduce((sum, iv) => sum + (iv.end - iv.start), 0);

/** Milliseconds of `parts` inside `open` (both lists of intervals). */
export function overlapMs(open: readonly Interval[], parts: readonly Interval[]): number {
  let ms = 0;
  for (const p of parts) for (const o of open) ms += Math.max(0, Math.min(p.end, o.end) - Math.max(p.start, o.start));
  return ms;
}

/** The stretches of one instrument's items in a booking: each item's parts, or its start–end. */
export function partsOn(booking: Pick<BookingDoc, "items">, instrumentId: string): Interval[] {
  const out: Interval[] = [];
  for (const item of booking.items) {
    if (item.instrumentId !== instrumentId) continue;
    for (const p of item.parts?.length ? item.parts : [item]) out.push({ start: new Date(p.start).getTime(), end: new Date(p.end).getTime() });
  }
  return out;
}

/** Booked time of an instrument inside its open intervals, over the bookings that count. */
export function bookedMs(instrumentId: string, open: readonly Interval[], bookings: Iterable<Pick<BookingDoc, "items" | "status">>): number {
  let ms = 0;
  for (const b of bookings) if (COUNTED_STATUSES.includes(b.status)) ms += overlapMs(open, partsOn(b, instrumentId));
  return ms;
}

/** The grid slot starts of [from, to) (what the instrument's claims are named by). */
export function slotStarts(inst: CalendarOf, from: number, to: number): number[] {
  return gridSlots(inst.openHours, inst.slotMinutes, inst.timezone, from, to).map((s) => s.start);
}

const HOUR = 3_600_000;
export const hours = (ms: number): number => Math.round((ms / HOUR) * 100) / 100;
export const rate = (booked: number, open: number): number | null => (open > 0 ? Math.round((booked / open) * 10_000) / 10_000 : null);

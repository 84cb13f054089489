// Scheduling's answers to the catalog about an instrument's bookings (catalog/usage.ts), and the
// fence booking passes after claiming: the other half of catalog/calendar-guard.ts.
//
// Both read slot claims, not the bookings collection: claims are written first (before event 1) and
// are the truth about who holds instrument time, so a booking still being made is seen too.
import { ACTIVE_BOOKING_STATUSES } from "../../../shared/enums";
import type { AffectedBooking } from "../../../shared/schemas/common";
import { eventId, type EventModel } from "../../db/event-store";
import { ConflictError, RuleError } from "../../errors";
import type { InstrumentsService } from "../catalog/instruments";
import type { CalendarSpec, InstrumentUsage } from "../catalog/usage";
import { bufferStarts, gridSlots, resolveRules, type Interval } from "./availability";
import type { BookingDoc, SchedulingModels } from "./model";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** One booking's time on one instrument, with the slot starts it claimed there. */
interface HeldItem {
  bookingId: string;
  enterpriseName: string;
  start: number;
  end: number;
  unit: number;
  /** Claimed starts inside [start, end) (the booked slots) and after it (the buffer). */
  booked: number[];
  buffer: number[];
  /** No event 1 yet: the booking is being made right now. */
  inFlight: boolean;
}

export class InstrumentUsageService implements InstrumentUsage {
  constructor(
    private readonly m: SchedulingModels,
    private readonly events: EventModel,
    /** The booking with every event applied (SchedulingService.load: heals a projection behind its events). */
    private readonly loadBooking: (id: string) => Promise<BookingDoc | null>,
    private readonly now: () => number,
  ) {}

  async brokenBy(instrumentId: string, before: CalendarSpec, after: CalendarSpec): Promise<AffectedBooking[]> {
    const items = await this.held(instrumentId);
    const everything =
      (before.status === "active" && after.status !== "active") || before.timezone !== after.timezone || before.slotMinutes !== after.slotMinutes;
    return present(items.filter((item) => everything || item.inFlight || item.unit >= after.capacity || offGrid(item, after)));
  }

  async inside(instrumentId: string, start: Date, end: Date): Promise<AffectedBooking[]> {
    const items = await this.held(instrumentId);
    return present(items.filter((item) => item.start < end.getTime() && start.getTime() < item.end));
  }

  /** Active bookings' time on the instrument that has not ended: one claims query, one bookings query. */
  private async held(instrumentId: string): Promise<HeldItem[]> {
    const now = this.now();
    // Claims of slots over for a day are gone (the sweeper); a booking under way started within that.
    const claims = await this.m.claims
      .find({ instrumentId, start: { $gte: new Date(now - DAY) } }, { _id: 0, start: 1, unit: 1, bookingId: 1 })
      .lean<{ start: Date; unit: number; bookingId: string }[]>();
    const byBooking = new Map<string, { start: number; unit: number }[]>();
    for (const c of claims) byBooking.set(c.bookingId, [...(byBooking.get(c.bookingId) ?? []), { start: c.start.getTime(), unit: c.unit }]);
    const bookings = await this.bookings([...byBooking.keys()]);
    const items: HeldItem[] = [];
    for (const [bookingId, held] of byBooking) {
      const booking = bookings.get(bookingId);
      if (booking === null) {
        const starts = held.map((c) => c.start).sort((a, b) => a - b);
        const last = starts[starts.length - 1]!;
        if (last >= now) items.push({ bookingId, enterpriseName: "", start: starts[0]!, end: last + 1, unit: held[0]!.unit, booked: starts, buffer: [], inFlight: true });
        continue;
      }
      if (!booking || !ACTIVE_BOOKING_STATUSES.includes(booking.status)) continue;
      for (const item of booking.items) {
        if (item.instrumentId !== instrumentId || item.end.getTime() <= now) continue;
        const mine = held.filter((c) => c.unit === item.unit).map((c) => c.start);
        const [start, end] = [item.start.getTime(), item.end.getTime()];
        const booked = mine.filter((t) => t >= start && t < end).sort((a, b) => a - b);
        const buffer = mine.filter((t) => t >= end).sort((a, b) => a - b);
        items.push({ bookingId, enterpriseName: booking.enterpriseName, start, end, unit: item.unit, booked, buffer, inFlight: false });
      }
    }
    return items.sort((a, b) => a.start - b.start || a.bookingId.localeCompare(b.bookingId));
  }

  /**
   * The bookings by id, as of their last event: projections in one query, plus a batched look-up of
   * each one's next event; only those behind are loaded one by one. Null: not recorded (in flight).
   */
  private async bookings(ids: string[]): Promise<Map<string, BookingDoc | null>> {
    if (ids.length === 0) return new Map();
    const docs = new Map((await this.m.bookings.find({ _id: { $in: ids } }).lean<BookingDoc[]>()).map((b) => [b._id, b]));
    const behind = new Set(
      (await this.events.find({ _id: { $in: ids.map((id) => eventId(id, (docs.get(id)?.version ?? 0) + 1)) } }, { aggregateId: 1 }).lean()).map(
        (e) => e.aggregateId,
      ),
    );
    const out = new Map<string, BookingDoc | null>();
    for (const id of ids) out.set(id, !docs.has(id) || behind.has(id) ? await this.loadBooking(id) : docs.get(id)!);
    return out;
  }
}

function present(items: HeldItem[]): AffectedBooking[] {
  return items.map((i) => ({ id: i.bookingId, enterpriseName: i.enterpriseName, start: new Date(i.start).toISOString(), end: new Date(i.end).toISOString() }));
}

/**
 * Whether the claimed starts stop meaning the same time under `cal`: a booked start that is not a
 * slot start, a slot inside the booked time that the booking does not hold (unless it lies in a
 * `closed` interval: a package item's parts run around maintenance windows), or a buffer claim
 * starting inside a slot (a later booking would overlap it without meeting its claim).
 */
function offGrid(item: Pick<HeldItem, "start" | "end" | "booked" | "buffer">, cal: CalendarSpec, closed: readonly Interval[] = []): boolean {
  const slotMs = cal.slotMinutes * MINUTE;
  const last = Math.max(item.end, ...item.buffer);
  const grid = gridSlots(cal.openHours, cal.slotMinutes, cal.timezone, item.start - slotMs, last + slotMs);
  const starts = new Set(grid.map((s) => s.start));
  if (item.booked.length === 0 || item.booked.some((t) => !starts.has(t))) return true;
  const held = new Set(item.booked);
  const isClosed = (s: Interval) => closed.some((c) => c.start < s.end && s.start < c.end);
  if (grid.some((s) => s.start >= item.start && s.start < item.end && !held.has(s.start) && !isClosed(s))) return true;
  if (grid.some((s) => s.start < item.end && s.end > item.end)) return true; // the booking would end inside a slot
  return item.buffer.some((t) => grid.some((s) => s.start < t && t < s.end));
}

/**
 * Run by booking right after it claimed `starts` on `unit` (claims.ts). It re-reads the instrument
 * at its latest revision and gives the claims back (409 CALENDAR_CHANGED) when a calendar change is
 * being checked, or when the claims no longer fit: unit beyond capacity, a start off the grid or
 * outside the hours, the instrument out of service, a maintenance window over the booked time.
 * With calendar-guard.ts this closes the race of a booking planned on the calendar an edit replaces.
 */
export function calendarFence(instruments: InstrumentsService) {
  return async (instrumentId: string, starts: readonly number[], unit: number): Promise<void> => {
    const sorted = [...starts].sort((a, b) => a - b);
    // The instrument and its maintenance windows are read side by side (a slot is at most a day long).
    const [{ instrument: inst, locked }, windows] = await Promise.all([
      instruments.fresh(instrumentId),
      instruments.blackoutsBetween(instrumentId, new Date(sorted[0]!), new Date(sorted[sorted.length - 1]! + DAY)),
    ]);
    if (inst.status !== "active") throw new RuleError("INSTRUMENT_NOT_BOOKABLE");
    if (locked || unit >= inst.capacity) throw new ConflictError("CALENDAR_CHANGED");
    const bufferCount = bufferStarts(0, resolveRules(inst.rules, inst.slotMinutes), inst.slotMinutes).length;
    const booked = sorted.slice(0, Math.max(1, sorted.length - bufferCount));
    const buffer = sorted.slice(booked.length);
    const span: Interval = { start: booked[0]!, end: booked[booked.length - 1]! + inst.slotMinutes * MINUTE };
    const closed = windows
      .map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }))
      .filter((b) => b.start < span.end && span.start < b.end);
    const slotMs = inst.slotMinutes * MINUTE;
    if (booked.some((t) => closed.some((c) => c.start < t + slotMs && t < c.end))) throw new RuleError("IN_BLACKOUT");
    if (offGrid({ ...span, booked, buffer }, { ...inst, status: inst.status }, closed)) throw new ConflictError("CALENDAR_CHANGED");
  };
}
export type CalendarFence = ReturnType<typeof calendarFence>;

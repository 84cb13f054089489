// What every part of the scheduling module shares: the models, the clock, the claim store, the
// calendar of an instrument, the projection write and the after-write announcements.
// SchedulingService (service.ts) extends this, so tests can move `now` and replace a step on the
// real service object (fault injection) without mocking the database.
import { DateTime } from "luxon";
import { isoInZone } from "../../../shared/time";
import type { Instrument } from "../../../shared/schemas/catalog";
import type { Slot } from "../../../shared/schemas/scheduling";
import type { EventModel } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import type { DomainEventBus } from "../../events";
import type { OrganizationsService } from "../accounts/organizations";
import type { InstrumentsService } from "../catalog/instruments";
import type { PackagesService } from "../catalog/packages";
import { calendarOf, computeAvailability, type Calendar, type ClaimRef, type Interval, type ResolvedRules } from "./availability";
import { BookingNumbers } from "./booking-number";
import { ClaimStore } from "./claims";
import { calendarFence } from "./instrument-usage";
import type { BookingDoc, SchedulingModels } from "./model";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Deps {
  instruments: InstrumentsService;
  packages: PackagesService;
  organizations: OrganizationsService;
}

/** One item of a booking as planned: where, when, on which unit, and the claim instants. */
export interface PlannedItem {
  instrument: Instrument;
  rules: ResolvedRules;
  /** The item's slots; back-to-back ones form a part (an item may run over several open blocks). */
  slots: Interval[];
  unit: number;
  /** Slot starts plus the buffer after the last slot. */
  instants: number[];
}

/** Claims held while a booking is being made, by instrument (released if it is never recorded). */
export type Held = { instrumentId: string; ids: string[] }[];

export class SchedulingCore {
  /** The clock in epoch ms; tests move it (Luxon's `Settings.now` works too). */
  now: () => number = () => DateTime.now().toMillis();
  readonly claims: ClaimStore;
  readonly numbers: BookingNumbers;
  /**
   * Called when a step after a booking's commit point fails (it is healed later, not retried now).
   * app.ts may route it to the logger; tests replace it to see the failure.
   */
  reportDeferred: (step: string, bookingId: string, err: unknown) => void = () => {};

  constructor(
    readonly m: SchedulingModels,
    readonly events: EventModel,
    readonly bus: DomainEventBus,
    readonly d: Deps,
  ) {
    this.claims = new ClaimStore(m, calendarFence(d.instruments));
    this.numbers = new BookingNumbers(m.numbers);
  }

  async calendar(inst: Instrument, range: Interval): Promise<Calendar> {
    return calendarOf(inst, await this.d.instruments.blackoutsBetween(inst.id, new Date(range.start), new Date(range.end)));
  }

  /**
   * The live claims on the slots `computeAvailability(cal, …, range, now)` lists (maintenance
   * windows aside), read by their `_id`s: what availability needs, at a cost that follows the
   * window, not the number of claims. Buffer instants off the grid are not read.
   */
  gridClaims(instrumentId: string, cal: Calendar, range: Interval, now: number): Promise<ClaimRef[]> {
    const starts = computeAvailability({ ...cal, blackouts: [] }, [], range, now).map((s) => s.start);
    return this.claims.at(instrumentId, starts, cal.capacity);
  }

  slotOut(zone: string, s: { start: number; end: number; free: number }): Slot {
    return { start: isoInZone(s.start, zone), end: isoInZone(s.end, zone), free: s.free };
  }

  private readonly announcing = new Set<Promise<void>>();

  /**
   * `announce` after the answer: the request does not wait for the free counts to be read again
   * (db/coalesced-reads.ts shares that read with other requests on the instrument). A failure is
   * reported like any step after the commit point.
   */
  announceLater(bookingId: string, items: readonly { instrumentId: string; start: Date | number; end: Date | number }[]): void {
    const running: Promise<void> = Promise.resolve()
      .then(() => this.announce(items))
      .catch((err: unknown) => this.reportDeferred("announce", bookingId, err))
      .finally(() => this.announcing.delete(running));
    this.announcing.add(running);
  }

  /**
   * availability.changed for the slots a new booking has just claimed. On a one-unit instrument
   * they are full now, which needs no read: the event leaves at once (the live views' delay is
   * the request's). Other instruments' free counts are read again (`announceLater`).
   */
  announceClaimed(bookingId: string, planned: readonly PlannedItem[]): void {
    const full = new Map<string, { zone: string; slots: Interval[] }>();
    const rest: { instrumentId: string; start: number; end: number }[] = [];
    for (const p of planned) {
      if (p.instrument.capacity !== 1) {
        rest.push({ instrumentId: p.instrument.id, start: p.slots[0]!.start, end: p.slots[p.slots.length - 1]!.end });
        continue;
      }
      const entry = full.get(p.instrument.id) ?? { zone: p.instrument.timezone, slots: [] };
      entry.slots.push(...p.slots);
      full.set(p.instrument.id, entry);
    }
    for (const [instrumentId, { zone, slots }] of full) {
      const changes = [...slots].sort((a, b) => a.start - b.start).map((s) => this.slotOut(zone, { ...s, free: 0 }));
      this.bus.emit("availability.changed", { instrumentId, changes });
    }
    if (rest.length > 0) this.announceLater(bookingId, rest);
  }

  /** Resolves when every announcement under way has been sent (server shutdown, tests). */
  async announcementsSent(): Promise<void> {
    while (this.announcing.size > 0) await Promise.all([...this.announcing]);
  }

  /** availability.changed for the slots a booking holds or released, with their new free counts. */
  async announce(items: readonly { instrumentId: string; start: Date | number; end: Date | number }[]): Promise<void> {
    const byInstrument = new Map<string, Interval>();
    for (const item of items) {
      const s = new Date(item.start).getTime();
      const e = new Date(item.end).getTime();
      const cur = byInstrument.get(item.instrumentId);
      byInstrument.set(item.instrumentId, cur ? { start: Math.min(cur.start, s), end: Math.max(cur.end, e) } : { start: s, end: e });
    }
    for (const [instrumentId, range] of byInstrument) {
      const inst = await this.d.instruments.get(instrumentId);
      const everySlot = (cal: Calendar): Calendar => ({ ...cal, rules: { ...cal.rules, minNoticeMinutes: 0, maxAdvanceDays: 366 } });
      // The maintenance windows and the claims, read side by side: this delay is what live views wait.
      const [cal, claims] = await Promise.all([
        this.calendar(inst, range).then(everySlot),
        this.gridClaims(instrumentId, everySlot(calendarOf(inst, [])), range, range.start),
      ]);
      const changes = computeAvailability(cal, claims, range, range.start);
      if (changes.length > 0) this.bus.emit("availability.changed", { instrumentId, changes: changes.map((c) => this.slotOut(inst.timezone, c)) });
    }
  }

  async saveProjection(doc: BookingDoc): Promise<void> {
    const { _id, ...rest } = doc;
    if (doc.version === 1) {
      // A new booking: one insert (FerretDB's update is a read and a write, then an existence check),
      // straight to the driver: the document is already in its stored shape (applyEvent), and
      // Mongoose's document building was a twentieth of the server's CPU per booking.
      try {
        await this.m.bookings.collection.insertOne(doc as never, { ignoreUndefined: true });
        return;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // healed by a reader first: update below
      }
    }
    try {
      // Not a guard (FerretDB updates are not atomic): the version filter only keeps most late writers
      // from putting an older version back, and `load` repairs the rest from the events.
      const res = await this.m.bookings.updateOne({ _id, version: { $lt: doc.version } }, { $set: rest });
      if (res.matchedCount === 0 && !(await this.m.bookings.exists({ _id }))) await this.m.bookings.create(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // a concurrent reader healed it first
    }
  }

  emitBooking(name: "booking.created" | "booking.updated", doc: BookingDoc): void {
    this.bus.emit(name, {
      bookingId: doc._id,
      status: doc.status,
      enterpriseId: doc.enterpriseId,
      providerIds: [...doc.providerIds],
      instrumentIds: [...doc.instrumentIds],
    });
  }
}

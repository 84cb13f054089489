// Scheduling: availability, booking and the booking lifecycle. No HTTP in here.
//
// Exclusive decisions are inserts (DESIGN.md "The database"): slot claims (claims.ts) decide who holds
// instrument time, the n-th event `<bookingId>:<n>` decides each transition (one winner per race),
// `<orgId>:<Idempotency-Key>` decides that a retried request books once. This class is the module's
// face (app.ts, routes, the sweeper timer use it); each concern lives in its own file:
// booking.ts (create/hold), idempotency.ts, lifecycle.ts (transitions), reads.ts (load/get/list and
// healing), sweeper.ts, slots.ts (availability). Package planning stays below.
import { isoInZone } from "../../../shared/time";
import type { Instrument, Package } from "../../../shared/schemas/catalog";
import type { Availability, Booking, BookingCreateBody, BookingListQuery, CompleteBody, PackageSchedule, ReasonBody, Slot } from "../../../shared/schemas/scheduling";
import type { PageOf } from "../../../shared/schemas/common";
import { newId } from "../../db/ids";
import { ConflictError, RuleError, ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { bookableWindow, bufferStarts, earliestFit, resolveRules, type Calendar, type Interval } from "./availability";
import { book, booker, holdInstrumentTime } from "./booking";
import { claimId } from "./claims";
import { DAY, MINUTE, SchedulingCore, type PlannedItem } from "./core";
import { bookOnce } from "./idempotency";
import { transition } from "./lifecycle";
import type { BookingDoc } from "./model";
import type { TransitionName } from "./projection";
import * as reads from "./reads";
import { sweep, type SweepResult } from "./sweeper";
import * as slots from "./slots";

export { SWEEP_GRACE_MS } from "./sweeper";

/** Package items re-planned after losing a claim race, before answering 409. */
const MAX_PACKAGE_REPLANS = 20;

export class SchedulingService extends SchedulingCore {
  availability(instrumentId: string, from: string, to: string): Promise<Availability> {
    return slots.availability(this, instrumentId, from, to);
  }

  slotsNow(instrumentId: string, start: Date, end: Date): Promise<Slot[]> {
    return slots.slotsNow(this, instrumentId, start, end);
  }

  /** Books instrument time or a package, once per Idempotency-Key when one is given (idempotency.ts). */
  async create(actor: Actor, body: BookingCreateBody, idempotencyKey?: string): Promise<Booking> {
    const enterprise = await booker(this, actor);
    if (!!body.instrumentId === !!body.packageId) {
      throw new ValidationError([{ field: "/body", rule: "oneOf", message: "give either instrumentId (with end) or packageId", params: { options: "instrumentId, packageId" } }]);
    }
    const run = (bookingId: string) =>
      book(this, actor, enterprise, body, bookingId, (held) =>
        body.instrumentId ? holdInstrumentTime(this, body, bookingId, held) : this.holdPackage(body.packageId!, Date.parse(body.start), bookingId, held),
      );
    if (idempotencyKey === undefined) return run(newId());
    return bookOnce(this, enterprise.id, idempotencyKey, body, run);
  }

  load(id: string): Promise<BookingDoc | null> {
    return reads.load(this, id);
  }

  rebuildBooking(id: string): Promise<BookingDoc | null> {
    return reads.rebuildBooking(this, id);
  }

  get(actor: Actor, id: string): Promise<Booking> {
    return reads.get(this, actor, id);
  }

  list(actor: Actor, query: BookingListQuery): Promise<PageOf<Booking>> {
    return reads.list(this, actor, query);
  }

  transition(actor: Actor, id: string, name: Exclude<TransitionName, "expire">, body: ReasonBody | CompleteBody): Promise<Booking> {
    return transition(this, actor, id, name, body);
  }

  sweep(at: Date = new Date(this.now())): Promise<SweepResult> {
    return sweep(this, at);
  }

  // ---- package planning ----------------------------------------------------------------------

  private async bookablePackage(packageId: string): Promise<{ pkg: Package; instruments: Map<string, Instrument> }> {
    const pkg = await this.d.packages.get(packageId);
    if (pkg.status !== "active") throw new RuleError("PACKAGE_NOT_BOOKABLE");
    const instruments = new Map<string, Instrument>();
    for (const item of pkg.items) {
      if (!instruments.has(item.instrumentId)) instruments.set(item.instrumentId, await this.d.instruments.get(item.instrumentId));
      if (instruments.get(item.instrumentId)!.status !== "active") throw new RuleError("INSTRUMENT_NOT_BOOKABLE");
    }
    return { pkg, instruments };
  }

  /**
   * The earliest feasible time on or after `from` for each item, in the package's order; items on
   * different instruments may run at the same time, items on one instrument do not overlap. An
   * hourly item takes its minutes rounded up to whole slots; a per-sample item takes one slot (the
   * samples are run in one sitting). With `bookingId`, each item is claimed as it is planned: a lost
   * race re-plans that item, and a package that cannot be fully placed releases what it held.
   */
  private async planPackage(pkg: Package, instruments: Map<string, Instrument>, from: number, bookingId: string | null, held: { instrumentId: string; ids: string[] }[]): Promise<PlannedItem[]> {
    const mine = new Set<string>(); // instrument:start:unit already planned by this package
    const planned: PlannedItem[] = [];
    for (const item of pkg.items) {
      const inst = instruments.get(item.instrumentId)!;
      const rules = resolveRules(inst.rules, inst.slotMinutes);
      const count = inst.priceUnit === "hour" ? Math.ceil((item.minutes ?? inst.slotMinutes) / inst.slotMinutes) : 1;
      const horizon = { start: Math.max(from, bookableWindow(rules, this.now()).start), end: bookableWindow(rules, this.now()).end + count * inst.slotMinutes * MINUTE };
      const cal = await this.calendar(inst, horizon);
      const lost = new Set<string>();
      let placed: PlannedItem | null = null;
      for (let attempt = 0; !placed; attempt++) {
        if (attempt > MAX_PACKAGE_REPLANS) throw new ConflictError("SLOT_TAKEN");
        const fit = await this.findFit(inst.id, cal, count, horizon, (t, u) => mine.has(claimId(inst.id, t, u)) || lost.has(claimId(inst.id, t, u)));
        if (!fit) throw new RuleError("NO_FEASIBLE_SCHEDULE");
        const instants = [...fit.slots.map((s) => s.start), ...bufferStarts(fit.slots[fit.slots.length - 1]!.end, rules, inst.slotMinutes)];
        if (bookingId) {
          const result = await this.claims.claim(inst.id, instants, fit.unit, bookingId);
          if (!result.ok) {
            lost.add(claimId(inst.id, result.takenAt, fit.unit));
            continue;
          }
          held.push({ instrumentId: inst.id, ids: result.ids });
        }
        for (const t of instants) mine.add(claimId(inst.id, t, fit.unit));
        placed = { instrument: inst, rules, slots: fit.slots, unit: fit.unit, instants };
      }
      planned.push(placed);
    }
    return planned;
  }

  /** Searches week by week (one claims query each) from the horizon's start to its end. */
  private async findFit(instrumentId: string, cal: Calendar, count: number, horizon: Interval, alsoTaken: (t: number, unit: number) => boolean) {
    const reach = (count + Math.ceil(cal.rules.bufferMinutes / cal.slotMinutes) + 1) * cal.slotMinutes * MINUTE + DAY;
    for (let weekStart = horizon.start; weekStart < horizon.end; weekStart += 7 * DAY) {
      const weekEnd = Math.min(weekStart + 7 * DAY, horizon.end);
      const taken = new Set((await this.claims.between(instrumentId, { start: weekStart, end: weekEnd + reach })).map((c) => `${c.start}:${c.unit}`));
      const fit = earliestFit(cal, count, weekStart, weekEnd, (t, u) => taken.has(`${t}:${u}`) || alsoTaken(t, u), this.now());
      if (fit) return fit;
    }
    return null;
  }

  private async holdPackage(packageId: string, from: number, bookingId: string, held: { instrumentId: string; ids: string[] }[]) {
    const { pkg, instruments } = await this.bookablePackage(packageId);
    const items = await this.planPackage(pkg, instruments, from, bookingId, held);
    return { items, priceFen: pkg.priceFen, title: pkg.name, actingProviderId: pkg.providerId, packageId: pkg.id };
  }

  /** The proposed schedule of a package from `start`: the booking algorithm, nothing held. */
  async schedule(packageId: string, start: string): Promise<PackageSchedule> {
    const { pkg, instruments } = await this.bookablePackage(packageId);
    const items = await this.planPackage(pkg, instruments, Date.parse(start), null, []);
    return {
      packageId,
      items: items.map((p) => ({
        instrumentId: p.instrument.id,
        instrumentName: p.instrument.name,
        providerId: p.instrument.providerId,
        start: isoInZone(p.slots[0]!.start, p.instrument.timezone),
        end: isoInZone(p.slots[p.slots.length - 1]!.end, p.instrument.timezone),
      })),
    };
  }
}

// Package planning: where and when each item of a packaged service (打包服务) runs, for the schedule
// preview (nothing held) and for booking (each item claimed as it is planned).
//
// Reads per request: the package and its instruments from the in-memory catalog, then ONE
// maintenance-windows query for all its instruments over the whole search horizon (bookable window
// + the longest an item may stretch; a scan on FerretDB, of a small collection), and the claims of
// each instrument by `_id` (claims.ts `at`), a week at first: the grid slot starts and buffer
// instants of the days read. The search itself is pure (`earliestFit`); what has not been read yet
// counts as taken, and a plan that reaches it reads twice as far and searches again (the earliest
// fit found inside what was read is the earliest overall: a fit that starts earlier also ends
// earlier). A lost claim race re-reads that instrument's claims and re-plans the item.
import type { Instrument, Package } from "../../../shared/schemas/catalog";
import type { PackageSchedule } from "../../../shared/schemas/scheduling";
import { isoInZone } from "../../../shared/time";
import { ConflictError, RuleError } from "../../errors";
import type { InstrumentsService } from "../catalog/instruments";
import type { PackagesService } from "../catalog/packages";
import {
  bookableWindow,
  bufferStarts,
  calendarOf,
  earliestFit,
  gridSlots,
  MAX_ITEM_SPAN_MS,
  partsOf,
  resolveRules,
  type Calendar,
  type Interval,
  type ResolvedRules,
} from "./availability";
import type { ClaimStore } from "./claims";
import type { Held, PlannedItem } from "./core";

const MINUTE = 60_000;
/** How far claims are read at first: most packages fit within days. */
const FIRST_READ_MS = 7 * 24 * 60 * MINUTE;
/** Package items re-planned after losing a claim race, before answering 409. */
const MAX_PACKAGE_REPLANS = 20;

export interface PackagePlanDeps {
  packages: PackagesService;
  instruments: InstrumentsService;
  claims: ClaimStore;
  now: () => number;
}

/** What one request knows of one instrument: its calendar and its claims over the search horizon. */
interface InstrumentTime {
  instrument: Instrument;
  rules: ResolvedRules;
  horizon: Interval;
  cal: Calendar;
  /** `<start>:<unit>` of every claim read. */
  taken: Set<string>;
  /** Claims are read for [horizon.start, readUntil); later instants count as taken until read. */
  readUntil: number;
  /** horizon.end + the longest reach of an item: the end of what may ever need reading. */
  readEnd: number;
}

export class PackagePlanner {
  constructor(private readonly d: PackagePlanDeps) {}

  /** The package and its instruments, which must all be active. */
  async bookable(packageId: string): Promise<{ pkg: Package; instruments: Map<string, Instrument> }> {
    const pkg = await this.d.packages.current(packageId);
    if (pkg.status !== "active") throw new RuleError("PACKAGE_NOT_BOOKABLE");
    // Partners' time is sold only on terms every partner accepted (catalog/partners.ts).
    if (pkg.partnerStatus !== "accepted") throw new RuleError("PACKAGE_NOT_ACCEPTED");
    const ids = [...new Set(pkg.items.map((i) => i.instrumentId))];
    const list = await Promise.all(ids.map((id) => this.d.instruments.get(id)));
    if (list.some((inst) => inst.status !== "active")) throw new RuleError("INSTRUMENT_NOT_BOOKABLE");
    return { pkg, instruments: new Map(list.map((inst) => [inst.id, inst])) };
  }

  /** Plans and claims every item of the package for `bookingId`; `held` collects the claims made. */
  async hold(packageId: string, from: number, bookingId: string, held: Held) {
    const { pkg, instruments } = await this.bookable(packageId);
    const items = await this.plan(pkg, instruments, from, bookingId, held);
    return { items, priceFen: pkg.priceFen, title: pkg.name, actingProviderId: pkg.providerId, packageId: pkg.id };
  }

  /** The proposed schedule of a package from `start`: the booking algorithm, nothing held. */
  async schedule(packageId: string, start: string): Promise<PackageSchedule> {
    const { pkg, instruments } = await this.bookable(packageId);
    const items = await this.plan(pkg, instruments, Date.parse(start), null, []);
    return {
      packageId,
      items: items.map((p) => {
        const zone = p.instrument.timezone;
        const parts = partsOf(p.slots).map((part) => ({ start: isoInZone(part.start, zone), end: isoInZone(part.end, zone) }));
        return {
          instrumentId: p.instrument.id,
          instrumentName: p.instrument.name,
          providerId: p.instrument.providerId,
          start: parts[0]!.start,
          end: parts[parts.length - 1]!.end,
          parts,
        };
      }),
    };
  }

  /**
   * The earliest feasible time on or after `from` for each item, in the package's order; items on
   * different instruments may run at the same time, items on one instrument do not overlap. An
   * hourly item takes its minutes rounded up to whole slots, over several open blocks if it is
   * longer than one (see `earliestFit`); a per-sample item takes one slot (the samples are run in
   * one sitting). The instrument's minimum and maximum duration bound the instrument time an
   * enterprise books itself; a package item's length is set by the package's provider. With
   * `bookingId`, each item is claimed as it is planned: a lost race re-plans that item, and a
   * package that cannot be fully placed releases what it held (the caller does, from `held`).
   */
  private async plan(pkg: Package, instruments: Map<string, Instrument>, from: number, bookingId: string | null, held: Held): Promise<PlannedItem[]> {
    const times = await this.instrumentTimes([...instruments.values()], from);
    const mine = new Set<string>(); // `<instrumentId>:<start ms>:<unit>` already planned by this package
    const planned: PlannedItem[] = [];
    for (const item of pkg.items) {
      const time = times.get(item.instrumentId)!;
      const { instrument: inst, rules, cal } = time;
      const count = inst.priceUnit === "hour" ? Math.ceil((item.minutes ?? inst.slotMinutes) / inst.slotMinutes) : 1;
      let placed: PlannedItem | null = null;
      for (let attempt = 0; !placed; attempt++) {
        if (attempt > MAX_PACKAGE_REPLANS) throw new ConflictError("SLOT_TAKEN");
        const unread = (t: number) => t >= time.readUntil && time.readUntil < time.readEnd;
        const isTaken = (t: number, u: number) => unread(t) || time.taken.has(`${t}:${u}`) || mine.has(`${inst.id}:${t}:${u}`);
        const fit = earliestFit(cal, count, time.horizon.start, time.horizon.end, isTaken, this.d.now());
        const lastInstant = fit ? Math.max(...bufferStarts(fit.slots[fit.slots.length - 1]!.end, rules, inst.slotMinutes), fit.slots[fit.slots.length - 1]!.start) : Infinity;
        if (unread(lastInstant)) {
          await this.readFurther(time);
          attempt--; // not a lost race
          continue;
        }
        // After a lost race, running out of room is the race's doing: 409, as for a taken slot.
        if (!fit) throw attempt > 0 ? new ConflictError("SLOT_TAKEN") : new RuleError("NO_FEASIBLE_SCHEDULE");
        const instants = [...fit.slots.map((s) => s.start), ...bufferStarts(fit.slots[fit.slots.length - 1]!.end, rules, inst.slotMinutes)];
        if (bookingId) {
          const result = await this.d.claims.claim(inst.id, instants, fit.unit, bookingId);
          if (!result.ok) {
            // Someone is booking this instrument right now: read its claims again and re-plan. The
            // winner is likely still inserting a run like ours, one claim at a time, so our slots
            // from the lost one on count as taken on that unit too (else each of its next inserts
            // would cost us another round).
            time.taken = takenSet(await this.claimsIn(time, time.horizon.start, time.readUntil));
            for (const t of instants) if (t >= result.takenAt) time.taken.add(`${t}:${fit.unit}`);
            continue;
          }
          held.push({ instrumentId: inst.id, ids: result.ids });
        }
        for (const t of instants) mine.add(`${inst.id}:${t}:${fit.unit}`);
        placed = { instrument: inst, rules, slots: fit.slots, unit: fit.unit, instants };
      }
      planned.push(placed);
    }
    return planned;
  }

  /**
   * Each instrument's calendar from `from` to the end of its bookable window + the longest an item
   * may stretch (one maintenance-windows query for them all), and its claims of the first week.
   */
  private async instrumentTimes(instruments: Instrument[], from: number): Promise<Map<string, InstrumentTime>> {
    const planned = instruments.map((instrument) => {
      const rules = resolveRules(instrument.rules, instrument.slotMinutes);
      const window = bookableWindow(rules, this.d.now());
      const horizon = { start: Math.max(from, window.start), end: window.end };
      return { instrument, rules, horizon, readEnd: horizon.end + this.reach(rules, instrument.slotMinutes) };
    });
    const ids = planned.map((p) => p.instrument.id);
    const range = { start: Math.min(...planned.map((p) => p.horizon.start)), end: Math.max(...planned.map((p) => p.readEnd)) };
    const blackouts = await this.d.instruments.blackoutsOfMany(ids, new Date(range.start), new Date(range.end));
    const times = planned.map((p) => {
      const cal = calendarOf(p.instrument, blackouts.get(p.instrument.id) ?? []);
      return { ...p, cal, taken: new Set<string>(), readUntil: p.horizon.start };
    });
    await Promise.all(times.map((time) => this.readFurther(time)));
    return new Map(times.map((time) => [time.instrument.id, time]));
  }

  /** Reads the instrument's claims further: twice what was read so far, at least a week. */
  private async readFurther(time: InstrumentTime): Promise<void> {
    const to = Math.min(time.readEnd, time.readUntil + Math.max(FIRST_READ_MS, time.readUntil - time.horizon.start));
    for (const c of await this.claimsIn(time, time.readUntil, to)) time.taken.add(`${c.start}:${c.unit}`);
    time.readUntil = to;
  }

  /** The live claims at the instants of [from, to) `earliestFit` may ask about: grid slot starts and buffer instants. */
  private claimsIn(time: InstrumentTime, from: number, to: number): Promise<{ start: number; unit: number }[]> {
    const { cal, rules } = time;
    const slotMs = cal.slotMinutes * MINUTE;
    const bufferMs = bufferStarts(0, rules, cal.slotMinutes).length * slotMs;
    const instants = new Set<number>();
    for (const slot of gridSlots(cal.openHours, cal.slotMinutes, cal.zone, from - bufferMs - slotMs, to)) {
      for (const t of [slot.start, ...bufferStarts(slot.end, rules, cal.slotMinutes)]) if (t >= from && t < to) instants.add(t);
    }
    return this.d.claims.at(time.instrument.id, [...instants], cal.capacity);
  }

  /** How far past the last possible start an item (and the buffer after it) may reach. */
  private reach(rules: ResolvedRules, slotMinutes: number): number {
    return MAX_ITEM_SPAN_MS + (rules.bufferMinutes + slotMinutes) * MINUTE;
  }
}

const takenSet = (claims: readonly { start: number; unit: number }[]) => new Set(claims.map((c) => `${c.start}:${c.unit}`));

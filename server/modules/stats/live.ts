// The live view's snapshot (issue 12): instruments in maintenance, in use, booked today or idle;
// bookings made and vouchers issued today; the newest bookings. For the whole platform ("bureau")
// or one provider. No HTTP here; the socket layer pushes it (realtime/live-stream.ts).
//
// Bounded reads, never a scan of the bookings (docs/stats.md "Live utilization"): today's claims
// of each instrument by `_id` name the bookings that use it today; today's booking numbers
// (`YY-<day>-<n>`, probed past the highest known one) name the bookings made today; vouchers are
// read by `v-<bookingId>` for the bookings named so far and those voucher events name. What never
// changes (a number's booking, a booking's providers and price, a voucher issued today) is kept in
// memory for the day; statuses are read afresh for every snapshot.
import { DateTime } from "luxon";
import type { Instrument } from "../../../shared/schemas/catalog";
import { LIVE_TICKER_SIZE, type LiveBooking, type LiveSnapshot } from "../../../shared/schemas/stats-live";
import type { BookingDoc } from "../scheduling/model";
import { STATS_ZONE, todayOf } from "./calendar";
import type { UsageReads } from "./usage-reads";
import { COUNTED_STATUSES, IN_USE_STATUSES, partsOn, slotStarts } from "./usage";

export const BUREAU_SCOPE = "bureau";
/** A number still missing this long after a higher one appeared belongs to a booking that failed. */
export const NUMBER_HOLE_MS = 60_000;

interface MadeToday {
  n: number;
  providerIds: string[];
  priceFen: number;
  useVoucher: boolean;
}

interface IssuedToday {
  providerId: string;
  faceValueFen: number;
}

/** What is known of one platform day; replaced when the day changes. */
class Today {
  /** Booking numbers seen (n → booking id) and the highest. */
  readonly numbers = new Map<number, string>();
  lastN = 0;
  /** Every number up to this one is known or a hole given up on. */
  settled = 0;
  /** Numbers missing below `lastN`, since when. */
  readonly holes = new Map<number, number>();
  /** Bookings made today that were found, by id. */
  readonly made = new Map<string, MadeToday>();
  /** Bookings whose voucher is to be read (first seen with a voucher, or named by a voucher event). */
  readonly voucherDue = new Set<string>();
  /** Bookings already looked at for a voucher (a voucher event names them again when it changes). */
  readonly voucherSeen = new Set<string>();
  /** Vouchers issued today (face value > 0), by booking id. */
  readonly issued = new Map<string, IssuedToday>();
  constructor(readonly day: string) {}
}

export class LiveUtilization {
  now: () => number = () => Date.now();
  private today: Today | null = null;
  /** Reads of numbers and of vouchers each run one after another: a read asked for after an event starts after it. */
  private numbersChain: Promise<unknown> = Promise.resolve();
  private vouchersChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly reads: UsageReads) {}

  /** A voucher event named this booking: its voucher is read again by the next snapshot. */
  noteVoucher(bookingId: string): void {
    this.day().voucherDue.add(bookingId);
  }

  /** The snapshot of a scope: `bureau` (every instrument) or a provider id. */
  async snapshot(scope: string): Promise<LiveSnapshot> {
    const now = this.now();
    const today = this.day();
    const inScope = (providerIds: readonly string[]) => scope === BUREAU_SCOPE || providerIds.includes(scope);
    const instruments = (await this.reads.instruments()).filter((i) => i.status !== "retired" && (scope === BUREAU_SCOPE || i.providerId === scope));

    const [states, made] = await Promise.all([this.instrumentStates(instruments, now), this.readNumbers(today)]);
    const mine = [...made.entries()].filter(([, m]) => inScope(m.providerIds));
    const latestIds = mine.sort((a, b) => b[1].n - a[1].n).slice(0, LIVE_TICKER_SIZE).map(([id]) => id);
    for (const id of states.heldToday) if (!today.voucherSeen.has(id)) today.voucherDue.add(id);
    const [latestDocs, issued] = await Promise.all([this.reads.bookings(latestIds), this.readVouchers(today, states.bookings)]);
    const byId = new Map(latestDocs.map((d) => [d._id, d]));
    const latest = latestIds.flatMap((id) => (byId.has(id) ? [present(byId.get(id)!)] : []));
    const vouchers = [...issued.values()].filter((v) => inScope([v.providerId]));
    return {
      scope,
      at: new Date(now).toISOString(),
      today: today.day,
      instruments: instruments.length,
      inMaintenance: states.counts.maintenance,
      instrumentsInUse: states.counts.inUse,
      bookedToday: states.counts.booked,
      idle: states.counts.idle,
      bookingsToday: mine.length,
      bookingsTodayAmountFen: mine.reduce((s, [, m]) => s + m.priceFen, 0),
      vouchersIssuedToday: vouchers.length,
      vouchersIssuedTodayFen: vouchers.reduce((s, v) => s + v.faceValueFen, 0),
      latest,
    };
  }

  private day(): Today {
    const day = todayOf(this.now());
    if (this.today?.day !== day) this.today = new Today(day);
    return this.today;
  }

  /**
   * Each instrument's state now: in maintenance (its status, or a maintenance window now), in use (a
   * confirmed or checked-in booking's part runs now), booked today (a booking that counts uses it
   * on its own local day), else idle. Today's bookings come from the claims of today's slots.
   */
  private async instrumentStates(instruments: Instrument[], now: number) {
    const counts = { maintenance: 0, inUse: 0, booked: 0, idle: 0 };
    const windows = await this.reads.blackouts(instruments.map((i) => i.id), new Date(now), new Date(now + 1));
    const working = instruments.filter((inst) => inst.status !== "maintenance" && (windows.get(inst.id) ?? []).length === 0);
    counts.maintenance = instruments.length - working.length;
    const days = new Map(
      working.map((inst) => {
        const local = DateTime.fromMillis(now, { zone: inst.timezone }).startOf("day");
        return [inst.id, { start: local.toMillis(), end: local.plus({ days: 1 }).toMillis() }];
      }),
    );
    // Today's slots of every instrument in one batched read by `_id`, then their bookings in one more.
    const holders = await this.reads.slotHolders(
      working.map((inst) => {
        const day = days.get(inst.id)!;
        return { instrumentId: inst.id, starts: slotStarts(inst, day.start - inst.slotMinutes * 60_000, day.end), capacity: inst.capacity };
      }),
    );
    const heldToday = new Set([...holders.values()].flatMap((set) => [...set]));
    const bookings = new Map((await this.reads.bookings([...heldToday])).map((b) => [b._id, b]));
    for (const inst of working) {
      const day = days.get(inst.id)!;
      let inUse = false;
      let booked = false;
      for (const id of holders.get(inst.id) ?? []) {
        const b = bookings.get(id);
        if (!b || !COUNTED_STATUSES.includes(b.status)) continue;
        for (const p of partsOn(b, inst.id)) {
          if (p.start < day.end && p.end > day.start) booked = true;
          if (IN_USE_STATUSES.includes(b.status) && p.start <= now && now < p.end) inUse = true;
        }
      }
      if (inUse) counts.inUse++;
      else if (booked) counts.booked++;
      else counts.idle++;
    }
    return { counts, bookings, heldToday };
  }

  /**
   * Today's numbers not yet known, and the bookings behind numbers not yet found. Parallel bookings
   * insert their numbers out of order, so probes start after the highest number below which all
   * are known (`settled`); a hole that stays empty for NUMBER_HOLE_MS (a booking that failed after
   * taking its number) no longer holds `settled` back.
   */
  private readNumbers(today: Today): Promise<Map<string, MadeToday>> {
    const run = async () => {
      const key = DateTime.fromISO(today.day, { zone: STATS_ZONE }).toFormat("yyyyLLdd");
      for (const { n, bookingId } of await this.reads.numbersOfDay(key, today.settled)) {
        today.numbers.set(n, bookingId);
        today.lastN = Math.max(today.lastN, n);
      }
      const now = this.now();
      for (let n = today.settled + 1; n < today.lastN; n++) if (!today.numbers.has(n) && !today.holes.has(n)) today.holes.set(n, now);
      while (today.settled < today.lastN) {
        const n = today.settled + 1;
        const hole = today.holes.get(n);
        if (!today.numbers.has(n) && (hole === undefined || now - hole < NUMBER_HOLE_MS)) break;
        today.settled = n;
        today.holes.delete(n);
      }
      // A number is taken before its booking's first event: one not found yet is looked for again.
      const missing = [...today.numbers].filter(([, id]) => !today.made.has(id));
      if (missing.length > 0) {
        const n = new Map(missing.map(([num, id]) => [id, num]));
        for (const b of await this.reads.bookings([...n.keys()])) {
          today.made.set(b._id, { n: n.get(b._id)!, providerIds: b.providerIds, priceFen: b.priceFen, useVoucher: b.useVoucher });
          if (b.useVoucher && !today.voucherSeen.has(b._id)) today.voucherDue.add(b._id);
        }
      }
      return today.made;
    };
    const next = this.numbersChain.then(run, run);
    this.numbersChain = next.catch(() => {});
    return next;
  }

  /** Reads the vouchers due and returns those issued today, by booking. */
  private readVouchers(today: Today, held: Map<string, BookingDoc>): Promise<Map<string, IssuedToday>> {
    const run = async () => {
      const due = [...today.voucherDue].filter((id) => !today.issued.has(id) && (held.get(id)?.useVoucher ?? true));
      today.voucherDue.clear();
      due.forEach((id) => today.voucherSeen.add(id));
      if (due.length === 0) return today.issued;
      for (const v of await this.reads.vouchersOfBookings(due)) {
        if (v.faceValueFen > 0 && v.status !== "declined" && todayOf(new Date(v.issuedAt).getTime()) === today.day) {
          today.issued.set(v.bookingId, { providerId: v.providerId, faceValueFen: v.faceValueFen });
        }
      }
      return today.issued;
    };
    const next = this.vouchersChain.then(run, run);
    this.vouchersChain = next.catch(() => {});
    return next;
  }
}

function present(b: BookingDoc): LiveBooking {
  return {
    id: b._id,
    number: b.number ?? b._id,
    title: b.title,
    enterpriseName: b.enterpriseName,
    status: b.status,
    priceFen: b.priceFen,
    createdAt: new Date(b.createdAt).toISOString(),
  };
}

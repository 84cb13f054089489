// Scheduling: availability, booking and the booking lifecycle. No HTTP in here.
//
// Exclusive decisions are inserts (DESIGN.md "The database"): slot claims (claims.ts) decide who holds
// instrument time, the n-th event `<bookingId>:<n>` decides each transition (one winner per race),
// `<orgId>:<Idempotency-Key>` decides that a retried request books once. This class is the module's
// face (app.ts, routes, the sweeper timer use it); each concern lives in its own file:
// booking.ts (create/hold), idempotency.ts, lifecycle.ts (transitions), contract.ts (contract amount), reads.ts (load/get/list and
// healing), sweeper.ts, slots.ts (availability), package-plan.ts (where a package's items run).
import type { Availability, Booking, BookingParties, BookingCreateBody, BookingListQuery, CompleteBody, ContractAmountBody, DisputeBody, PackageSchedule, ReasonBody, Slot } from "../../../shared/schemas/scheduling";
import type { PageOf } from "../../../shared/schemas/common";
import { newId } from "../../db/ids";
import { ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { book, booker, holdInstrumentTime } from "./booking";
import { decideContract, type ContractAction } from "./contract";
import { SchedulingCore } from "./core";
import { bookOnce } from "./idempotency";
import { transition } from "./lifecycle";
import type { BookingDoc } from "./model";
import { PackagePlanner } from "./package-plan";
import { bookingParties } from "./parties";
import type { TransitionName } from "./projection";
import * as reads from "./reads";
import { singleFlight, sweep, type SweepResult, type SweepScope } from "./sweeper";
import * as slots from "./slots";
import * as holders from "./slot-holders";
import { CoalescedReads } from "../../db/coalesced-reads";
import { withSubsidy, type SubsidyPort } from "./subsidy-port";

export { SWEEP_GRACE_MS } from "./sweeper";

export class SchedulingService extends SchedulingCore {
  /** The expected voucher split shown on a booking (injected by app.ts; none: no subsidy shown). */
  subsidy: SubsidyPort | null = null;

  private readonly packagePlanner = new PackagePlanner({
    packages: this.d.packages,
    instruments: this.d.instruments,
    claims: this.claims,
    now: () => this.now(),
  });

  /**
   * Identical questions that arrive while one is being answered share the next answer (a popular
   * instrument's week, asked by many browsers at once, is computed once per database read; see
   * db/coalesced-reads.ts for why that answer is never older than the question).
   */
  private readonly availabilityReads = new CoalescedReads<{ instrumentId: string; from: string; to: string }, Availability>((_, [q]) =>
    slots.availability(this, q!.instrumentId, q!.from, q!.to),
  );

  availability(instrumentId: string, from: string, to: string): Promise<Availability> {
    return this.availabilityReads.read(JSON.stringify([instrumentId, from, to]), { instrumentId, from, to });
  }

  slotsNow(instrumentId: string, start: Date, end: Date): Promise<Slot[]> {
    return slots.slotsNow(this, instrumentId, start, end);
  }

  /** Books instrument time or a package, once per Idempotency-Key when one is given (idempotency.ts). */
  async create(actor: Actor, body: BookingCreateBody, idempotencyKey?: string): Promise<Booking> {
    // The instrument is read while the enterprise is checked: two independent reads, which the
    // request (and the live views waiting for its announcement) would otherwise wait for in turn.
    const instrument = body.instrumentId ? this.d.instruments.get(body.instrumentId) : undefined;
    instrument?.catch(() => {}); // awaited in holdInstrumentTime; an error about the enterprise comes first
    const enterprise = await booker(this, actor);
    if (!!body.instrumentId === !!body.packageId) {
      throw new ValidationError([{ field: "/body", rule: "oneOf", message: "give either instrumentId (with end) or packageId", params: { options: "instrumentId, packageId" } }]);
    }
    const run = (bookingId: string) =>
      book(this, actor, enterprise, body, bookingId, (held) =>
        body.instrumentId ? holdInstrumentTime(this, body, bookingId, held, instrument) : this.packagePlanner.hold(body.packageId!, Date.parse(body.start), bookingId, held),
      );
    const booking = idempotencyKey === undefined ? await run(newId()) : await bookOnce(this, enterprise.id, idempotencyKey, body, run);
    return withSubsidy(this.subsidy, booking);
  }

  load(id: string): Promise<BookingDoc | null> {
    return reads.load(this, id);
  }

  /**
   * Bookings that asked for a voucher, as their projections say (the vouchers repair pass reads
   * these and loads each one it acts on). A scan: fine at city scale, see docs/vouchers.md.
   */
  async voucherBookings(): Promise<{ _id: string; status: BookingDoc["status"]; updatedAt: Date }[]> {
    return this.m.bookings.find({ useVoucher: true }, { _id: 1, status: 1, updatedAt: 1 }).lean();
  }

  /**
   * Pending requests whose hold lapses after `from` and by `to`, as their projections say (the
   * notification reminders load each one). A scan like the sweeper's, over the pending ones.
   */
  pendingLapsingBetween(from: Date, to: Date): Promise<{ _id: string }[]> {
    return reads.pendingLapsingBetween(this, from, to);
  }

  rebuildBooking(id: string): Promise<BookingDoc | null> {
    return reads.rebuildBooking(this, id);
  }

  async get(actor: Actor, id: string): Promise<Booking> {
    return withSubsidy(this.subsidy, await reads.get(this, actor, id));
  }

  /** The enterprise, the providers with their contacts and the instruments of a booking (its parties). */
  parties(actor: Actor, id: string): Promise<BookingParties> {
    return bookingParties(this, actor, id);
  }

  list(actor: Actor, query: BookingListQuery): Promise<PageOf<Booking>> {
    return reads.list(this, actor, query);
  }

  transition(actor: Actor, id: string, name: Exclude<TransitionName, "expire">, body: ReasonBody | CompleteBody): Promise<Booking> {
    return transition(this, actor, id, name, body).then((b) => withSubsidy(this.subsidy, b));
  }

  /** Record (the acting provider), acknowledge or dispute (the booker) a completed booking's contract amount. */
  contract(actor: Actor, id: string, action: ContractAction, body: ContractAmountBody | DisputeBody | Record<string, never>): Promise<Booking> {
    return decideContract(this, actor, id, action, body);
  }

  /**
   * Single-flight: a call while a sweep runs returns that sweep's promise (and ignores its
   * arguments). The process's first sweep also reads every active booking (sweeper.ts), later ones
   * only what the live claims name.
   */
  sweep(at: Date = new Date(this.now()), scope?: SweepScope): Promise<SweepResult> {
    return this.sweepOnce(at, scope ?? (this.sweptAll ? "live" : "all"));
  }
  private sweptAll = false;
  private readonly sweepOnce = singleFlight(async (at: Date, scope: SweepScope) => {
    const result = await sweep(this, at, scope);
    if (scope === "all") this.sweptAll = true;
    return result;
  });

  /** Per instrument, the bookings that held (or hold) its slots at `starts` (statistics; slot-holders.ts). */
  slotHolders(wanted: readonly holders.SlotsOf[]): Promise<Map<string, Set<string>>> {
    return holders.slotHolders(this, wanted);
  }

  bookingsByIds(ids: readonly string[]): Promise<BookingDoc[]> {
    return holders.bookingsByIds(this, ids);
  }

  /** The booking numbers of a platform day (`yyyyLLdd`) above `after`, in order. */
  numbersOfDay(day: string, after: number): Promise<{ n: number; bookingId: string }[]> {
    return holders.numbersOfDay(this, day, after);
  }

  /** The proposed schedule of a package from `start`: the booking algorithm, nothing held. */
  schedule(packageId: string, start: string): Promise<PackageSchedule> {
    return this.packagePlanner.schedule(packageId, start);
  }
}

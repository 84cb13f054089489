// Vouchers (创新券): policy, quotes, issuing and voiding with the booking lifecycle, quotas, ledger.
// The module's face (app.ts, routes, the sweeper timer use it). It stands above scheduling: it learns
// of confirmations and cancellations from `booking.updated` on the bus, reads bookings through
// scheduling's service, and answers scheduling's SubsidyPort (the expected split on a booking).
import { DateTime } from "luxon";
import type { Connection } from "mongoose";
import { nameKey } from "../../../shared/normalize";
import type { Booking } from "../../../shared/schemas/scheduling";
import type { BookingSubsidy, PolicyCreateBody, QuoteQuery, VoucherListQuery } from "../../../shared/schemas/vouchers";
import { CITY_ZONE } from "../../../shared/voucher-split";
import { findByIds } from "../../db/by-ids";
import type { EventModel } from "../../db/event-store";
import type { DomainEventBus, DomainEvents } from "../../events";
import { ConflictError, NotFoundError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { setActualController } from "../accounts/controller";
import type { OrgStream } from "../accounts/org-stream";
import { SubsidyAssessor } from "./assess";
import { ISSUING, VOIDING, VoucherIssuer } from "./issuing";
import { QuotaLedger, quotaAccountId } from "./ledger";
import { voucherModels, type VoucherDoc, type VoucherModels } from "./model";
import { PolicyService } from "./policy";
import { VoucherReads, type CatalogReader } from "./reads";
import { repairVouchers, type VoucherBookingSource } from "./repair";
import { VoucherStream, voucherIdOf } from "./stream";
import { verifyLedger } from "./verify";

export interface VoucherDeps extends CatalogReader {
  orgStream: OrgStream;
  /** Whether a provider was admitted for vouchers at an instant (admissions module; policy `admittedProvidersOnly`). */
  isAdmitted: (providerId: string, at: Date) => Promise<boolean>;
  bookings: VoucherBookingSource;
}

export class VoucherService {
  now: () => number = () => Date.now();
  /** A step run off the request path failed (it is repaired later); app.ts routes it to the logger. */
  reportDeferred: (step: string, bookingId: string, err: unknown) => void = () => {};
  readonly m: VoucherModels;
  readonly ledger: QuotaLedger;
  readonly policies: PolicyService;
  readonly stream: VoucherStream;
  readonly issuer: VoucherIssuer;
  readonly assessor: SubsidyAssessor;
  readonly reads: VoucherReads;
  private readonly inFlight = new Set<Promise<unknown>>();
  private detachBus: () => void = () => {};

  constructor(
    conn: Connection,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
    private readonly d: VoucherDeps,
  ) {
    this.m = voucherModels(conn);
    this.ledger = new QuotaLedger(this.m);
    this.policies = new PolicyService(this.m, () => this.now());
    this.stream = new VoucherStream(this.m, events);
    this.assessor = new SubsidyAssessor(this.policies, d.orgStream, d.isAdmitted);
    this.issuer = new VoucherIssuer(this.stream, this.ledger, this.assessor, events, bus, d.bookings);
    this.reads = new VoucherReads(this.m, this.stream, this.ledger, this.assessor, this.policies, d, () => this.now());
    this.attach();
  }

  /** Follows the booking lifecycle: a confirmation issues, a cancellation (rejection, expiry, no-show) voids.
   * A booking of instruments that need no confirmation is created confirmed, so creation counts too. */
  attach(): void {
    this.detachBus();
    const follow = (p: DomainEvents["booking.created"]) => {
      if (!ISSUING.includes(p.status) && !VOIDING.includes(p.status)) return;
      const run = this.issuer.follow(p.bookingId).catch((err: unknown) => this.reportDeferred("voucher", p.bookingId, err));
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    };
    const detachers = [this.bus.on("booking.created", follow), this.bus.on("booking.updated", follow)];
    this.detachBus = () => detachers.forEach((off) => off());
  }

  /** Stops following the bus (tests: a process that died between the confirmation and the issue). */
  detach(): void {
    this.detachBus();
    this.detachBus = () => {};
  }

  /** Resolves once every issue or void started by a bus event has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  subsidyFor(b: Booking): Promise<BookingSubsidy | undefined> {
    return this.reads.subsidyFor(b);
  }

  quote(actor: Actor, q: QuoteQuery) {
    return this.reads.quote(actor, q);
  }

  quota(actor: Actor, enterpriseId: string, year?: number) {
    return this.reads.quota(actor, enterpriseId, year);
  }

  list(actor: Actor, q: VoucherListQuery) {
    return this.reads.list(actor, q);
  }

  listPolicies() {
    return this.policies.list();
  }

  createPolicy(actor: Actor, body: PolicyCreateBody) {
    return this.policies.create(actor, body);
  }

  verify() {
    return verifyLedger(this.m, this.stream);
  }

  repair() {
    return repairVouchers(this.m, this.issuer, this.d.bookings, this.now());
  }

  /**
   * The bureau records an enterprise's verified actual controller. Refused while the enterprise holds
   * vouchers of this year or later on another quota account: moving them would let a group spend two
   * caps (docs/vouchers.md).
   */
  /** The vouchers of these bookings, where issued (statistics' live view reads them by `_id`). */
  vouchersOfBookings(bookingIds: readonly string[]): Promise<Pick<VoucherDoc, "_id" | "bookingId" | "providerId" | "faceValueFen" | "status" | "issuedAt">[]> {
    const ids = bookingIds.map(voucherIdOf);
    return findByIds(this.m.vouchers, ids, { _id: 1, bookingId: 1, providerId: 1, faceValueFen: 1, status: 1, issuedAt: 1 });
  }

  async setActualController(actor: Actor, enterpriseId: string, value: string | null) {
    const enterprise = await this.d.orgStream.load("enterprise", enterpriseId);
    if (!enterprise) throw new NotFoundError();
    const year = DateTime.fromMillis(this.now(), { zone: CITY_ZONE }).year;
    const held = await this.m.vouchers.find({ enterpriseId, status: "issued", year: { $gte: year } }).lean<VoucherDoc[]>();
    const next = (y: number) => quotaAccountId({ _id: enterpriseId, ...(value ? { actualController: value } : {}) }, y, nameKey);
    if (held.some((v) => v.accountId !== next(v.year))) throw new ConflictError("CONTROLLER_HAS_VOUCHERS");
    return setActualController(this.d.orgStream, this.events, actor, enterpriseId, value);
  }
}

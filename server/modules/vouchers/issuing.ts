// Issuing (发放) and voiding vouchers, driven by the booking lifecycle on the domain event bus.
//
// Issue, when a booking with useVoucher is confirmed: (1) the ledger entry `issue:<voucherId>` on the
// enterprise's quota account decides the amount — the split within the quota left (a partial voucher
// when the quota cannot cover all of it, "declined" with 0 when nothing is left); (2) voucher event 1
// records what the entry holds. A crash between (1) and (2) is healed by the repair pass: issuing
// again finds the entry by its key and records it. Void, when the booking is cancelled, rejected,
// expired or a no-show: (1) voucher event "voided" decides (it races with later claim events);
// (2) the ledger entry `void:<voucherId>` gives the quota back, idempotently, healed the same way.
import { DateTime } from "luxon";
import type { BookingStatus } from "../../../shared/enums";
import { CITY_ZONE } from "../../../shared/voucher-split";
import { appendEvent, eventId } from "../../db/event-store";
import type { EventModel } from "../../db/event-store";
import type { DomainEventBus } from "../../events";
import { dayLogOf } from "../stats/day-log";
import type { BookingDoc } from "../scheduling/model";
import { splitWithinQuota, type SubsidyAssessor } from "./assess";
import type { QuotaLedger } from "./ledger";
import type { LedgerEntryDoc, VoucherDoc } from "./model";
import { applyVoucherEvent, voucherIdOf, type IssuedData, type VoucherStream } from "./stream";

/** Booking states in which the voucher is (to be) issued, and those that void it. */
export const ISSUING: readonly BookingStatus[] = ["confirmed", "in_progress", "completed"];
export const VOIDING: readonly BookingStatus[] = ["cancelled", "rejected", "expired", "no_show"];

/** What vouchers reads of bookings: scheduling's own load (healed from its stream). */
export interface BookingReader {
  load(id: string): Promise<BookingDoc | null>;
}

const MAX_VOID_ATTEMPTS = 5;

export class VoucherIssuer {
  constructor(
    private readonly stream: VoucherStream,
    private readonly ledger: QuotaLedger,
    private readonly assessor: SubsidyAssessor,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
    private readonly bookings: BookingReader,
  ) {}

  /** Makes the voucher follow its booking: issued while the booking is on, void once it is off. */
  async follow(bookingId: string): Promise<VoucherDoc | null> {
    const booking = await this.bookings.load(bookingId);
    if (!booking?.useVoucher) return null;
    if (ISSUING.includes(booking.status)) {
      const issued = await this.issue(booking);
      // A cancellation that came while issuing saw no voucher to void: this side voids it then.
      const now = await this.bookings.load(bookingId);
      if (now && VOIDING.includes(now.status)) return this.voidFor(now, now.status);
      return issued;
    }
    if (VOIDING.includes(booking.status)) return this.voidFor(booking, booking.status);
    return this.stream.load(voucherIdOf(bookingId));
  }

  /** Step 1 of issuing: the ledger entry deciding the amount (alone, it is what a crash leaves). */
  async reserve(booking: BookingDoc): Promise<LedgerEntryDoc | null> {
    const a = await this.assessor.assess({
      enterpriseId: booking.enterpriseId,
      providerId: booking.actingProviderId,
      listPriceFen: booking.priceFen,
      serviceAt: new Date(booking.firstStart).getTime(),
    });
    if (!a) return null;
    const voucherId = voucherIdOf(booking._id);
    return this.ledger.append(a.accountId, a.year, `issue:${voucherId}`, "issue", (head) => {
      const s = splitWithinQuota(a, head);
      return {
        heldDeltaFen: s.provinceFen + s.cityFen, redeemedDeltaFen: 0, capFen: a.policy.annualCapFen,
        voucherId, enterpriseId: booking.enterpriseId, policyId: a.policy._id, provinceFen: s.provinceFen, cityFen: s.cityFen, reasons: s.reasons,
      };
    });
  }

  /** Issues the booking's voucher once (step 1, then step 2 from what the entry holds). */
  async issue(booking: BookingDoc): Promise<VoucherDoc | null> {
    const voucherId = voucherIdOf(booking._id);
    const existing = await this.stream.load(voucherId);
    if (existing) return existing;
    const entry = await this.reserve(booking);
    if (!entry) return null;
    return this.record(booking, entry);
  }

  /** Step 2: voucher event 1, from the ledger entry (so racing issuers write the same thing). */
  async record(booking: BookingDoc, entry: LedgerEntryDoc): Promise<VoucherDoc | null> {
    const voucherId = voucherIdOf(booking._id);
    const enterprise = await this.assessor.enterprise(booking.enterpriseId);
    const data: IssuedData = {
      enterpriseId: booking.enterpriseId,
      bookingId: booking._id,
      providerId: booking.actingProviderId,
      county: enterprise!.county,
      accountId: entry.accountId,
      faceValueFen: entry.heldDeltaFen,
      provinceFen: entry.provinceFen ?? 0,
      cityFen: entry.cityFen ?? 0,
      listPriceFen: booking.priceFen,
      reasons: entry.reasons ?? [],
      status: entry.heldDeltaFen > 0 ? "issued" : "declined",
      year: entry.year,
      period: DateTime.fromJSDate(entry.at, { zone: CITY_ZONE }).toFormat("yyyy-MM"),
      policyId: entry.policyId ?? "",
      entryId: entry._id,
    };
    const type = data.status === "issued" ? "issued" : "declined";
    // One instant for the event, the projection and the statistics' day log (written first: docs/stats.md).
    const at = new Date();
    if (type === "issued") await dayLogOf(this.events.db).append("voucher", voucherId, at);
    if (await appendEvent(this.events, { aggregateId: voucherId, seq: 1, type, data: { ...data }, actorId: null, at })) {
      const doc = applyVoucherEvent(null, { _id: eventId(voucherId, 1), aggregateId: voucherId, seq: 1, type, data: { ...data }, actorId: null, at })!;
      await this.stream.save(doc);
      this.announce(doc);
    }
    return this.stream.load(voucherId);
  }

  /** Voids the booking's voucher (if issued) and gives its quota back; idempotent. */
  async voidFor(booking: Pick<BookingDoc, "_id">, reason: string): Promise<VoucherDoc | null> {
    const voucherId = voucherIdOf(booking._id);
    for (let attempt = 0; attempt < MAX_VOID_ATTEMPTS; attempt++) {
      const v = await this.stream.load(voucherId);
      if (!v || v.status === "declined") return v;
      if (v.status === "void") {
        if (!v.quotaReturned) await this.giveBack(v);
        return v;
      }
      if (v.status !== "issued") return v; // claimed or redeemed (later waves): not voided here
      const seq = v.version + 1;
      const at = new Date();
      await dayLogOf(this.events.db).append("voucher", voucherId, at);
      if (await appendEvent(this.events, { aggregateId: voucherId, seq, type: "voided", data: { reason }, actorId: null, at })) {
        const next = applyVoucherEvent(v, { _id: eventId(voucherId, seq), aggregateId: voucherId, seq, type: "voided", data: { reason }, actorId: null, at })!;
        await this.stream.save(next);
        await this.giveBack(next);
        this.announce(next);
        return next;
      }
    }
    return this.stream.load(voucherId);
  }

  /** The void entry of a voided voucher: its face value back to the account it was held on. */
  async giveBack(v: VoucherDoc): Promise<LedgerEntryDoc> {
    const entry = await this.ledger.append(v.accountId, v.year, `void:${v._id}`, "void", () => ({
      heldDeltaFen: -v.faceValueFen, redeemedDeltaFen: 0, capFen: 0, voucherId: v._id, enterpriseId: v.enterpriseId,
    }));
    await this.stream.markReturned(v._id);
    return entry;
  }

  private announce(doc: VoucherDoc): void {
    this.bus.emit("voucher.changed", { voucherId: doc._id, enterpriseId: doc.enterpriseId, bookingId: doc.bookingId, status: doc.status });
  }
}

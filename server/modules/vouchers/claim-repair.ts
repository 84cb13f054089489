// Expiry and the claims' repair pass (run with the voucher repair by the sweeper timer). Every step
// is idempotent — voucher and claim event numbers, ledger keys — so it is safe while requests run.
// - an issued voucher of a completed service never claimed within the window expires: voucher event
//   "expired" (the decision; it races with "claimed" for the same n), then ledger entry
//   `expire:<voucherId>` gives the face value back;
// - a claim returned for correction and not resubmitted by its deadline expires the same way, one day
//   after it (resubmission is allowed up to the deadline, so the two never meet);
// - a voucher "claimed" whose claim event 1 is missing (a crash between them) gets it from the
//   voucher's event; a rejected claim whose voucher is still held is released; a settlement a crash
//   left unfinished is completed.
import { appendEvent, eventId, type EventModel } from "../../db/event-store";
import type { QuotaLedger } from "./ledger";
import type { VoucherIssuer } from "./issuing";
import type { ClaimDoc, ClaimModels } from "./claim-model";
import { claimIdOf } from "./claim-model";
import type { ClaimStream } from "./claim-stream";
import { completedAtOf, type ClaimFilings } from "./claims";
import type { BookingReader } from "./issuing";
import type { LedgerEntryDoc, VoucherDoc, VoucherModels } from "./model";
import type { Settlements } from "./settlement";
import { applyVoucherEvent, type VoucherStream } from "./stream";

/** The shortest claim window a policy allows (1 month): vouchers issued more recently cannot be due. */
const MIN_WINDOW_MS = 28 * 24 * 3_600_000;
/** A returned claim expires this long after its deadline (its last possible resubmission is before it). */
const RETURNED_GRACE_MS = 24 * 3_600_000;

export interface ClaimRepairDeps {
  vm: VoucherModels;
  m: ClaimModels;
  vouchers: VoucherStream;
  claims: ClaimStream;
  filings: ClaimFilings;
  settlements: Settlements;
  issuer: VoucherIssuer;
  bookings: BookingReader;
  events: EventModel;
  ledger: QuotaLedger;
  now: () => number;
  announce: (v: VoucherDoc) => void;
}

export interface ClaimRepairResult {
  expired: number;
  returned: number;
  claimsOpened: number;
  released: number;
  settlementsCompleted: number;
}

export class ClaimRepair {
  constructor(private readonly d: ClaimRepairDeps) {}

  async run(): Promise<ClaimRepairResult> {
    const r: ClaimRepairResult = { expired: 0, returned: 0, claimsOpened: 0, released: 0, settlementsCompleted: 0 };
    const now = this.d.now();
    for (const v of await this.d.vm.vouchers.find({ status: "issued", issuedAt: { $lte: new Date(now - MIN_WINDOW_MS) } }).lean<VoucherDoc[]>()) {
      const booking = await this.d.bookings.load(v.bookingId);
      if (booking?.status !== "completed") continue;
      if (now > (await this.d.filings.deadlineOf(v, completedAtOf(booking))) && (await this.expire(v._id, "issued"))) r.expired++;
    }
    const claims = await this.d.claims.healMany(await this.d.m.claims.find({ status: { $in: ["returned", "rejected"] } }).lean<ClaimDoc[]>());
    for (const c of claims) {
      if (c.status === "returned" && now > new Date(c.deadline).getTime() + RETURNED_GRACE_MS && (await this.expire(c.voucherId, "claimed"))) r.expired++;
    }
    // Vouchers whose quota is still held though their claim was rejected or they expired.
    for (const v of await this.d.vm.vouchers.find({ status: "claimed" }).lean<VoucherDoc[]>()) {
      const claimId = claimIdOf(v._id);
      const claim = await this.d.claims.load(claimId);
      if (!claim) {
        const claimed = await this.d.events.findOne({ aggregateId: v._id, type: "claimed" }).lean();
        if (claimed) {
          await this.d.filings.openClaim(claimId, claimed.data, claimed.actorId, claimed.at);
          r.claimsOpened++;
        }
      } else if (claim.status === "rejected") {
        await this.d.filings.releaseVoucher(claim);
        r.released++;
      }
    }
    for (const v of await this.d.vm.vouchers.find({ status: "expired", quotaReturned: { $ne: true } }).lean<VoucherDoc[]>()) {
      await this.giveBack(v);
      r.returned++;
    }
    r.settlementsCompleted = await this.d.settlements.completePending();
    return r;
  }

  /** Voucher event "expired" if the voucher is still `from`, then its quota back; false when it moved on. */
  async expire(voucherId: string, from: "issued" | "claimed"): Promise<boolean> {
    const v = await this.d.vouchers.load(voucherId);
    if (!v || v.status !== from) return false;
    const seq = v.version + 1;
    const e = { aggregateId: v._id, seq, type: "expired", data: { from }, actorId: null, at: new Date(this.d.now()) };
    if (!(await appendEvent(this.d.events, e))) return false;
    const expired = applyVoucherEvent(v, { ...e, _id: eventId(v._id, seq) })!;
    await this.d.vouchers.save(expired);
    await this.giveBack(expired);
    this.d.announce(expired);
    return true;
  }

  private async giveBack(v: VoucherDoc): Promise<LedgerEntryDoc> {
    const entry = await this.d.ledger.append(v.accountId, v.year, `expire:${v._id}`, "expire", () => ({
      heldDeltaFen: -v.faceValueFen, redeemedDeltaFen: 0, capFen: 0, voucherId: v._id, enterpriseId: v.enterpriseId,
    }));
    await this.d.vouchers.markReturned(v._id);
    return entry;
  }
}


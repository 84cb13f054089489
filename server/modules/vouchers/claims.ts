// Filing and reviewing voucher claims (兑付申请). One claim per voucher: filing is voucher event
// "claimed" (it races with "voided" and "expired" for the same n, so a voucher is claimed, voided or
// expired, never two of them) carrying the whole submission, then claim event 1 copies it — a crash
// between the two is healed by the repair pass from the voucher's event. Review and resubmission are
// claim events n, one winner per transition. Claim window, evidence and amounts: docs/settlement.md.
import { DateTime } from "luxon";
import { CLAIM_EVIDENCE_KINDS, type ClaimCreateBody, type ClaimResubmitBody, type ClaimReviewBody } from "../../../shared/schemas/claims";
import { CITY_ZONE, splitSubsidy } from "../../../shared/voucher-split";
import { appendEvent, eventId, type EventModel } from "../../db/event-store";
import { ConflictError, ForbiddenError, NotFoundError, RuleError } from "../../errors";
import { isMemberOf, type Actor } from "../accounts/actor";
import { dayLogOf } from "../stats/day-log";
import type { BookingDoc } from "../scheduling/model";
import type { SubsidyAssessor } from "./assess";
import { claimIdOf, type ClaimDoc, type ClaimFiling } from "./claim-model";
import { applyClaimEvent, type ClaimStream, type ClaimSubmitted } from "./claim-stream";
import type { BookingReader, VoucherIssuer } from "./issuing";
import type { VoucherDoc } from "./model";
import type { PolicyService } from "./policy";
import { applyVoucherEvent, type VoucherStream } from "./stream";

/** What claims read of uploads: whose evidence a file is (the uploads service's describe). */
export interface EvidenceReader {
  describe(id: string): Promise<{ orgId: string; name: string; type: string; size: number } | null>;
}

export interface ClaimFilingDeps {
  vouchers: VoucherStream;
  claims: ClaimStream;
  issuer: VoucherIssuer;
  assessor: SubsidyAssessor;
  policies: PolicyService;
  bookings: BookingReader;
  uploads: EvidenceReader;
  events: EventModel;
  now: () => number;
  /** Tells the bus a voucher changed (voucher.changed). */
  announce: (v: VoucherDoc) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The month (YYYY-MM, the city's calendar) of an instant: a claim approved in it is paid in its settlement. */
export const cityMonth = (ms: number) => DateTime.fromMillis(ms, { zone: CITY_ZONE }).toFormat("yyyy-MM");

/** When the service was completed: its last item's completion (the contract's record as a fallback). */
export function completedAtOf(b: BookingDoc): number {
  const times = b.items.map((i) => (i.completedAt ? new Date(i.completedAt).getTime() : 0));
  const last = Math.max(0, ...times);
  return last > 0 ? last : b.contract?.recordedAt ? new Date(b.contract.recordedAt).getTime() : new Date(b.updatedAt).getTime();
}

export class ClaimFilings {
  constructor(private readonly d: ClaimFilingDeps) {}

  /** The claim window's end: completion + claimWindowMonths of the voucher's policy (calendar months, city time). */
  async deadlineOf(v: VoucherDoc, completedAt: number): Promise<number> {
    const policy = (await this.d.policies.versions()).find((p) => p._id === v.policyId) ?? (await this.d.policies.inForce(DateTime.fromMillis(completedAt, { zone: CITY_ZONE }).toISODate()!));
    return DateTime.fromMillis(completedAt, { zone: CITY_ZONE }).plus({ months: policy.claimWindowMonths }).toMillis();
  }

  async file(actor: Actor, body: ClaimCreateBody): Promise<ClaimDoc> {
    if (actor.membership?.orgType !== "enterprise") throw new ForbiddenError();
    const v = await this.d.vouchers.load(body.voucherId);
    if (!v || !isMemberOf(actor, v.enterpriseId)) throw new NotFoundError();
    const claimId = claimIdOf(v._id);
    if (v.status === "claimed" || v.status === "redeemed" || (await this.d.claims.load(claimId))) throw new ConflictError("CLAIM_EXISTS");
    if (v.status !== "issued") throw new RuleError("VOUCHER_NOT_CLAIMABLE", { status: v.status });
    const { booking, completedAt, deadline } = await this.window(v);
    const filing = await this.filing(actor, v, booking, body);
    const submitted: ClaimSubmitted = {
      voucherId: v._id, bookingId: v.bookingId, enterpriseId: v.enterpriseId, providerId: v.providerId, county: v.county,
      accountId: v.accountId, year: v.year, faceValueFen: v.faceValueFen, policyId: v.policyId,
      completedAt: new Date(completedAt), deadline: new Date(deadline), ...filing,
    };
    const data = { ...submitted, claimId, completedAt: iso(completedAt), deadline: iso(deadline) };
    // The decision: voucher event "claimed" (one winner against another filing, a void or an expiry).
    const at = new Date(this.d.now());
    if (!(await appendEvent(this.d.events, { aggregateId: v._id, seq: v.version + 1, type: "claimed", data, actorId: actor.userId, at }))) {
      const now = await this.d.vouchers.load(v._id);
      if (now?.status === "claimed") throw new ConflictError("CLAIM_EXISTS");
      throw new RuleError("VOUCHER_NOT_CLAIMABLE", { status: now?.status ?? "void" });
    }
    const claimed = applyVoucherEvent(v, { _id: eventId(v._id, v.version + 1), aggregateId: v._id, seq: v.version + 1, type: "claimed", data, actorId: actor.userId, at })!;
    await this.d.vouchers.save(claimed);
    this.d.announce(claimed);
    return this.openClaim(claimId, data, actor.userId, at);
  }

  /** Claim event 1 from the voucher's "claimed" data (also the repair pass's step after a crash). */
  async openClaim(claimId: string, data: Record<string, unknown>, actorId: string | null, at: Date): Promise<ClaimDoc> {
    const { claimId: _c, ...fields } = data;
    if (await appendEvent(this.d.events, { aggregateId: claimId, seq: 1, type: "submitted", data: fields, actorId, at })) {
      await this.d.claims.save(applyClaimEvent(null, { _id: eventId(claimId, 1), aggregateId: claimId, seq: 1, type: "submitted", data: fields, actorId, at })!);
    }
    return (await this.d.claims.load(claimId))!;
  }

  async resubmit(actor: Actor, claimId: string, body: ClaimResubmitBody): Promise<ClaimDoc> {
    const claim = await this.d.claims.load(claimId);
    if (!claim || !isMemberOf(actor, claim.enterpriseId)) throw new NotFoundError();
    if (claim.status !== "returned") throw new ConflictError("CLAIM_NOT_RETURNED", { status: claim.status });
    const v = await this.d.vouchers.load(claim.voucherId);
    if (!v || v.status !== "claimed") throw new RuleError("VOUCHER_NOT_CLAIMABLE", { status: v?.status ?? "void" });
    const { booking } = await this.window(v);
    const filing = await this.filing(actor, v, booking, body);
    return this.transition(claim, "resubmitted", { ...filing }, actor.userId, "CLAIM_NOT_RETURNED");
  }

  async review(actor: Actor, claimId: string, body: ClaimReviewBody): Promise<ClaimDoc> {
    if (body.decision !== "approve" && !body.reason?.trim()) throw new RuleError("CLAIM_REASON_REQUIRED");
    const claim = await this.d.claims.load(claimId);
    if (!claim) throw new NotFoundError();
    if (claim.status !== "submitted") throw new ConflictError("CLAIM_NOT_PENDING", { status: claim.status });
    const type = body.decision === "approve" ? "approved" : body.decision === "reject" ? "rejected" : "returned";
    const data = { ...(body.reason ? { reason: body.reason.trim() } : {}), ...(type === "approved" ? { period: cityMonth(this.d.now()) } : {}) };
    const next = await this.transition(claim, type, data, actor.userId, "CLAIM_NOT_PENDING");
    if (type === "rejected") await this.releaseVoucher(next);
    return next;
  }

  /** A rejected claim's voucher is voided and its quota given back (idempotent; repaired after a crash). */
  async releaseVoucher(claim: ClaimDoc): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const v = await this.d.vouchers.load(claim.voucherId);
      if (!v) return;
      if (v.status === "void") {
        if (!v.quotaReturned) await this.d.issuer.giveBack(v);
        return;
      }
      if (v.status !== "claimed") return;
      const seq = v.version + 1;
      const e = { aggregateId: v._id, seq, type: "voided", data: { reason: "claim_rejected" }, actorId: null, at: new Date(this.d.now()) };
      await dayLogOf(this.d.events.db).append("voucher", v._id, e.at); // the statistics' day index (docs/stats.md)
      if (await appendEvent(this.d.events, e)) {
        const voided = applyVoucherEvent(v, { ...e, _id: eventId(v._id, seq) })!;
        await this.d.vouchers.save(voided);
        await this.d.issuer.giveBack(voided);
        this.d.announce(voided);
        return;
      }
    }
  }

  private async transition(claim: ClaimDoc, type: string, data: Record<string, unknown>, actorId: string, lostCode: "CLAIM_NOT_PENDING" | "CLAIM_NOT_RETURNED"): Promise<ClaimDoc> {
    const seq = claim.version + 1;
    const e = { aggregateId: claim._id, seq, type, data, actorId, at: new Date(this.d.now()) };
    if (!(await appendEvent(this.d.events, e))) {
      const now = await this.d.claims.load(claim._id);
      throw new ConflictError(lostCode, { status: now?.status ?? claim.status });
    }
    const next = applyClaimEvent(claim, { ...e, _id: eventId(claim._id, seq) })!;
    await this.d.claims.save(next);
    return next;
  }

  /** The booking must be completed and the claim window open (CLAIM_WINDOW_CLOSED after it). */
  private async window(v: VoucherDoc) {
    const booking = await this.d.bookings.load(v.bookingId);
    if (!booking) throw new NotFoundError();
    if (booking.status !== "completed") throw new RuleError("CLAIM_SERVICE_NOT_COMPLETED", { status: booking.status });
    const completedAt = completedAtOf(booking);
    const deadline = await this.deadlineOf(v, completedAt);
    if (this.d.now() > deadline) {
      throw new RuleError("CLAIM_WINDOW_CLOSED", { deadline: DateTime.fromMillis(deadline, { zone: CITY_ZONE }).toFormat("yyyy-MM-dd HH:mm") });
    }
    return { booking, completedAt, deadline };
  }

  /** The evidence pack (every kind, the caller's organization's uploads) and the amounts from the acknowledged contract. */
  private async filing(actor: Actor, v: VoucherDoc, booking: BookingDoc, body: ClaimResubmitBody): Promise<ClaimFiling> {
    if (booking.contract?.status !== "acknowledged") throw new RuleError("CONTRACT_NOT_ACKNOWLEDGED", { status: booking.contract?.status ?? "none" });
    const missing = CLAIM_EVIDENCE_KINDS.filter((k) => !body.attachments.some((a) => a.kind === k));
    if (missing.length > 0) throw new RuleError("CLAIM_EVIDENCE_MISSING", { kinds: missing.join(", ") });
    for (const a of body.attachments) {
      const u = await this.d.uploads.describe(a.uploadId);
      if (!u || u.orgId !== actor.membership?.orgId) throw new RuleError("CLAIM_UPLOAD_INVALID", { uploadId: a.uploadId });
    }
    const contractAmountFen = booking.contract.amountFen;
    // The same arithmetic as the voucher, on the contract amount, never above the voucher's face value.
    const a = await this.d.assessor.assess({ enterpriseId: v.enterpriseId, providerId: v.providerId, listPriceFen: contractAmountFen, serviceAt: new Date(booking.firstStart).getTime() });
    const rates = a?.rates ?? { provinceBp: 0, cityBp: 0 };
    const split = splitSubsidy(contractAmountFen, rates, v.faceValueFen);
    return {
      invoiceNo: body.invoiceNo.trim(), contractNo: body.contractNo.trim(),
      attachments: body.attachments.map((x) => ({ kind: x.kind, uploadId: x.uploadId })),
      contractAmountFen, amountFen: split.provinceFen + split.cityFen, provinceFen: split.provinceFen, cityFen: split.cityFen,
    };
  }
}

// A claim is its event stream `<claimId>:<n>`: 1 "submitted", then "approved", "rejected",
// "returned" or "resubmitted". Each transition is the insert of event n, so of two reviewers (or a
// reviewer and a resubmission) exactly one wins. `voucher_claims` is the fold, healed on read.
import type { Claim, ClaimAttachment } from "../../../shared/schemas/claims";
import { eventId, readEvent, type EventModel, type StoredEvent } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import type { ClaimEventType } from "../../../shared/schemas/claims";
import type { ClaimDoc, ClaimFiling, ClaimModels } from "./claim-model";

export type ClaimSubmitted = Omit<ClaimDoc, "_id" | "version" | "status" | "submittedAt" | "lastSubmittedAt" | "history" | "decidedAt" | "approvedPeriod" | "reason">;

export function applyClaimEvent(doc: ClaimDoc | null, e: StoredEvent): ClaimDoc | null {
  const type = e.type as ClaimEventType;
  const reason = typeof e.data.reason === "string" ? e.data.reason : undefined;
  const entry = { n: e.seq, type, at: e.at, by: e.actorId ?? "", ...(reason ? { reason } : {}) };
  if (e.seq === 1) {
    const data = e.data as unknown as ClaimSubmitted;
    return {
      ...data, _id: e.aggregateId, version: 1, status: "submitted",
      completedAt: new Date(data.completedAt), deadline: new Date(data.deadline),
      submittedAt: e.at, lastSubmittedAt: e.at, history: [entry],
    };
  }
  if (!doc) return null;
  const next: ClaimDoc = { ...doc, version: e.seq, history: [...doc.history, entry] };
  if (type === "resubmitted") return { ...next, ...(e.data as unknown as ClaimFiling), status: "submitted", lastSubmittedAt: e.at };
  const status = type === "approved" ? "approved" : type === "rejected" ? "rejected" : "returned";
  return { ...next, status, decidedAt: e.at, reason, ...(type === "approved" ? { approvedPeriod: String(e.data.period) } : {}) };
}

export interface ClaimViewExtras {
  enterpriseName: string;
  providerName: string;
  /** Upload records by id (name, type, size); none: attachments left out (the provider's view). */
  uploads?: Map<string, { name: string; type: string; size: number }>;
  settlementId?: string;
}

export function presentClaim(doc: ClaimDoc, x: ClaimViewExtras): Claim {
  const iso = (d: Date) => new Date(d).toISOString();
  const attachments = x.uploads
    ? doc.attachments.map((a): ClaimAttachment => {
      const u = x.uploads!.get(a.uploadId);
      return { kind: a.kind, uploadId: a.uploadId, ...(u ? { name: u.name, type: u.type, size: u.size } : {}) };
    })
    : undefined;
  return {
    id: doc._id, voucherId: doc.voucherId, bookingId: doc.bookingId,
    enterpriseId: doc.enterpriseId, enterpriseName: x.enterpriseName, providerId: doc.providerId, providerName: x.providerName,
    county: doc.county, status: doc.status, invoiceNo: doc.invoiceNo, contractNo: doc.contractNo,
    ...(attachments ? { attachments } : {}),
    contractAmountFen: doc.contractAmountFen, faceValueFen: doc.faceValueFen, amountFen: doc.amountFen,
    provinceFen: doc.provinceFen, cityFen: doc.cityFen, enterpriseFen: Math.max(0, doc.contractAmountFen - doc.amountFen),
    policyId: doc.policyId, completedAt: iso(doc.completedAt), deadline: iso(doc.deadline),
    submittedAt: iso(doc.submittedAt), lastSubmittedAt: iso(doc.lastSubmittedAt),
    ...(doc.decidedAt ? { decidedAt: iso(doc.decidedAt) } : {}),
    ...(doc.approvedPeriod ? { approvedPeriod: doc.approvedPeriod } : {}),
    ...(doc.reason ? { reason: doc.reason } : {}),
    ...(x.settlementId ? { settlementId: x.settlementId } : {}),
    history: doc.history.map((h) => ({ n: h.n, type: h.type, at: iso(h.at), by: h.by, ...(h.reason ? { reason: h.reason } : {}) })),
  };
}

export class ClaimStream {
  constructor(
    private readonly m: ClaimModels,
    private readonly events: EventModel,
  ) {}

  /** The claim with every event applied (the projection healed on the way), or null. */
  async load(id: string): Promise<ClaimDoc | null> {
    let doc = await this.m.claims.findById(id).lean<ClaimDoc>();
    let healed = false;
    if (!doc) {
      // `events` holds every aggregate's stream: an id of another kind (an invitation, a booking) has
      // a first event too, and is no claim (found by schemathesis: a 500, and a garbage projection).
      const first = await readEvent(this.events, id, 1);
      if (first?.type !== "submitted") return null;
      doc = applyClaimEvent(null, first);
      healed = true;
    }
    for (;;) {
      const next = await readEvent(this.events, id, doc!.version + 1);
      if (!next) break;
      doc = applyClaimEvent(doc, next);
      healed = true;
    }
    if (healed) await this.save(doc!);
    return doc;
  }

  async healMany(docs: ClaimDoc[]): Promise<ClaimDoc[]> {
    if (docs.length === 0) return docs;
    const behind = new Set((await this.events.find({ _id: { $in: docs.map((d) => eventId(d._id, d.version + 1)) } }, { aggregateId: 1 }).lean()).map((e) => e.aggregateId));
    return Promise.all(docs.map(async (d) => (behind.has(d._id) ? ((await this.load(d._id)) ?? d) : d)));
  }

  /** Writes the projection (not a guard: an older version put back late is healed by the next read). */
  async save(doc: ClaimDoc): Promise<void> {
    const { _id, ...rest } = doc;
    try {
      const res = await this.m.claims.updateOne({ _id, version: { $lt: doc.version } }, { $set: rest });
      if (res.matchedCount === 0 && !(await this.m.claims.exists({ _id }))) await this.m.claims.create(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
}

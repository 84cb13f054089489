// A voucher is its event stream `<voucherId>:<n>` in `events`: 1 "issued" (or "declined" when the
// quota had nothing left), then one event per transition ("voided"; later waves add claim, redeem
// and expiry events, which race with "voided" for the same n and so get one winner). The `vouchers`
// document is the fold, written after each event and healed on every read.
import type { SubsidyReason, VoucherStatus } from "../../../shared/enums";
import type { Voucher } from "../../../shared/schemas/vouchers";
import { eventId, readEvent, type EventModel, type StoredEvent } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import type { VoucherDoc, VoucherModels } from "./model";

/** One voucher per booking: its id names the booking, so two issuers of one booking meet on event 1. */
export const voucherIdOf = (bookingId: string) => `v-${bookingId}`;

export type IssuedData = Omit<VoucherDoc, "_id" | "version" | "issuedAt" | "voidedAt" | "voidReason"> & { entryId: string };

export function applyVoucherEvent(doc: VoucherDoc | null, e: StoredEvent): VoucherDoc | null {
  if (e.seq === 1) {
    const data = e.data as unknown as IssuedData;
    const { entryId: _entry, ...fields } = data;
    return { _id: e.aggregateId, version: 1, ...fields, issuedAt: e.at };
  }
  if (!doc) return null;
  if (e.type === "voided") return { ...doc, version: e.seq, status: "void", voidedAt: e.at, voidReason: String(e.data.reason ?? "") };
  // Claims and settlement (docs/settlement.md): claimed → redeemed, or expired when never claimed.
  if (e.type === "claimed" || e.type === "redeemed" || e.type === "expired") return { ...doc, version: e.seq, status: e.type };
  return { ...doc, version: e.seq };
}

export function presentVoucher(doc: VoucherDoc): Voucher {
  return {
    id: doc._id,
    enterpriseId: doc.enterpriseId,
    bookingId: doc.bookingId,
    providerId: doc.providerId,
    county: doc.county,
    faceValueFen: doc.faceValueFen,
    provinceFen: doc.provinceFen,
    cityFen: doc.cityFen,
    listPriceFen: doc.listPriceFen,
    reasons: [...(doc.reasons ?? [])] as SubsidyReason[],
    status: doc.status as VoucherStatus,
    year: doc.year,
    period: doc.period,
    policyId: doc.policyId,
    issuedAt: new Date(doc.issuedAt).toISOString(),
    ...(doc.voidedAt ? { voidedAt: new Date(doc.voidedAt).toISOString() } : {}),
  };
}

export class VoucherStream {
  constructor(
    private readonly m: VoucherModels,
    private readonly events: EventModel,
  ) {}

  /** The voucher with every event applied (the projection healed on the way), or null. */
  async load(id: string): Promise<VoucherDoc | null> {
    let doc = await this.m.vouchers.findById(id).lean<VoucherDoc>();
    let healed = false;
    if (!doc) {
      // `events` holds every aggregate's stream: an id of another kind has a first event too.
      const first = await readEvent(this.events, id, 1);
      if (first?.type !== "issued" && first?.type !== "declined") return null;
      doc = applyVoucherEvent(null, first);
      healed = true;
    }
    for (;;) {
      const next = await readEvent(this.events, id, doc!.version + 1);
      if (!next) break;
      doc = applyVoucherEvent(doc, next);
      healed = true;
    }
    if (healed) await this.save(doc!);
    return doc;
  }

  /** Heals a page of projections: one batched look-up of each `<id>:<version + 1>`. */
  async healMany(docs: VoucherDoc[]): Promise<VoucherDoc[]> {
    if (docs.length === 0) return docs;
    const behind = new Set((await this.events.find({ _id: { $in: docs.map((d) => eventId(d._id, d.version + 1)) } }, { aggregateId: 1 }).lean()).map((e) => e.aggregateId));
    return Promise.all(docs.map(async (d) => (behind.has(d._id) ? ((await this.load(d._id)) ?? d) : d)));
  }

  markReturned(id: string): Promise<unknown> {
    return this.m.vouchers.updateOne({ _id: id }, { $set: { quotaReturned: true } });
  }

  /** Writes the projection (not a guard: a late writer putting an older version back is healed by the next read). */
  async save(doc: VoucherDoc): Promise<void> {
    const { _id, ...rest } = doc;
    try {
      const res = await this.m.vouchers.updateOne({ _id, version: { $lt: doc.version } }, { $set: rest });
      if (res.matchedCount === 0 && !(await this.m.vouchers.exists({ _id }))) await this.m.vouchers.create(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
}

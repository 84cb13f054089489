// The repair pass (run by the sweeper timer): vouchers catch up with bookings after a crash or a
// missed bus event. Every step is idempotent (ledger keys, voucher event numbers), so running it
// while requests issue and void is safe.
// - a booking confirmed (or later) without a voucher: issue it (a crash between the confirmation
//   and the issue, or between the ledger entry and voucher event 1: the entry is found by its key);
// - a booking off (cancelled, rejected, expired, no-show) whose voucher is issued: void it;
// - a booking off without a voucher, recently changed: an issue entry may be orphaned by a crash:
//   record it, then void it;
// - a voided voucher whose quota was not given back yet: give it back.
import type { BookingStatus } from "../../../shared/enums";
import { VOIDING, ISSUING, type BookingReader, type VoucherIssuer } from "./issuing";
import type { LedgerEntryDoc, VoucherDoc, VoucherModels } from "./model";
import { voucherIdOf } from "./stream";

/** How far back an off booking without a voucher is checked for an orphaned issue entry. */
const ORPHAN_LOOKBACK_MS = 7 * 24 * 3_600_000;

export interface RepairResult {
  issued: number;
  voided: number;
  returned: number;
}

export interface VoucherBookingSource extends BookingReader {
  voucherBookings(): Promise<{ _id: string; status: BookingStatus; updatedAt: Date }[]>;
}

export async function repairVouchers(m: VoucherModels, issuer: VoucherIssuer, bookings: VoucherBookingSource, now: number): Promise<RepairResult> {
  const result: RepairResult = { issued: 0, voided: 0, returned: 0 };
  const list = await bookings.voucherBookings();
  const vouchers = new Map(
    (await m.vouchers.find({ _id: { $in: list.map((b) => voucherIdOf(b._id)) } }).lean<VoucherDoc[]>()).map((v) => [v.bookingId, v]),
  );
  const orphanCandidates: string[] = [];
  for (const b of list) {
    const v = vouchers.get(b._id);
    if (ISSUING.includes(b.status) && !v) {
      if ((await issuer.follow(b._id))?.status === "issued") result.issued++;
    } else if (VOIDING.includes(b.status) && v?.status === "issued") {
      if ((await issuer.follow(b._id))?.status === "void") result.voided++;
    } else if (VOIDING.includes(b.status) && !v && now - new Date(b.updatedAt).getTime() < ORPHAN_LOOKBACK_MS) {
      orphanCandidates.push(b._id);
    }
  }
  if (orphanCandidates.length > 0) {
    const keys = orphanCandidates.map((id) => `issue:${voucherIdOf(id)}`);
    const orphans = await m.ledger.find({ key: { $in: keys } }).lean<LedgerEntryDoc[]>();
    for (const entry of orphans) {
      const booking = await bookings.load(entry.voucherId!.slice(2));
      if (!booking) continue;
      await issuer.record(booking, entry);
      if ((await issuer.follow(booking._id))?.status === "void") result.voided++;
    }
  }
  // Voided vouchers whose void entry may be missing (a crash after the "voided" event).
  // Filtered here rather than with `$ne` (docs/database.md lists what the embedded server is proven to do).
  for (const v of await m.vouchers.find({ status: "void" }).lean<VoucherDoc[]>()) {
    if (v.quotaReturned) continue;
    await issuer.giveBack(v);
    result.returned++;
  }
  return result;
}

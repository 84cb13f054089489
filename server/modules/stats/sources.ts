// The figures computed by scanning the source documents: bookings (scheduling's projection),
// vouchers (the vouchers' projection), settlements (the inserted settlement of a period) and, for the
// settlement times, the claims they pay. What `stats:verify` compares the roll-ups with (and
// `--rebuild` writes): the definition of every figure, independent of the day index the roll-ups are
// computed from (day-index.ts). Read-only, by raw collection with a projection of the few fields used.
// On FerretDB each read here is a scan of the whole collection. Definitions: docs/stats.md.
import type { Connection } from "mongoose";
import { DateTime } from "luxon";
import { DayIndex, STATS_ZONE, monthOfDay, todayOf } from "./calendar";
import { readByIds } from "./day-probe";
import { canonicalSpan, emptyDay, mergeSpans, type DayFigures, type PaidAfter, type SpanFigures, type SubsidyLine } from "./figures";

interface BookingRow { createdAt: Date; priceFen: number }
export interface VoucherRow { enterpriseId: string; county: string; faceValueFen: number; status: string; issuedAt: Date; voidedAt?: Date }
export interface SettlementRow { createdAt: Date; lines?: { kind: string; amountFen: number; voucherId?: string; claimId?: string }[] }
export interface ClaimRow { submittedAt?: Date }

/** Calendar days (platform zone) from each paid claim's filing (first submission) to the settlement; claims not found are left out. */
export function paidAfterDays(s: SettlementRow, claims: ReadonlyMap<string, ClaimRow>): PaidAfter[] {
  const paidDay = DateTime.fromISO(todayOf(new Date(s.createdAt).getTime()), { zone: STATS_ZONE });
  const ids = new Set((s.lines ?? []).filter((l) => l.kind === "voucher_subsidy" && l.claimId).map((l) => l.claimId!));
  const out: PaidAfter[] = [];
  for (const id of ids) {
    const filed = claims.get(id)?.submittedAt;
    if (!filed) continue;
    const filedDay = DateTime.fromISO(todayOf(new Date(filed).getTime()), { zone: STATS_ZONE });
    out.push({ days: Math.round(paidDay.diff(filedDay, "days").days), claims: 1 });
  }
  return out;
}

export class StatsSources {
  constructor(private readonly conn: Connection) {}

  /** Whole months, each the sum of its days. */
  async months(months: readonly string[]): Promise<SpanFigures[]> {
    const days = await this.daysOfMonths(months);
    return months.map((m) => mergeSpans(m, [...days.values()].filter((d) => monthOfDay(d.key) === m)));
  }

  /** Every day of the given months (empty days too), computed in one pass over the window they span. */
  async daysOfMonths(months: readonly string[]): Promise<Map<string, SpanFigures>> {
    if (months.length === 0) return new Map();
    const sorted = [...months].sort();
    const wantedMonths = new Set(months);
    const index = new DayIndex(sorted[0]!, sorted.at(-1)!);
    const window = { $gte: new Date(index.startMs), $lt: new Date(index.endMs) };
    const db = this.conn;
    const [bookings, vouchers, settlements] = await Promise.all([
      db.collection("bookings").find({ createdAt: window }, { projection: { _id: 0, createdAt: 1, priceFen: 1 } }).toArray() as Promise<unknown[]> as Promise<BookingRow[]>,
      db.collection("vouchers").find({ $or: [{ issuedAt: window }, { voidedAt: window }] }, { projection: { _id: 0, enterpriseId: 1, county: 1, faceValueFen: 1, status: 1, issuedAt: 1, voidedAt: 1 } }).toArray() as Promise<unknown[]> as Promise<VoucherRow[]>,
      db.collection("settlements").find({ createdAt: window }, { projection: { _id: 0, createdAt: 1, lines: 1 } }).toArray() as Promise<unknown[]> as Promise<SettlementRow[]>,
    ]);
    const claimIds = settlements.flatMap((s) => (s.lines ?? []).filter((l) => l.kind === "voucher_subsidy" && l.claimId).map((l) => l.claimId!));
    const claims = new Map((await readByIds<ClaimRow & { _id: string }>(db, "voucher_claims", claimIds, { submittedAt: 1 })).map((c) => [c._id, c]));

    const days = new Map<string, { day: DayFigures; lines: SubsidyLine[]; paid: PaidAfter[] }>();
    const at = (ms: Date | undefined) => {
      const day = ms ? index.dayOf(new Date(ms).getTime()) : null;
      if (!day || !wantedMonths.has(monthOfDay(day))) return null;
      return days.get(day) ?? days.set(day, { day: emptyDay(day), lines: [], paid: [] }).get(day)!;
    };
    // Bookings (预约单): every booking created, whatever became of it, at its price when created.
    for (const b of bookings) {
      const d = at(b.createdAt);
      if (!d) continue;
      d.day.bookings += 1;
      d.day.bookingsFen += b.priceFen ?? 0;
    }
    for (const v of vouchers) {
      // Issued: every voucher with a face value (declined ones hold nothing), on its issue day,
      // whatever happened to it later (voided, claimed, redeemed, expired).
      const issued = v.status !== "declined" && v.faceValueFen > 0 ? at(v.issuedAt) : null;
      if (issued) {
        issued.day.vouchersIssued += 1;
        issued.day.vouchersIssuedFen += v.faceValueFen;
        issued.lines.push({ enterpriseId: v.enterpriseId, county: v.county, vouchers: 1, amountFen: v.faceValueFen });
      }
      // Voided: given back, on the day of the void.
      const voided = v.faceValueFen > 0 ? at(v.voidedAt) : null;
      if (voided) {
        voided.day.vouchersVoided += 1;
        voided.day.vouchersVoidedFen += v.faceValueFen;
      }
    }
    // Redeemed (兑付): the vouchers a settlement pays, on the day the settlement was made, at the
    // amount paid (the claim's province and city parts); and how long each claim waited.
    for (const s of settlements) {
      const d = at(s.createdAt);
      if (!d) continue;
      const paid = (s.lines ?? []).filter((l) => l.kind === "voucher_subsidy");
      d.day.vouchersRedeemed += new Set(paid.map((l) => l.voucherId)).size;
      d.day.vouchersRedeemedFen += paid.reduce((n, l) => n + l.amountFen, 0);
      d.paid.push(...paidAfterDays(s, claims));
    }
    const out = new Map<string, SpanFigures>();
    for (const m of sorted) {
      for (const day of index.daysOf(m)) {
        const d = days.get(day);
        out.set(day, d ? canonicalSpan(day, [d.day], d.lines, d.paid) : canonicalSpan(day, [], [], []));
      }
    }
    return out;
  }
}

// The figures of given days read by `_id` only (no scan, whatever the history's size): the day's
// bookings through their numbers (`booking_numbers._id = YY-<yyyyMMdd>-<n>`, taken at creation), its
// vouchers and settlements through the day log (day-log.ts), then those documents by `_id $in`.
// Each fact counts on the day its own document dates it (createdAt, issuedAt, voidedAt, the
// settlement's createdAt), exactly as the scan of the collections does (sources.ts), which
// `stats:verify` compares it with. A fact written bypassing the product (no number, no log entry) is
// not seen here: the verification reports it and `--rebuild` takes the scan's figures.
import type { Connection } from "mongoose";
import { formatBookingNumber } from "../scheduling/booking-number";
import { todayOf } from "./calendar";
import { dayLogOf, type DayLog } from "./day-log";
import { probeDays, readByIds } from "./day-probe";
import { canonicalSpan, emptyDay, type PaidAfter, type SpanFigures, type SubsidyLine } from "./figures";
import { paidAfterDays, type ClaimRow, type SettlementRow, type VoucherRow } from "./sources";

interface NumberRow { _id: string; bookingId: string }
interface BookingRow { _id: string; createdAt: Date; priceFen: number }

export class DayIndexSources {
  private readonly log: DayLog;

  /** How many numbers and log entries each recently read day had: where the next read of it starts probing. */
  private readonly hints = { numbers: new Map<string, number>(), log: new Map<string, number>() };

  constructor(private readonly conn: Connection) {
    this.log = dayLogOf(conn);
  }

  private remember(hints: Map<string, number>, read: Map<string, unknown[]>): void {
    if (hints.size > 1_000) hints.clear();
    for (const [day, docs] of read) if (docs.length > 0) hints.set(day, docs.length);
  }

  /** The spans of the given days (one per day, in the order given). */
  async days(days: readonly string[]): Promise<SpanFigures[]> {
    if (days.length === 0) return [];
    const db = this.conn;
    const [numbers, entries] = await Promise.all([
      probeDays<NumberRow>(db, "booking_numbers", days, (day, n) => formatBookingNumber(day.replaceAll("-", ""), n), { bookingId: 1 }, this.hints.numbers),
      this.log.read(days, this.hints.log),
    ]);
    this.remember(this.hints.numbers, numbers);
    this.remember(this.hints.log, entries);
    const voucherIds = new Set<string>();
    const periods = new Set<string>();
    for (const list of entries.values()) for (const e of list) (e.kind === "voucher" ? voucherIds : periods).add(e.ref);
    const [bookings, vouchers, settlements] = await Promise.all([
      readByIds<BookingRow>(db, "bookings", [...new Set([...numbers.values()].flat().map((n) => n.bookingId))], { createdAt: 1, priceFen: 1 }),
      readByIds<VoucherRow & { _id: string }>(db, "vouchers", [...voucherIds], { enterpriseId: 1, county: 1, faceValueFen: 1, status: 1, issuedAt: 1, voidedAt: 1 }),
      readByIds<SettlementRow & { _id: string }>(db, "settlements", [...periods], { createdAt: 1, lines: 1 }),
    ]);
    const wanted = new Set(days);
    const dayOf = (at: Date | undefined) => {
      if (!at) return null;
      const d = todayOf(new Date(at).getTime());
      return wanted.has(d) ? d : null;
    };
    const claimIds = new Set<string>();
    const paying = settlements.filter((s) => dayOf(s.createdAt));
    for (const s of paying) for (const l of s.lines ?? []) if (l.kind === "voucher_subsidy" && l.claimId) claimIds.add(l.claimId);
    const claims = new Map((await readByIds<ClaimRow & { _id: string }>(db, "voucher_claims", [...claimIds], { submittedAt: 1 })).map((c) => [c._id, c]));

    const out = new Map(days.map((d) => [d, { day: emptyDay(d), lines: [] as SubsidyLine[], paid: [] as PaidAfter[] }]));
    for (const b of bookings) {
      const d = dayOf(b.createdAt);
      if (!d) continue;
      const f = out.get(d)!.day;
      f.bookings += 1;
      f.bookingsFen += b.priceFen ?? 0;
    }
    for (const v of vouchers) {
      if (!(v.faceValueFen > 0)) continue;
      const issued = v.status !== "declined" ? dayOf(v.issuedAt) : null;
      if (issued) {
        const o = out.get(issued)!;
        o.day.vouchersIssued += 1;
        o.day.vouchersIssuedFen += v.faceValueFen;
        o.lines.push({ enterpriseId: v.enterpriseId, county: v.county, vouchers: 1, amountFen: v.faceValueFen });
      }
      const voided = dayOf(v.voidedAt);
      if (voided) {
        const f = out.get(voided)!.day;
        f.vouchersVoided += 1;
        f.vouchersVoidedFen += v.faceValueFen;
      }
    }
    for (const s of paying) {
      const o = out.get(dayOf(s.createdAt)!)!;
      const paid = (s.lines ?? []).filter((l) => l.kind === "voucher_subsidy");
      o.day.vouchersRedeemed += new Set(paid.map((l) => l.voucherId)).size;
      o.day.vouchersRedeemedFen += paid.reduce((n, l) => n + l.amountFen, 0);
      o.paid.push(...paidAfterDays(s, claims));
    }
    return days.map((d) => {
      const o = out.get(d)!;
      return canonicalSpan(d, [o.day], o.lines, o.paid);
    });
  }
}

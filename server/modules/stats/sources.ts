// The figures computed from the source documents, never from counters: bookings (scheduling's
// projection), vouchers (the vouchers' projection) and settlements (the inserted settlement of a
// period). Read-only and by raw collection with a projection of the few fields used, so a month
// of 100,000 bookings is decoded once and nothing is hydrated. Definitions: docs/stats.md.
import type { Connection } from "mongoose";
import { DayIndex, monthOfDay } from "./calendar";
import { emptyDay, type DayFigures, type MonthFigures, type SubsidyLine } from "./figures";

interface BookingRow { createdAt: Date; priceFen: number }
interface VoucherRow { enterpriseId: string; county: string; faceValueFen: number; status: string; issuedAt: Date; voidedAt?: Date }
interface SettlementRow { createdAt: Date; lines?: { kind: string; amountFen: number; voucherId?: string }[] }

export class StatsSources {
  constructor(private readonly conn: Connection) {}

  /** The figures of whole months (any set; read in one pass over the window they span). */
  async months(months: readonly string[]): Promise<MonthFigures[]> {
    if (months.length === 0) return [];
    const sorted = [...months].sort();
    const index = new DayIndex(sorted[0]!, sorted.at(-1)!);
    const window = { $gte: new Date(index.startMs), $lt: new Date(index.endMs) };
    const db = this.conn;
    const [bookings, vouchers, settlements] = await Promise.all([
      db.collection("bookings").find({ createdAt: window }, { projection: { _id: 0, createdAt: 1, priceFen: 1 } }).toArray() as Promise<unknown[]> as Promise<BookingRow[]>,
      db.collection("vouchers").find({ $or: [{ issuedAt: window }, { voidedAt: window }] }, { projection: { _id: 0, enterpriseId: 1, county: 1, faceValueFen: 1, status: 1, issuedAt: 1, voidedAt: 1 } }).toArray() as Promise<unknown[]> as Promise<VoucherRow[]>,
      db.collection("settlements").find({ createdAt: window }, { projection: { _id: 0, createdAt: 1, lines: 1 } }).toArray() as Promise<unknown[]> as Promise<SettlementRow[]>,
    ]);

    const days = new Map<string, DayFigures>();
    const dayFigures = (day: string) => days.get(day) ?? days.set(day, emptyDay(day)).get(day)!;
    const lines = new Map<string, SubsidyLine>();

    // Bookings (预约单): every booking created, whatever became of it, at its price when created.
    for (const b of bookings) {
      const day = index.dayOf(new Date(b.createdAt).getTime());
      if (!day) continue;
      const d = dayFigures(day);
      d.bookings += 1;
      d.bookingsFen += b.priceFen ?? 0;
    }
    for (const v of vouchers) {
      // Issued: every voucher with a face value (declined ones hold nothing), on its issue day,
      // whatever happened to it later (voided, claimed, redeemed, expired).
      const issued = v.status !== "declined" && v.faceValueFen > 0 ? index.dayOf(new Date(v.issuedAt).getTime()) : null;
      if (issued) {
        const d = dayFigures(issued);
        d.vouchersIssued += 1;
        d.vouchersIssuedFen += v.faceValueFen;
        const key = `${issued}|${v.enterpriseId}|${v.county}`;
        const line = lines.get(key) ?? lines.set(key, { day: issued, enterpriseId: v.enterpriseId, county: v.county, vouchers: 0, amountFen: 0 }).get(key)!;
        line.vouchers += 1;
        line.amountFen += v.faceValueFen;
      }
      // Voided: given back, on the day of the void.
      const voided = v.voidedAt && v.faceValueFen > 0 ? index.dayOf(new Date(v.voidedAt).getTime()) : null;
      if (voided) {
        const d = dayFigures(voided);
        d.vouchersVoided += 1;
        d.vouchersVoidedFen += v.faceValueFen;
      }
    }
    // Redeemed (兑付): the vouchers a settlement pays, on the day the settlement was made, at the
    // amount paid (the claim's province and city parts).
    for (const s of settlements) {
      const day = index.dayOf(new Date(s.createdAt).getTime());
      if (!day) continue;
      const paid = (s.lines ?? []).filter((l) => l.kind === "voucher_subsidy");
      const d = dayFigures(day);
      d.vouchersRedeemed += new Set(paid.map((l) => l.voucherId)).size;
      d.vouchersRedeemedFen += paid.reduce((n, l) => n + l.amountFen, 0);
    }

    const byMonth = new Map<string, MonthFigures>(sorted.map((m) => [m, { month: m, days: [], subsidies: [] }]));
    for (const d of [...days.values()].sort((a, b) => a.day.localeCompare(b.day))) byMonth.get(monthOfDay(d.day))?.days.push(d);
    const order = (a: SubsidyLine, b: SubsidyLine) => a.day.localeCompare(b.day) || a.enterpriseId.localeCompare(b.enterpriseId) || a.county.localeCompare(b.county);
    for (const l of [...lines.values()].sort(order)) byMonth.get(monthOfDay(l.day))?.subsidies.push(l);
    return months.map((m) => byMonth.get(m)!);
  }
}

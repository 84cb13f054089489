// Dated history for the statistics tests, written in the product's shapes through the product's own
// Mongoose models (validated by their schemas): bookings (scheduling) with their booking numbers,
// vouchers (their projection) and settlements with their entries in the statistics' day log, claims:
// what the product writes for each (the statistics find a day's documents through the numbers and
// the log, docs/stats.md). The API stamps these with the real clock, so history in other months is written.
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { Connection } from "mongoose";
import type { BookingStatus, County, VoucherStatus } from "../../shared/enums";
import { BookingNumbers, type BookingNumberDoc } from "../../server/modules/scheduling/booking-number";
import { dayLogOf } from "../../server/modules/stats/day-log";

/** An instant in Shanghai: `sh("2031-03-31T23:59:59.999")`. */
export const sh = (iso: string) => DateTime.fromISO(iso, { zone: "Asia/Shanghai" }).toJSDate();
const hex = () => randomBytes(8).toString("hex");

export async function insertBookings(conn: Connection, enterpriseId: string, providerId: string, instrumentId: string, rows: { at: Date; priceFen: number; status?: BookingStatus }[]) {
  const numbers = new BookingNumbers(conn.model<BookingNumberDoc>("BookingNumber"));
  const ids = rows.map(() => `b-${hex()}`);
  const taken: string[] = [];
  for (const [k, r] of rows.entries()) taken.push(await numbers.assign(ids[k]!, r.at.getTime()));
  await conn.model("Booking").insertMany(rows.map((r, k) => {
    const start = new Date(r.at.getTime() + 86_400_000);
    return {
      _id: ids[k], number: taken[k], version: 1, kind: "instrument", status: r.status ?? "completed", enterpriseId, enterpriseName: "统计测试企业",
      providerIds: [providerId], actingProviderId: providerId, instrumentIds: [instrumentId], instrumentId, title: "统计测试",
      items: [{ instrumentId, instrumentName: "统计测试仪器", providerId, start, end: new Date(start.getTime() + 3_600_000), unit: 0 }],
      claimIds: [], priceFen: r.priceFen, useVoucher: false, cancelDeadline: start, cancelDeadlineHours: 24, firstStart: start,
      lastEnd: new Date(start.getTime() + 3_600_000), history: [], createdBy: "stats-test", createdAt: r.at, updatedAt: r.at,
    };
  }));
}

export interface VoucherRow {
  id?: string;
  enterpriseId: string;
  county: County;
  faceValueFen: number;
  issuedAt: Date;
  status: VoucherStatus;
  voidedAt?: Date;
}

export async function insertVouchers(conn: Connection, providerId: string, rows: VoucherRow[]) {
  const ids = rows.map((r) => r.id ?? `v-b-${hex()}`);
  for (const [k, r] of rows.entries()) {
    if (r.status !== "declined") await dayLogOf(conn).append("voucher", ids[k]!, r.issuedAt);
    if (r.voidedAt) await dayLogOf(conn).append("voucher", ids[k]!, r.voidedAt);
  }
  await conn.model("Voucher").insertMany(rows.map((r, k) => {
    const bookingId = ids[k]!.slice(2);
    const period = DateTime.fromJSDate(r.issuedAt, { zone: "Asia/Shanghai" }).toFormat("yyyy-MM");
    return {
      _id: ids[k], version: r.status === "issued" || r.status === "declined" ? 1 : 2, enterpriseId: r.enterpriseId, bookingId, providerId,
      county: r.county, accountId: `quota-${r.enterpriseId}`, faceValueFen: r.faceValueFen, provinceFen: Math.round((r.faceValueFen * 2) / 3),
      cityFen: r.faceValueFen - Math.round((r.faceValueFen * 2) / 3), listPriceFen: Math.round(r.faceValueFen / 0.9), reasons: r.status === "declined" ? ["CAP_REACHED"] : [],
      status: r.status, year: Number(period.slice(0, 4)), period, policyId: "2000-01-01", issuedAt: r.issuedAt,
      ...(r.voidedAt ? { voidedAt: r.voidedAt, voidReason: "cancelled", quotaReturned: true } : {}),
    };
  }));
}

/**
 * A settlement of `period` made at `createdAt`, paying each voucher's province and city parts (plus a
 * provider subsidy, which is not a redemption); a voucher with `filedAt` gets its claim, first filed then.
 */
export async function insertSettlement(conn: Connection, period: string, createdAt: Date, paid: { voucherId: string; enterpriseId: string; provinceFen: number; cityFen: number; filedAt?: Date }[], providerId: string) {
  await dayLogOf(conn).append("settlement", period, createdAt);
  const claims = paid.filter((p) => p.filedAt).map((p) => ({
    _id: `c-${p.voucherId}`, version: 2, voucherId: p.voucherId, enterpriseId: p.enterpriseId, providerId, status: "approved", approvedPeriod: period,
    submittedAt: p.filedAt, lastSubmittedAt: p.filedAt, amountFen: p.provinceFen + p.cityFen, provinceFen: p.provinceFen, cityFen: p.cityFen,
  }));
  if (claims.length > 0) await conn.model("VoucherClaim").insertMany(claims);
  const lines = paid.flatMap((p) => {
    const payee = { payeeKind: "enterprise", payeeId: p.enterpriseId, payeeName: "统计测试企业", claimId: `c-${p.voucherId}`, voucherId: p.voucherId };
    return [
      { kind: "voucher_subsidy", ...payee, amountFen: p.provinceFen, source: "province" },
      { kind: "voucher_subsidy", ...payee, amountFen: p.cityFen, source: "city" },
      { kind: "provider_subsidy", payeeKind: "provider", payeeId: providerId, payeeName: "统计测试机构", amountFen: 5_000, source: "city", claimId: `c-${p.voucherId}`, voucherId: p.voucherId },
    ];
  });
  const sum = (f: (l: (typeof lines)[number]) => boolean) => lines.filter(f).reduce((n, l) => n + l.amountFen, 0);
  await conn.model("Settlement").create({
    _id: period, period, lines, createdBy: "stats-test", createdAt, completedAt: createdAt,
    totals: { provinceFen: sum((l) => l.source === "province"), cityFen: sum((l) => l.source === "city"), totalFen: sum(() => true), voucherSubsidyFen: sum((l) => l.kind === "voucher_subsidy"), providerSubsidyFen: sum((l) => l.kind === "provider_subsidy"), awardMatchFen: 0, claims: paid.length, awards: 0 },
  });
}

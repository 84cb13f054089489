// Voucher history for the statistics bench, next to history-data.ts's bookings: the 200 enterprises
// that history books for (registered, in the registry, spread over the 11 counties and the
// industries), a voucher for every third booking (issued over the past year; a tenth of them voided),
// and one settlement per past month paying half of the vouchers issued the month before, with the
// claims it pays (filed 0–2 days after the issue). Written with insertMany in the shapes the product
// writes (vouchers' projection, claims, settlements) plus the entries the product writes into the
// statistics' day log for each issue, void and settlement (stats/day-log.ts).
// Deterministic, like the booking history.
import type { Connection } from "mongoose";
import { DateTime } from "luxon";
import { COUNTY_CODES, INDUSTRY_CODES } from "../../shared/enums";
import { historyBookingId } from "./history-data";
import { dayLogNumbering, type DayLogDoc, type DayLogKind } from "../../server/modules/stats/day-log";
import { creditCode, random } from "./support";

const DAY = 86_400_000;
const BATCH = 1_000;

export interface VoucherHistoryCounts {
  enterprises: number;
  vouchers: number;
  settlements: number;
  claims: number;
  dayLog: number;
}

export async function generateVoucherHistory(conn: Connection, spec: { bookings: number; enterpriseIds: string[]; providerId: string; now: number }): Promise<VoucherHistoryCounts> {
  const rand = random(1_010);
  const counties = spec.enterpriseIds.map((_, k) => COUNTY_CODES[k % COUNTY_CODES.length]!);
  // Bearings first and most often, as in the article.
  const industries = spec.enterpriseIds.map((_, k) => (k % 7 < 3 ? "bearings" : INDUSTRY_CODES[k % INDUSTRY_CODES.length]!));
  const yearAgo = spec.now - 365 * DAY;
  const synthetic = spec.enterpriseIds.map((id, k) => ({ id, k })).filter(({ id }) => id.startsWith("e0"));
  await conn.model("Enterprise").collection.insertMany(synthetic.map(({ id, k }) => ({
    _id: id as never, name: `历史企业 ${k}`, creditCode: creditCode(), county: counties[k], industry: industries[k], size: "small",
    status: "approved", version: 2, createdBy: `u${k}`, createdAt: new Date(yearAgo - (k + 1) * DAY), reviewedAt: new Date(yearAgo - k * DAY),
  })), { ordered: false });

  const vouchers = conn.model("Voucher").collection;
  const paidBy = new Map<string, { voucherId: string; enterpriseId: string; provinceFen: number; cityFen: number; filedAt: Date }[]>();
  // The day log, numbered per day from 1 as the product takes the numbers.
  const entryOf = dayLogNumbering();
  const log: DayLogDoc[] = [];
  const logged = (kind: DayLogKind, ref: string, at: Date) => log.push(entryOf(kind, ref, at));
  let written = 0;
  let batch: Record<string, unknown>[] = [];
  for (let n = 0; n < spec.bookings; n += 3) {
    const k = n % spec.enterpriseIds.length;
    const bookingId = historyBookingId(n);
    const issuedAt = new Date(yearAgo + Math.floor((n / spec.bookings) * 365 * DAY) + Math.floor(rand() * DAY));
    const faceValueFen = 9_000 * (1 + Math.floor(rand() * 20));
    const provinceFen = (faceValueFen * 2) / 3;
    const voided = rand() < 0.1;
    const period = DateTime.fromJSDate(issuedAt, { zone: "Asia/Shanghai" }).toFormat("yyyy-MM");
    const redeemed = !voided && rand() < 0.5;
    if (redeemed) {
      const list = paidBy.get(period) ?? paidBy.set(period, []).get(period)!;
      list.push({ voucherId: `v-${bookingId}`, enterpriseId: spec.enterpriseIds[k]!, provinceFen, cityFen: faceValueFen - provinceFen, filedAt: new Date(issuedAt.getTime() + Math.floor(rand() * 2 * DAY)) });
    }
    logged("voucher", `v-${bookingId}`, issuedAt);
    if (voided) logged("voucher", `v-${bookingId}`, new Date(issuedAt.getTime() + 2 * DAY));
    batch.push({
      _id: `v-${bookingId}`, version: voided || redeemed ? 3 : 1, enterpriseId: spec.enterpriseIds[k], bookingId, providerId: spec.providerId, county: counties[k],
      accountId: `quota-${spec.enterpriseIds[k]}`, faceValueFen, provinceFen, cityFen: faceValueFen - provinceFen, listPriceFen: Math.round(faceValueFen / 0.9), reasons: [],
      status: voided ? "void" : redeemed ? "redeemed" : "claimed", year: issuedAt.getUTCFullYear(), period, policyId: "2000-01-01", issuedAt,
      ...(voided ? { voidedAt: new Date(issuedAt.getTime() + 2 * DAY), voidReason: "cancelled", quotaReturned: true } : {}),
    });
    if (batch.length >= BATCH) {
      await vouchers.insertMany(batch as never[], { ordered: false });
      written += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await vouchers.insertMany(batch as never[], { ordered: false });
  written += batch.length;

  // The settlement of a month is made on the 3rd of the next one (a past day only).
  const settlements = [...paidBy].filter(([period]) => DateTime.fromFormat(period, "yyyy-MM", { zone: "Asia/Shanghai" }).plus({ months: 1, days: 2 }).toMillis() < spec.now).map(([period, paid]) => {
    const lines = paid.flatMap((p) => [
      { kind: "voucher_subsidy", payeeKind: "enterprise", payeeId: p.enterpriseId, payeeName: "历史企业", amountFen: p.provinceFen, source: "province", claimId: `c-${p.voucherId}`, voucherId: p.voucherId },
      { kind: "voucher_subsidy", payeeKind: "enterprise", payeeId: p.enterpriseId, payeeName: "历史企业", amountFen: p.cityFen, source: "city", claimId: `c-${p.voucherId}`, voucherId: p.voucherId },
    ]);
    const total = lines.reduce((n, l) => n + l.amountFen, 0);
    const at = DateTime.fromFormat(period, "yyyy-MM", { zone: "Asia/Shanghai" }).plus({ months: 1, days: 2, hours: 10 }).toJSDate();
    logged("settlement", period, at);
    return {
      _id: period as never, period, lines, createdBy: "bench", createdAt: at, completedAt: at,
      totals: { provinceFen: 0, cityFen: 0, totalFen: total, voucherSubsidyFen: total, providerSubsidyFen: 0, awardMatchFen: 0, claims: paid.length, awards: 0 },
    };
  });
  if (settlements.length > 0) await conn.model("Settlement").collection.insertMany(settlements, { ordered: false });
  const paidIn = [...paidBy].filter(([period]) => settlements.some((s) => s.period === period)).flatMap(([period, paid]) => paid.map((p) => ({ period, ...p })));
  const claims = paidIn.map((p) => ({
    _id: `c-${p.voucherId}`, version: 2, voucherId: p.voucherId, enterpriseId: p.enterpriseId, providerId: spec.providerId, status: "approved", approvedPeriod: p.period,
    submittedAt: p.filedAt, lastSubmittedAt: p.filedAt, amountFen: p.provinceFen + p.cityFen, provinceFen: p.provinceFen, cityFen: p.cityFen,
  }));
  for (let k = 0; k < claims.length; k += BATCH) await conn.collection("voucher_claims").insertMany(claims.slice(k, k + BATCH) as never[], { ordered: false });
  for (let k = 0; k < log.length; k += BATCH) await conn.collection("stats_day_log").insertMany(log.slice(k, k + BATCH) as never[], { ordered: false });
  return { enterprises: synthetic.length, vouchers: written, settlements: settlements.length, claims: claims.length, dayLog: log.length };
}

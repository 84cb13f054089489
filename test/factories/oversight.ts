// Dated history for the oversight tests, written raw in the product's shapes: bookings (scheduling's
// projection, with their history), their vouchers (`v-<bookingId>`), settlements and policy
// versions. The API stamps everything with the real clock, so past years are written directly.
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { Connection } from "mongoose";
import type { BookingStatus, VoucherStatus } from "../../shared/enums";
import { DEFAULT_POLICY_TERMS } from "../../shared/voucher-split";

/** An instant in Shanghai: `sh("2031-03-31T23:59")`. */
export const sh = (iso: string) => DateTime.fromISO(iso, { zone: "Asia/Shanghai" }).toJSDate();
const hex = () => randomBytes(8).toString("hex");
const MIN = 60_000;
const HOUR = 3_600_000;

export interface BookingRowSpec {
  enterpriseId: string;
  providerId: string;
  createdAt: Date;
  status?: BookingStatus;
  /** The item's start (default: a day after creation) and length in hours. */
  start?: Date;
  hours?: number;
  priceFen?: number;
  /** Minutes from the request to the provider's confirmation (none: no "confirmed" event). */
  confirmAfterMin?: number;
  /** Completed this many hours after the item's end. */
  completedAfterEndH?: number;
  contract?: { amountFen: number; extrasFen?: number };
  /** A "cancelled" or "rejected" event by this user. */
  endedBy?: { type: "cancelled" | "rejected"; userId: string };
  useVoucher?: boolean;
}

export function bookingDoc(s: BookingRowSpec) {
  const id = `b-${hex()}`;
  const start = s.start ?? new Date(s.createdAt.getTime() + 24 * HOUR);
  const end = new Date(start.getTime() + (s.hours ?? 1) * HOUR);
  const completedAt = s.completedAfterEndH !== undefined ? new Date(end.getTime() + s.completedAfterEndH * HOUR) : undefined;
  const history: Record<string, unknown>[] = [{ seq: 1, type: "created", status: "pending", actorId: "someone", at: s.createdAt }];
  if (s.confirmAfterMin !== undefined) history.push({ seq: 2, type: "confirmed", status: "confirmed", actorId: "someone", at: new Date(s.createdAt.getTime() + s.confirmAfterMin * MIN), providerId: s.providerId });
  if (s.endedBy) history.push({ seq: history.length + 1, type: s.endedBy.type, status: s.endedBy.type, actorId: s.endedBy.userId, at: new Date(s.createdAt.getTime() + 2 * HOUR), reason: "测试" });
  const priceFen = s.priceFen ?? 10_000;
  const contract = s.contract ?? (completedAt ? { amountFen: priceFen } : undefined);
  return {
    _id: id, version: 1, kind: "instrument", status: s.status ?? (completedAt ? "completed" : "confirmed"), enterpriseId: s.enterpriseId, enterpriseName: "监管测试企业",
    providerIds: [s.providerId], actingProviderId: s.providerId, instrumentIds: ["i-oversight"], instrumentId: "i-oversight", title: "监管测试",
    items: [{ instrumentId: "i-oversight", instrumentName: "监管测试仪器", providerId: s.providerId, start, end, unit: 0, ...(completedAt ? { completedAt, contractAmountFen: contract?.amountFen } : {}) }],
    claimIds: [], priceFen, useVoucher: s.useVoucher ?? false, cancelDeadline: start, cancelDeadlineHours: 24, firstStart: start, lastEnd: end,
    ...(contract ? { contractAmountFen: contract.amountFen, contract: { status: "acknowledged", amountFen: contract.amountFen, extrasFen: contract.extrasFen ?? 0, recordedAt: completedAt ?? end } } : {}),
    history, createdBy: "oversight-test", createdAt: s.createdAt, updatedAt: s.createdAt,
  };
}

export async function insertBookings(conn: Connection, specs: BookingRowSpec[]): Promise<string[]> {
  const docs = specs.map(bookingDoc);
  await conn.collection("bookings").insertMany(docs as never[]);
  return docs.map((d) => d._id);
}

export interface VoucherSpec {
  enterpriseId: string;
  providerId: string;
  bookingId?: string;
  provinceFen: number;
  cityFen: number;
  status: VoucherStatus;
  issuedAt: Date;
  year?: number;
  policyId?: string;
}

export async function insertVouchers(conn: Connection, specs: VoucherSpec[]): Promise<string[]> {
  const docs = specs.map((v) => {
    const bookingId = v.bookingId ?? `b-${hex()}`;
    const period = DateTime.fromJSDate(v.issuedAt, { zone: "Asia/Shanghai" }).toFormat("yyyy-MM");
    const faceValueFen = v.provinceFen + v.cityFen;
    return {
      _id: `v-${bookingId}`, version: 1, enterpriseId: v.enterpriseId, bookingId, providerId: v.providerId, county: "linqing", accountId: `quota-ent-${v.enterpriseId}`,
      faceValueFen, provinceFen: v.provinceFen, cityFen: v.cityFen, listPriceFen: Math.round(faceValueFen / 0.9), reasons: [], status: v.status,
      year: v.year ?? Number(period.slice(0, 4)), period, policyId: v.policyId ?? "2000-01-01", issuedAt: v.issuedAt,
    };
  });
  await conn.collection("vouchers").insertMany(docs as never[]);
  return docs.map((d) => d._id);
}

/** A voucher booking and its voucher (face value 90% of the price, 60 : 30). */
export async function insertVoucherBooking(conn: Connection, spec: BookingRowSpec & { voucherStatus?: VoucherStatus; policyId?: string }): Promise<{ bookingId: string; voucherId: string }> {
  const [bookingId] = await insertBookings(conn, [{ ...spec, useVoucher: true }]);
  const price = spec.priceFen ?? 10_000;
  const [voucherId] = await insertVouchers(conn, [{
    enterpriseId: spec.enterpriseId, providerId: spec.providerId, bookingId: bookingId!, provinceFen: Math.round(price * 0.6), cityFen: Math.round(price * 0.3),
    status: spec.voucherStatus ?? "issued", issuedAt: new Date(spec.createdAt.getTime() + HOUR), ...(spec.policyId ? { policyId: spec.policyId } : {}),
  }]);
  return { bookingId: bookingId!, voucherId: voucherId! };
}

export type Line = { kind: "voucher_subsidy" | "provider_subsidy" | "award_match"; amountFen: number; source: "province" | "city"; voucherId?: string; awardId?: string };

export async function insertSettlement(conn: Connection, period: string, createdAt: Date, lines: Line[]) {
  const full = lines.map((l) => ({ payeeKind: l.kind === "voucher_subsidy" ? "enterprise" : "provider", payeeId: "x", payeeName: "监管测试", ...l }));
  await conn.collection("settlements").insertOne({ _id: period as never, period, lines: full, totals: {}, createdBy: "oversight-test", createdAt, completedAt: createdAt });
}

/** A policy version, written directly (the API only accepts a future day). */
export async function insertPolicy(conn: Connection, effectiveFrom: string, terms: Partial<typeof DEFAULT_POLICY_TERMS>) {
  await conn.collection("voucher_policies").insertOne({ _id: effectiveFrom as never, ...DEFAULT_POLICY_TERMS, ...terms, createdBy: null, createdAt: new Date() });
}

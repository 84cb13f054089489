// What oversight reads: the projections other modules keep (bookings, vouchers, settlements,
// enterprises, providers, memberships), read raw with a projection of the few fields used, the way
// the statistics read them. Oversight only reads; nothing here writes. At city scale each read is
// one scan of its collection on the embedded FerretDB (docs/oversight.md "Cost").
import type { Connection } from "mongoose";
import type { BookingStatus, VoucherStatus } from "../../../shared/enums";

export interface VoucherRow {
  _id: string;
  enterpriseId: string;
  providerId: string;
  bookingId: string;
  faceValueFen: number;
  provinceFen: number;
  cityFen: number;
  status: VoucherStatus;
  year: number;
  policyId: string;
  issuedAt: Date;
}

export interface BookingRow {
  _id: string;
  number?: string;
  status: BookingStatus;
  enterpriseId: string;
  enterpriseName: string;
  providerIds: string[];
  actingProviderId: string;
  items: { providerId: string; start: Date; end: Date; parts?: { start: Date; end: Date }[]; completedAt?: Date }[];
  history: { type: string; at: Date; actorId: string | null; providerId?: string }[];
  priceFen: number;
  useVoucher: boolean;
  contractAmountFen?: number;
  contract?: { amountFen: number; extrasFen: number; extrasReason?: string };
  firstStart: Date;
  createdAt: Date;
}

export interface SettlementRow {
  _id: string;
  createdAt: Date;
  lines: { kind: string; amountFen: number; source: string; voucherId?: string; awardId?: string }[];
}

export interface EnterpriseRow {
  _id: string;
  name: string;
  actualController?: string;
}

const VOUCHER_FIELDS = { enterpriseId: 1, providerId: 1, bookingId: 1, faceValueFen: 1, provinceFen: 1, cityFen: 1, status: 1, year: 1, policyId: 1, issuedAt: 1 };
const BOOKING_FIELDS = {
  number: 1, status: 1, enterpriseId: 1, enterpriseName: 1, providerIds: 1, actingProviderId: 1, items: 1, history: 1,
  priceFen: 1, useVoucher: 1, contractAmountFen: 1, contract: 1, firstStart: 1, createdAt: 1,
};

export class OversightSources {
  constructor(private readonly conn: Connection) {}

  private rows<T>(collection: string, filter: object, projection: object): Promise<T[]> {
    return this.conn.collection(collection).find(filter, { projection }).toArray() as Promise<unknown[]> as Promise<T[]>;
  }

  /** Vouchers of a quota year (the service day's year), whatever their state. */
  vouchersOfYear(year: number): Promise<VoucherRow[]> {
    return this.rows("vouchers", { year }, VOUCHER_FIELDS);
  }

  /** The vouchers of these bookings (`v-<bookingId>`: one per booking). */
  vouchersOfBookings(bookingIds: readonly string[]): Promise<VoucherRow[]> {
    if (bookingIds.length === 0) return Promise.resolve([]);
    return this.rows("vouchers", { _id: { $in: bookingIds.map((id) => `v-${id}`) } }, VOUCHER_FIELDS);
  }

  settlements(): Promise<SettlementRow[]> {
    return this.rows("settlements", {}, { createdAt: 1, lines: 1 });
  }

  /** Bookings created in [start, end). */
  bookingsCreatedBetween(start: Date, end: Date): Promise<BookingRow[]> {
    return this.rows("bookings", { createdAt: { $gte: start, $lt: end } }, BOOKING_FIELDS);
  }

  /** Voucher bookings still waiting for their providers: the budget's pipeline. */
  pendingVoucherBookings(): Promise<Pick<BookingRow, "_id" | "priceFen" | "firstStart">[]> {
    return this.rows("bookings", { status: "pending", useVoucher: true }, { priceFen: 1, firstStart: 1 });
  }

  enterprises(): Promise<EnterpriseRow[]> {
    return this.rows("enterprises", {}, { name: 1, actualController: 1 });
  }

  async names(collection: "enterprises" | "providers", ids: readonly string[]): Promise<Map<string, string>> {
    const docs = await this.rows<{ _id: string; name: string }>(collection, { _id: { $in: [...new Set(ids)] } }, { name: 1 });
    return new Map(docs.map((d) => [d._id, d.name]));
  }

  /** The organization each user belongs to now (memberships `_id` = userId). */
  async orgsOfUsers(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const docs = await this.rows<{ _id: string; orgId: string }>("memberships", { _id: { $in: [...new Set(userIds)] } }, { orgId: 1 });
    return new Map(docs.map((d) => [d._id, d.orgId]));
  }
}

// Voucher data (创新券). Exclusive decisions are inserts (DESIGN.md "The database"):
// - a policy version is `_id = <effectiveFrom>`: one version per day, never rewritten;
// - a quota account is an append-only chain `<accountId>:<n>` of ledger entries, each carrying the
//   balances after it; of two writers racing for entry n one wins, the other re-reads the head;
// - every entry has a unique idempotency `key` (`issue:<voucherId>`, `void:<voucherId>`, …), so a
//   retry after a crash finds its entry instead of moving the money twice;
// - a voucher is an event stream `<voucherId>:<n>` in `events`; `vouchers` is its projection.
import { Schema, type Connection } from "mongoose";
import type { County, SubsidyReason, VoucherStatus } from "../../../shared/enums";
import type { PolicyCreateBody } from "../../../shared/schemas/vouchers";

const opts = { versionKey: false, minimize: false } as const;

export type PolicyTermsDoc = Omit<PolicyCreateBody, "effectiveFrom" | "note">;
export interface PolicyDoc extends PolicyTermsDoc {
  _id: string; // the day it takes effect, YYYY-MM-DD
  note?: string;
  createdBy: string | null;
  createdAt: Date;
}
const policySchema = new Schema<PolicyDoc>({ _id: String, createdBy: { type: String, default: null }, createdAt: { type: Date, required: true } }, { ...opts, strict: false });

/** The kinds of money movement; later waves add redeem, provider_subsidy, award_match. */
export type EntryKind = "issue" | "void" | "expire" | "redeem" | "provider_subsidy" | "award_match";

export interface LedgerEntryDoc {
  _id: string; // `<accountId>:<seq>`
  accountId: string;
  seq: number;
  /** Idempotency key: the movement it records happens once (unique index). */
  key: string;
  kind: EntryKind;
  year: number;
  /** Changes and balances after this entry: held by issued vouchers, and redeemed (paid out). */
  heldDeltaFen: number;
  redeemedDeltaFen: number;
  heldFen: number;
  redeemedFen: number;
  /** The annual cap the entry was checked against (issue entries). */
  capFen: number;
  voucherId?: string;
  enterpriseId?: string;
  /** Issue entries: the voucher's split (provinceFen + cityFen = heldDeltaFen) and why it is short. */
  provinceFen?: number;
  cityFen?: number;
  reasons?: SubsidyReason[];
  policyId?: string;
  at: Date;
}
const ledgerSchema = new Schema<LedgerEntryDoc>(
  {
    _id: String,
    accountId: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true, unique: true },
    kind: { type: String, required: true },
    year: { type: Number, required: true },
    heldDeltaFen: { type: Number, required: true },
    redeemedDeltaFen: { type: Number, required: true },
    heldFen: { type: Number, required: true },
    redeemedFen: { type: Number, required: true },
    capFen: { type: Number, required: true },
    voucherId: String,
    enterpriseId: String,
    provinceFen: Number,
    cityFen: Number,
    reasons: { type: [String], default: undefined },
    policyId: String,
    at: { type: Date, required: true },
  },
  opts,
);

/** Where an account's chain was last seen to end: a hint only (readers walk on from it by `_id`). */
export interface AccountHeadDoc {
  _id: string;
  seq: number;
}
const accountHeadSchema = new Schema<AccountHeadDoc>({ _id: String, seq: { type: Number, required: true } }, opts);

/** The projection of a voucher's stream. */
export interface VoucherDoc {
  _id: string;
  version: number;
  enterpriseId: string;
  bookingId: string;
  providerId: string;
  county: County;
  accountId: string;
  faceValueFen: number;
  provinceFen: number;
  cityFen: number;
  listPriceFen: number;
  reasons: SubsidyReason[];
  status: VoucherStatus;
  year: number;
  period: string;
  policyId: string;
  issuedAt: Date;
  voidedAt?: Date;
  voidReason?: string;
  /** Set once the void entry is written: the repair pass skips it (a projection flag, not a guard). */
  quotaReturned?: boolean;
}
const voucherSchema = new Schema<VoucherDoc>(
  {
    _id: String,
    version: { type: Number, required: true },
    enterpriseId: { type: String, required: true, index: true },
    bookingId: { type: String, required: true },
    providerId: { type: String, required: true },
    county: { type: String, required: true },
    accountId: { type: String, required: true },
    faceValueFen: { type: Number, required: true },
    provinceFen: { type: Number, required: true },
    cityFen: { type: Number, required: true },
    listPriceFen: { type: Number, required: true },
    reasons: { type: [String], default: [] },
    status: { type: String, required: true },
    year: { type: Number, required: true },
    period: { type: String, required: true },
    policyId: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    voidedAt: Date,
    voidReason: String,
    quotaReturned: Boolean,
  },
  opts,
);

export function voucherModels(conn: Connection) {
  return {
    policies: conn.model<PolicyDoc>("VoucherPolicy", policySchema, "voucher_policies"),
    ledger: conn.model<LedgerEntryDoc>("LedgerEntry", ledgerSchema, "ledger_entries"),
    heads: conn.model<AccountHeadDoc>("QuotaAccountHead", accountHeadSchema, "quota_account_heads"),
    vouchers: conn.model<VoucherDoc>("Voucher", voucherSchema, "vouchers"),
  };
}
export type VoucherModels = ReturnType<typeof voucherModels>;

// Claims and settlements. A claim is the event stream `<claimId>:<n>` in `events` (claim id
// `c-<voucherId>`: one claim per voucher), projected into `voucher_claims`. A settlement is the
// insert of `settlements._id = <period>` holding all its lines: a second trigger meets the first.
import { Schema, type Connection } from "mongoose";
import type { County } from "../../../shared/enums";
import type { ClaimAttachmentInput, ClaimEventType, ClaimStatus } from "../../../shared/schemas/claims";
import type { SettlementLine, SettlementTotals } from "../../../shared/schemas/settlements";

const opts = { versionKey: false, minimize: false } as const;

export const claimIdOf = (voucherId: string) => `c-${voucherId}`;

export interface ClaimHistoryDoc {
  n: number;
  type: ClaimEventType;
  at: Date;
  by: string;
  reason?: string;
}

/** What a (re)submission fixes: the evidence and the amounts computed from the acknowledged contract. */
export interface ClaimFiling {
  invoiceNo: string;
  contractNo: string;
  attachments: ClaimAttachmentInput[];
  contractAmountFen: number;
  amountFen: number;
  provinceFen: number;
  cityFen: number;
}

export interface ClaimDoc extends ClaimFiling {
  _id: string;
  version: number;
  voucherId: string;
  bookingId: string;
  enterpriseId: string;
  providerId: string;
  county: County;
  accountId: string;
  year: number;
  faceValueFen: number;
  policyId: string;
  completedAt: Date;
  deadline: Date;
  status: ClaimStatus;
  submittedAt: Date;
  lastSubmittedAt: Date;
  decidedAt?: Date;
  approvedPeriod?: string;
  reason?: string;
  history: ClaimHistoryDoc[];
}
const claimSchema = new Schema<ClaimDoc>(
  {
    _id: String,
    version: { type: Number, required: true },
    voucherId: { type: String, required: true },
    enterpriseId: { type: String, required: true, index: true },
    providerId: { type: String, required: true },
    status: { type: String, required: true },
    approvedPeriod: String,
    submittedAt: Date,
  },
  { ...opts, strict: false },
);

export interface SettlementDoc {
  _id: string; // the period, YYYY-MM
  period: string;
  lines: SettlementLine[];
  totals: SettlementTotals;
  createdBy: string;
  createdAt: Date;
  /** Set once every redemption and payout entry is written: the repair pass skips it (a hint, not a guard). */
  completedAt?: Date;
}
const settlementSchema = new Schema<SettlementDoc>(
  { _id: String, period: { type: String, required: true }, createdAt: { type: Date, required: true }, completedAt: Date },
  { ...opts, strict: false },
);

export function claimModels(conn: Connection) {
  return {
    claims: conn.model<ClaimDoc>("VoucherClaim", claimSchema, "voucher_claims"),
    settlements: conn.model<SettlementDoc>("Settlement", settlementSchema, "settlements"),
  };
}
export type ClaimModels = ReturnType<typeof claimModels>;

// Voucher claims (创新券兑付申请): the enterprise files one claim per voucher with its evidence pack,
// the bureau reviews it (approve / reject / return for correction), an approved claim is paid in the
// next monthly settlement. See docs/settlement.md.
import { COUNTY_CODES } from "../enums";
import { DateTime, Fen, Id, Page, PageQuery, StringEnum, Type, type Static } from "./common";

const Period = Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])$" });
const DocumentNo = Type.String({ minLength: 1, maxLength: 64, pattern: "\\S" });
const Reason = Type.String({ minLength: 1, maxLength: 1000, pattern: "\\S" });

/** submitted: waiting for the bureau (also after a resubmission); returned: sent back for correction; approved / rejected: final. */
export const CLAIM_STATUSES = ["submitted", "returned", "approved", "rejected"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
/** The evidence pack the rules ask for: every kind at least once. payment_proof: the enterprise paid the provider. */
export const CLAIM_EVIDENCE_KINDS = ["contract", "invoice", "payment_proof"] as const;
export type ClaimEvidenceKind = (typeof CLAIM_EVIDENCE_KINDS)[number];
export const CLAIM_DECISIONS = ["approve", "reject", "return"] as const;
export type ClaimDecision = (typeof CLAIM_DECISIONS)[number];
/** The events of a claim's stream `<claimId>:<n>`, shown as its history. */
export const CLAIM_EVENT_TYPES = ["submitted", "resubmitted", "approved", "rejected", "returned"] as const;
export type ClaimEventType = (typeof CLAIM_EVENT_TYPES)[number];

export const ClaimAttachmentInput = Type.Object(
  { kind: StringEnum(CLAIM_EVIDENCE_KINDS), uploadId: Id },
  { additionalProperties: false },
);
export type ClaimAttachmentInput = Static<typeof ClaimAttachmentInput>;
const Attachments = Type.Array(ClaimAttachmentInput, { minItems: 3, maxItems: 20 });

/** The correctable part of a claim: what a returned claim's resubmission replaces. */
const EvidenceFields = { invoiceNo: DocumentNo, contractNo: DocumentNo, attachments: Attachments };

export const ClaimCreateBody = Type.Object({ voucherId: Id, ...EvidenceFields }, { additionalProperties: false });
export type ClaimCreateBody = Static<typeof ClaimCreateBody>;
/** POST /api/claims/:id/resubmit: the corrected evidence of a returned claim (the whole pack again). */
export const ClaimResubmitBody = Type.Object(EvidenceFields, { additionalProperties: false });
export type ClaimResubmitBody = Static<typeof ClaimResubmitBody>;
/** reason is required for reject and return (422 CLAIM_REASON_REQUIRED). */
export const ClaimReviewBody = Type.Object(
  { decision: StringEnum(CLAIM_DECISIONS), reason: Type.Optional(Reason) },
  { additionalProperties: false },
);
export type ClaimReviewBody = Static<typeof ClaimReviewBody>;

export const ClaimAttachment = Type.Object({
  kind: StringEnum(CLAIM_EVIDENCE_KINDS),
  uploadId: Id,
  name: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ClaimAttachment = Static<typeof ClaimAttachment>;

export const ClaimHistoryEntry = Type.Object({
  n: Type.Integer({ minimum: 1 }),
  type: StringEnum(CLAIM_EVENT_TYPES),
  at: DateTime,
  /** The user who acted. */
  by: Type.String(),
  reason: Type.Optional(Type.String()),
});
export type ClaimHistoryEntry = Static<typeof ClaimHistoryEntry>;

export const Claim = Type.Object({
  /** `c-<voucherId>`: one claim per voucher. */
  id: Id,
  voucherId: Id,
  bookingId: Id,
  enterpriseId: Id,
  enterpriseName: Type.String(),
  providerId: Id,
  providerName: Type.String(),
  county: StringEnum(COUNTY_CODES),
  status: StringEnum(CLAIM_STATUSES),
  invoiceNo: Type.String(),
  contractNo: Type.String(),
  /** Left out for the provider (the enterprise's documents). */
  attachments: Type.Optional(Type.Array(ClaimAttachment)),
  /** The acknowledged contract amount; amountFen = min(it, the voucher's coverage), split by the policy. */
  contractAmountFen: Fen,
  faceValueFen: Fen,
  /** The subsidy claimed: provinceFen + cityFen. */
  amountFen: Fen,
  provinceFen: Fen,
  cityFen: Fen,
  /** What the enterprise bears itself: contractAmountFen − amountFen. */
  enterpriseFen: Fen,
  policyId: Id,
  /** When the service was completed, and the end of the claim window (completion + claimWindowMonths). */
  completedAt: DateTime,
  deadline: DateTime,
  /** The first submission; lastSubmittedAt the latest (re)submission. */
  submittedAt: DateTime,
  lastSubmittedAt: DateTime,
  decidedAt: Type.Optional(DateTime),
  /** Month of approval (Asia/Shanghai): the claim is paid in the settlement of this period. */
  approvedPeriod: Type.Optional(Period),
  /** The latest decision's reason (return / reject). */
  reason: Type.Optional(Type.String()),
  settlementId: Type.Optional(Id),
  history: Type.Array(ClaimHistoryEntry),
});
export type Claim = Static<typeof Claim>;

export const ClaimListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(CLAIM_STATUSES)),
    county: Type.Optional(StringEnum(COUNTY_CODES)),
    /** Month (YYYY-MM, Asia/Shanghai) of the first submission, or of the approval for status=approved. */
    period: Type.Optional(Period),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ClaimListQuery = Static<typeof ClaimListQuery>;
export const ClaimPage = Page(Claim);
export type ClaimPage = Static<typeof ClaimPage>;

// Claim and settlement shapes from shared/schemas (branch i10-settle), under the names the pages use.
export { CLAIM_STATUSES, CLAIM_EVIDENCE_KINDS as ATTACHMENT_KINDS, CLAIM_DECISIONS as REVIEW_DECISIONS } from "@shared/schemas/claims";
export type {
  Claim,
  ClaimAttachment,
  ClaimCreateBody as ClaimBody,
  ClaimDecision as ReviewDecision,
  ClaimEvidenceKind as AttachmentKind,
  ClaimListQuery,
  ClaimResubmitBody,
  ClaimReviewBody as ReviewBody,
  ClaimStatus,
} from "@shared/schemas/claims";
export type { Settlement, SettlementLine, SettlementList, SettlementSummary } from "@shared/schemas/settlements";

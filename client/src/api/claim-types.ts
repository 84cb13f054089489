// Claim and settlement shapes, until shared/schemas/claims.ts and settlements.ts (branch i10-settle)
// land: then this file re-exports those and the pages keep their imports.
export const CLAIM_STATUSES = ["submitted", "approved", "rejected", "returned", "settled"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const ATTACHMENT_KINDS = ["contract", "invoice", "payment_proof"] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const REVIEW_DECISIONS = ["approve", "reject", "return"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export interface ClaimAttachment {
  kind: AttachmentKind;
  uploadId: string;
  name?: string;
}
export interface ClaimBody {
  voucherId: string;
  invoiceNo: string;
  contractNo: string;
  attachments: ClaimAttachment[];
}
export interface Claim extends ClaimBody {
  id: string;
  enterpriseId: string;
  enterpriseName?: string;
  bookingId: string;
  county?: string;
  status: ClaimStatus;
  amountFen: number;
  provinceFen: number;
  cityFen: number;
  submittedAt: string;
  reviewedAt?: string;
  reason?: string;
}
export interface ClaimListQuery {
  status?: ClaimStatus;
  county?: string;
  period?: string;
  voucherId?: string;
  page?: number;
  pageSize?: number;
}
export interface ReviewBody {
  decision: ReviewDecision;
  reason?: string;
}
export interface SettlementLine {
  kind: string;
  payeeId: string;
  payeeName: string;
  amountFen: number;
  source: string;
  claimId?: string;
  voucherId?: string;
}
export interface Settlement {
  id: string;
  period: string;
  lines: SettlementLine[];
  totals: Record<string, number>;
  createdAt?: string;
}

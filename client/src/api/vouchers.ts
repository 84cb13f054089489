// Typed calls for innovation vouchers (创新券, issue 10): policy versions, quotes, the quota, vouchers,
// the actual controller, uploads (with progress), claims and the monthly settlement (兑付).
import type { PageOf } from "@shared/schemas/common";
import type { Upload } from "@shared/schemas/evidence";
import type { Policy, PolicyCreateBody, PolicyList, Quota, Quote, QuoteQuery, Voucher, VoucherListQuery } from "@shared/schemas/vouchers";
import type { Enterprise } from "@shared/schemas/accounts";
import { http, postFile } from "./http";
import type { PayoutList } from "@shared/schemas/settlements";
import type { Claim, ClaimBody, ClaimListQuery, ClaimResubmitBody, ReviewBody, Settlement, SettlementList } from "./claim-types";

const enc = encodeURIComponent;

export const policyApi = {
  list: () => http.get<PolicyList>("/api/policies"),
  create: (body: PolicyCreateBody) => http.post<Policy>("/api/policies", body),
};

export const quoteApi = {
  get: (query: QuoteQuery) => http.get<Quote>("/api/quotes", { ...query }),
};

export const voucherApi = {
  quota: (enterpriseId: string, year?: number) => http.get<Quota>(`/api/enterprises/${enc(enterpriseId)}/quota`, { year }),
  list: (query: VoucherListQuery) => http.get<PageOf<Voucher>>("/api/vouchers", { ...query }),
  setController: (enterpriseId: string, actualController: string | null) =>
    http.post<Enterprise>(`/api/enterprises/${enc(enterpriseId)}/actual-controller`, { actualController }),
};

export const claimApi = {
  file: (body: ClaimBody) => http.post<Claim>("/api/claims", body),
  list: (query: ClaimListQuery) => http.get<PageOf<Claim>>("/api/claims", { ...query }),
  get: (id: string) => http.get<Claim>(`/api/claims/${enc(id)}`),
  /** A returned claim, corrected: the whole evidence pack again. */
  resubmit: (id: string, body: ClaimResubmitBody) => http.post<Claim>(`/api/claims/${enc(id)}/resubmit`, body),
  review: (id: string, body: ReviewBody) => http.post<Claim>(`/api/claims/${enc(id)}/review`, body),
};

export const settlementApi = {
  run: (period: string) => http.post<Settlement>("/api/settlements", { period }),
  get: (id: string) => http.get<Settlement>(`/api/settlements/${enc(id)}`),
  list: () => http.get<SettlementList>("/api/settlements"),
  exportUrl: (id: string, format: "xlsx" | "csv") => `/api/settlements/${enc(id)}/export?format=${format}`,
};

/** What the monthly settlements paid my organization (a provider: its subsidies and award matches). */
export const payoutApi = {
  mine: (year?: number) => http.get<PayoutList>("/api/payouts", { year }),
};

/** Where an upload's file is served (to the uploader's organization and the bureau only). */
export const uploadUrl = (id: string) => `/api/uploads/${enc(id)}`;

/** Uploads one evidence file (multipart field `file`), reporting progress. */
export function uploadFile(file: File, onProgress: (percent: number) => void): Promise<Upload> {
  return postFile<Upload>("/api/uploads", file, onProgress);
}

// HTTP adapter for claims (兑付申请) and monthly settlements (兑付). The service checks who sees which
// claim; settlements are the bureau's.
import { IdParams } from "../../../shared/schemas/common";
import * as C from "../../../shared/schemas/claims";
import * as S from "../../../shared/schemas/settlements";
import { route, type RouteSpec } from "../../http/route";
import type { VoucherClaimsService } from "./claims-service";

const ENTERPRISE = ["enterprise_admin", "enterprise_member"] as const;
const PROVIDER = ["provider_admin", "provider_staff"] as const;
const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;

export function claimRoutes(d: { claims: VoucherClaimsService }): RouteSpec[] {
  return [
    route({
      method: "post", path: "/api/claims", tag: "claims", access: ENTERPRISE, status: 201,
      summary: "File the claim of one of my enterprise's vouchers with its evidence (contract, invoice, payment proof) within the claim window",
      body: C.ClaimCreateBody, response: C.Claim,
      errors: ["NOT_FOUND", "CLAIM_EXISTS", "VOUCHER_NOT_CLAIMABLE", "CLAIM_SERVICE_NOT_COMPLETED", "CLAIM_WINDOW_CLOSED", "CONTRACT_NOT_ACKNOWLEDGED", "CLAIM_EVIDENCE_MISSING", "CLAIM_UPLOAD_INVALID"],
      handler: async ({ actor, body }) => d.claims.file(actor!, body),
    }),
    route({
      method: "get", path: "/api/claims", tag: "claims", access: [...ENTERPRISE, ...PROVIDER, ...BUREAU],
      summary: "Claims of my enterprise, on my provider's services (without attachments), or all (the bureau), with filters",
      query: C.ClaimListQuery, response: C.ClaimPage,
      handler: async ({ actor, query }) => d.claims.list(actor!, query),
    }),
    route({
      method: "get", path: "/api/claims/:id", tag: "claims", access: [...ENTERPRISE, ...PROVIDER, ...BUREAU],
      summary: "A claim with its history and deadline (its enterprise, its provider without attachments, the bureau)",
      params: IdParams, response: C.Claim, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.claims.get(actor!, params.id),
    }),
    route({
      method: "post", path: "/api/claims/:id/review", tag: "claims", access: BUREAU,
      summary: "Approve, reject or return a submitted claim (a reason for reject and return); a rejected claim's voucher gives its quota back",
      params: IdParams, body: C.ClaimReviewBody, response: C.Claim, errors: ["NOT_FOUND", "CLAIM_REASON_REQUIRED", "CLAIM_NOT_PENDING"],
      handler: async ({ actor, params, body }) => d.claims.review(actor!, params.id, body),
    }),
    route({
      method: "post", path: "/api/claims/:id/resubmit", tag: "claims", access: ENTERPRISE,
      summary: "Correct and resubmit a returned claim (the whole evidence pack again) before its deadline",
      params: IdParams, body: C.ClaimResubmitBody, response: C.Claim,
      errors: ["NOT_FOUND", "CLAIM_NOT_RETURNED", "VOUCHER_NOT_CLAIMABLE", "CLAIM_WINDOW_CLOSED", "CONTRACT_NOT_ACKNOWLEDGED", "CLAIM_EVIDENCE_MISSING", "CLAIM_UPLOAD_INVALID"],
      handler: async ({ actor, params, body }) => d.claims.resubmit(actor!, params.id, body),
    }),
    route({
      method: "post", path: "/api/settlements", tag: "settlements", access: ["bureau_admin"],
      summary: "Settle a month once it is over: 201 the first time, 200 with the same settlement after (exactly once)",
      body: S.SettlementBody, response: S.Settlement, errors: ["PERIOD_OPEN"], alsoStatus: [201],
      handler: async ({ actor, body, res }) => {
        const { settlement, created } = await d.claims.settle(actor!, body.period);
        res.status(created ? 201 : 200);
        return settlement;
      },
    }),
    route({
      method: "get", path: "/api/settlements", tag: "settlements", access: BUREAU,
      summary: "Settlements, newest period first, with their totals",
      response: S.SettlementList,
      handler: async () => d.claims.listSettlements(),
    }),
    route({
      method: "get", path: "/api/settlements/:id", tag: "settlements", access: BUREAU,
      summary: "A settlement's lines and totals",
      params: IdParams, response: S.Settlement, errors: ["NOT_FOUND"],
      handler: async ({ params }) => d.claims.getSettlement(params.id),
    }),
    route({
      method: "get", path: "/api/payouts", tag: "settlements", access: [...ENTERPRISE, ...PROVIDER],
      summary: "What settlements paid my organization (an enterprise's voucher subsidies, a provider's subsidies and award matches)",
      query: S.PayoutQuery, response: S.PayoutList,
      handler: async ({ actor, query }) => d.claims.payouts(actor!, query.year),
    }),
    route({
      method: "get", path: "/api/settlements/:id/export", tag: "settlements", access: BUREAU,
      summary: "The payout file for the finance office (xlsx or csv): payee, bank fields, amount in yuan, funding source",
      params: IdParams, query: S.SettlementExportQuery, response: S.SettlementExportFile, errors: ["NOT_FOUND"],
      file: { types: ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"] },
      handler: async ({ params, query, res }) => {
        const format = query.format ?? "xlsx";
        const file = await d.claims.exportSettlement(params.id, format);
        res.set({
          "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "Content-Disposition": `attachment; filename="settlement-${params.id}.${format}"`,
          "Cache-Control": "private, no-store",
        });
        res.send(file);
      },
    }),
  ];
}

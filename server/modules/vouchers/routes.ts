// HTTP adapter for vouchers: policy versions, quotes, quotas, voucher lists, the ledger check and the
// bureau's verified actual controller. The service checks who sees which enterprise's data.
import { IdParams } from "../../../shared/schemas/common";
import { Enterprise } from "../../../shared/schemas/accounts";
import * as S from "../../../shared/schemas/vouchers";
import { route, type RouteSpec } from "../../http/route";
import type { VoucherService } from "./service";
import type { VoucherClaimsService } from "./claims-service";

const ENTERPRISE = ["enterprise_admin", "enterprise_member"] as const;
const PROVIDER = ["provider_admin", "provider_staff"] as const;
const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;

export function voucherRoutes(d: { vouchers: VoucherService; claims: VoucherClaimsService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/policies", tag: "vouchers", access: "public",
      summary: "Voucher policy versions, oldest first, and the one in force today",
      response: S.PolicyList,
      handler: async () => d.vouchers.listPolicies(),
    }),
    route({
      method: "post", path: "/api/policies", tag: "vouchers", access: ["bureau_admin"], status: 201,
      summary: "Add a policy version taking effect from a future day (history is never rewritten)",
      body: S.PolicyCreateBody, response: S.Policy, errors: ["POLICY_NOT_FUTURE", "POLICY_DATE_TAKEN"],
      handler: async ({ actor, body }) => d.vouchers.createPolicy(actor!, body),
    }),
    route({
      method: "get", path: "/api/quotes", tag: "vouchers", access: ENTERPRISE,
      summary: "The subsidy split of instrument time or a package for my enterprise, and the quota left after it",
      query: S.QuoteQuery, response: S.Quote, errors: ["NOT_FOUND"],
      handler: async ({ actor, query }) => d.vouchers.quote(actor!, query),
    }),
    route({
      method: "get", path: "/api/enterprises/:id/quota", tag: "vouchers", access: [...ENTERPRISE, ...BUREAU],
      summary: "An enterprise's voucher quota for a year (its members and the bureau)",
      params: IdParams, query: S.QuotaQuery, response: S.Quota, errors: ["NOT_FOUND"],
      handler: async ({ actor, params, query }) => d.vouchers.quota(actor!, params.id, query.year),
    }),
    route({
      method: "post", path: "/api/enterprises/:id/actual-controller", tag: "vouchers", access: BUREAU,
      summary: "Record the verified actual controller of an enterprise (enterprises with the same one share a quota)",
      params: IdParams, body: S.ActualControllerBody, response: Enterprise, errors: ["NOT_FOUND", "CONTROLLER_HAS_VOUCHERS"],
      handler: async ({ actor, params, body }) => d.vouchers.setActualController(actor!, params.id, body.actualController),
    }),
    route({
      method: "get", path: "/api/vouchers", tag: "vouchers", access: [...ENTERPRISE, ...PROVIDER, ...BUREAU],
      summary: "Vouchers of my enterprise, for my provider's services, or all (the bureau), with filters",
      query: S.VoucherListQuery, response: S.VoucherPage,
      handler: async ({ actor, query }) => d.vouchers.list(actor!, query),
    }),
    route({
      method: "get", path: "/api/ledger/verify", tag: "vouchers", access: BUREAU,
      summary: "Recompute every quota account and settlement total from the ledger and report any difference",
      response: S.LedgerVerification,
      handler: async () => d.claims.verify(),
    }),
  ];
}

// HTTP adapter for a provider's subsidies: the lines of the monthly settlements paid to it (the
// settlements themselves stay the bureau's). Kept apart from claim-routes.ts: the client's page
// needs it, the settlement code does not.
import { ProviderSubsidyList, type ProviderSubsidyLine } from "../../../shared/schemas/subsidies";
import { route, type RouteSpec } from "../../http/route";
import type { VoucherClaimsService } from "./claims-service";

const PROVIDER = ["provider_admin", "provider_staff"] as const;

/** Every settlement line paid to `providerId`, newest period first (one read per settlement: a dozen a year). */
export async function providerSubsidies(claims: VoucherClaimsService, providerId: string): Promise<ProviderSubsidyLine[]> {
  const { items } = await claims.listSettlements();
  const settlements = await Promise.all(items.map((s) => claims.getSettlement(s.id)));
  return settlements
    .sort((a, b) => b.period.localeCompare(a.period))
    .flatMap((s) =>
      s.lines
        .filter((l) => l.payeeKind === "provider" && l.payeeId === providerId && l.kind !== "voucher_subsidy")
        .map((l) => ({
          period: s.period,
          kind: l.kind as ProviderSubsidyLine["kind"],
          source: l.source,
          amountFen: l.amountFen,
          ...(l.claimId ? { claimId: l.claimId } : {}),
          ...(l.voucherId ? { voucherId: l.voucherId } : {}),
          ...(l.awardId ? { awardId: l.awardId } : {}),
        })),
    );
}

export function subsidyRoutes(d: { claims: VoucherClaimsService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/subsidies", tag: "settlements", access: PROVIDER,
      summary: "What the monthly settlements paid my provider: provider subsidies and award matches",
      response: ProviderSubsidyList,
      handler: async ({ actor }) => ({ items: await providerSubsidies(d.claims, actor!.membership!.orgId) }),
    }),
  ];
}

// What a service earns: the shares the policy in force on its service day gives this enterprise for
// this provider, the per-service cap, and which quota account it draws on. Quotes, the expected split
// on a booking and issuing all use this, so they never disagree.
import { DateTime } from "luxon";
import { isInCity, type SubsidyReason } from "../../../shared/enums";
import { nameKey } from "../../../shared/normalize";
import { CITY_ZONE, splitSubsidy, type Split, type SplitRates } from "../../../shared/voucher-split";
import type { EnterpriseDoc, ProviderDoc } from "../accounts/model";
import type { OrgStream } from "../accounts/org-stream";
import type { Head } from "./ledger";
import { quotaAccountId } from "./ledger";
import type { PolicyDoc } from "./model";
import type { PolicyService } from "./policy";

export interface Assessment {
  policy: PolicyDoc;
  listPriceFen: number;
  rates: SplitRates;
  /** Subsidy limit of one service (Infinity: none). */
  serviceCapFen: number;
  /** Reasons known before the quota is read. */
  reasons: SubsidyReason[];
  enterprise: EnterpriseDoc;
  accountId: string;
  year: number;
}

export interface ServiceToAssess {
  enterpriseId: string;
  providerId: string;
  listPriceFen: number;
  /** The service's start: its day picks the policy, its year the quota. */
  serviceAt: number;
}

/** The split within what the quota has left, with every reason a share falls short. */
export function splitWithinQuota(a: Assessment, head: Head): Split & { reasons: SubsidyReason[]; availableFen: number } {
  const availableFen = Math.max(0, a.policy.annualCapFen - head.heldFen - head.redeemedFen);
  const full = splitSubsidy(a.listPriceFen, a.rates);
  const fullTotal = full.provinceFen + full.cityFen;
  const split = splitSubsidy(a.listPriceFen, a.rates, Math.min(a.serviceCapFen, availableFen));
  const total = split.provinceFen + split.cityFen;
  const reasons = [...a.reasons];
  if (fullTotal > a.serviceCapFen) reasons.push("SERVICE_CAP");
  if (total < Math.min(fullTotal, a.serviceCapFen)) reasons.push("CAP_REACHED");
  return { ...split, reasons, availableFen };
}

export class SubsidyAssessor {
  constructor(
    private readonly policies: PolicyService,
    private readonly orgs: OrgStream,
    private readonly isAdmitted: (providerId: string, at: Date) => Promise<boolean>,
  ) {}

  /** The enterprise or null when it does not exist. */
  enterprise(id: string): Promise<EnterpriseDoc | null> {
    return this.orgs.load("enterprise", id) as Promise<EnterpriseDoc | null>;
  }

  accountOf(enterprise: EnterpriseDoc, year: number): string {
    return quotaAccountId(enterprise, year, nameKey);
  }

  async assess(s: ServiceToAssess): Promise<Assessment | null> {
    const enterprise = await this.enterprise(s.enterpriseId);
    if (!enterprise) return null;
    const provider = (await this.orgs.load("provider", s.providerId)) as ProviderDoc | null;
    const local = DateTime.fromMillis(s.serviceAt, { zone: CITY_ZONE });
    const policy = await this.policies.inForce(local.toISODate()!);
    const reasons: SubsidyReason[] = [];
    // The registry (科技型中小企业入库): an approved enterprise; eligible sizes per policy.
    if (enterprise.status !== "approved") reasons.push("NOT_IN_REGISTRY");
    else if (!policy.eligibleEnterpriseSizes.includes(enterprise.size)) reasons.push("NOT_ELIGIBLE_KIND");
    if (reasons.length === 0 && policy.admittedProvidersOnly && !(await this.isAdmitted(s.providerId, new Date(s.serviceAt)))) {
      reasons.push("PROVIDER_NOT_ADMITTED");
    }
    const eligible = reasons.length === 0;
    const providerLocal = !!provider && isInCity(provider.county);
    const cityPays = eligible && (providerLocal || !policy.cityLocalProvidersOnly);
    if (eligible && !cityPays) reasons.push("PROVIDER_NOT_LOCAL");
    // The province's rate by region: this city's enterprises (in one of its counties) get the in-city rate.
    const provinceBp = !eligible ? 0 : isInCity(enterprise.county) ? policy.provinceBpInCity : policy.provinceBpElsewhere;
    return {
      policy,
      listPriceFen: s.listPriceFen,
      rates: { provinceBp, cityBp: cityPays ? policy.cityBp : 0 },
      serviceCapFen: policy.perServiceCapFen ?? Infinity,
      reasons,
      enterprise,
      accountId: this.accountOf(enterprise, local.year),
      year: local.year,
    };
  }
}

// The innovation-voucher (创新券) arithmetic, pure and shared: the server issues with it, the client
// previews with it, the tests pin it. Money is integer fen; rates are basis points (1 bp = 0.01%).
//
// Rounding (policy "rounding", DESIGN.md): to the fen, half up; the province share is computed
// first, the subsidy total second, and the city share is total − province, so the parts always add
// up to the amount: province + city + enterprise = amount, whatever the rates and caps.

export const BP = 10_000;

/** amount × bp / 10,000 rounded half up to a whole fen (exact in doubles up to 9e11 fen). */
export function percentOfFen(amountFen: number, bp: number): number {
  return Math.floor((amountFen * bp + BP / 2) / BP);
}

export interface SplitRates {
  /** The province's rate for this service (0 when it pays nothing). */
  provinceBp: number;
  /** The city's rate for this service (0 for a provider outside the city). */
  cityBp: number;
}

export interface Split {
  provinceFen: number;
  cityFen: number;
  /** What the enterprise pays itself: the amount minus the subsidy. */
  enterpriseFen: number;
}

/**
 * The split of a service amount. `capFen` (per-service cap, quota left) limits the subsidy
 * (province + city); a capped subsidy is shared between province and city in the rates' proportion,
 * province first, city the rest.
 */
export function splitSubsidy(amountFen: number, rates: SplitRates, capFen = Infinity): Split {
  const fullTotal = percentOfFen(amountFen, rates.provinceBp + rates.cityBp);
  const total = Math.max(0, Math.min(fullTotal, capFen));
  let provinceFen: number;
  if (total === fullTotal) provinceFen = percentOfFen(amountFen, rates.provinceBp);
  else provinceFen = Math.floor((total * rates.provinceBp * 2 + (rates.provinceBp + rates.cityBp)) / (2 * (rates.provinceBp + rates.cityBp)));
  provinceFen = Math.min(provinceFen, total);
  return { provinceFen, cityFen: total - provinceFen, enterpriseFen: amountFen - total };
}

/** The provider subsidy (5% of the contract amount by default), local providers only. */
export function providerSubsidyFen(contractAmountFen: number, providerSubsidyBp: number): number {
  return percentOfFen(contractAmountFen, providerSubsidyBp);
}

/** The city's calendar zone: policy days, quota years and voucher periods are its local dates. */
export const CITY_ZONE = "Asia/Shanghai";

/** The article's numbers (DESIGN.md "The rules the article gives"): the policy in force from the start. */
export const DEFAULT_POLICY_TERMS = {
  provinceBpInCity: 6000,
  provinceBpElsewhere: 4000,
  cityBp: 3000,
  cityLocalProvidersOnly: true,
  annualCapFen: 65_000_000, // 650,000 yuan of subsidy a year
  perServiceCapFen: null as number | null,
  providerSubsidyBp: 500,
  awardMatchBp: 10_000,
  claimWindowMonths: 6,
  settlementCycle: "monthly" as const,
  eligibleEnterpriseSizes: ["micro", "small", "medium"] as ("micro" | "small" | "medium")[],
  // The bureau turns this on once providers have gone through admission (公示准入).
  admittedProvidersOnly: false as boolean,
  rounding: "fen_half_up_province_first" as const,
};
export const DEFAULT_POLICY_FROM = "2000-01-01";

// What the monthly settlements paid one provider (补贴): its provider-subsidy and award-match lines.
// The settlements themselves are the bureau's; a provider reads only its own lines.
import { Fen, Id, StringEnum, Type, type Static } from "./common";
import { FUNDING_SOURCES } from "./settlements";

export const ProviderSubsidyLine = Type.Object({
  period: Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])$" }),
  kind: StringEnum(["provider_subsidy", "award_match"] as const),
  source: StringEnum(FUNDING_SOURCES),
  amountFen: Fen,
  claimId: Type.Optional(Id),
  voucherId: Type.Optional(Id),
  awardId: Type.Optional(Id),
});
export type ProviderSubsidyLine = Static<typeof ProviderSubsidyLine>;
export const ProviderSubsidyList = Type.Object({ items: Type.Array(ProviderSubsidyLine) });
export type ProviderSubsidyList = Static<typeof ProviderSubsidyList>;

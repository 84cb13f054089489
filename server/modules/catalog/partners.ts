// Packages across providers (issue 8). A package may use another provider's instruments only with
// that provider's acceptance: each partner accepts or declines the package's current terms (its
// items and price), and the package is bookable only once every partner accepted.
//
// A decision is exclusive (accept and decline may race, two members may answer at once), so it is
// the insert of the event `partner:<packageId>:<providerId>:<termsAt>` (DESIGN.md "The database"):
// the first answer to these terms wins, a repeat of the same answer is harmless, the opposite one
// gets 409. The package document carries the answers as a projection (`partnerDecisions`) so search
// and booking read them with the package; a crash between event and projection is repaired by
// answering again (the event is found, the projection rewritten).
//
// Editing items or price moves `termsAt`, and with it every partner back to "pending": a partner
// agreed to give so many hours or samples of its instruments for a share of a given price; other
// items or another price are another offer, which it has not seen.
import type { PartnerDecision, PartnerStatus } from "../../../shared/enums";
import type { PackageItem } from "../../../shared/schemas/catalog";
import type { PackageDoc } from "./model";

export type Decision = Exclude<PartnerDecision, "pending">;

export function termsOf(doc: Pick<PackageDoc, "termsAt" | "createdAt">): number {
  return doc.termsAt ?? doc.createdAt.getTime();
}

/** The aggregate whose event number `termsAt` is a partner's answer to those terms. */
export function decisionStream(packageId: string, providerId: string): string {
  return `partner:${packageId}:${providerId}`;
}

/** Other providers whose instruments the items use, in item order, with their answer to the current terms. */
export function packagePartners(
  doc: Pick<PackageDoc, "providerId" | "termsAt" | "createdAt" | "partnerDecisions">,
  items: readonly Pick<PackageItem, "providerId" | "providerName">[],
): { providerId: string; providerName: string; decision: PartnerDecision }[] {
  const terms = termsOf(doc);
  const seen = new Set<string>([doc.providerId]);
  const partners: { providerId: string; providerName: string; decision: PartnerDecision }[] = [];
  for (const item of items) {
    if (seen.has(item.providerId)) continue;
    seen.add(item.providerId);
    const answer = doc.partnerDecisions?.[item.providerId];
    partners.push({ providerId: item.providerId, providerName: item.providerName, decision: answer?.termsAt === terms ? answer.decision : "pending" });
  }
  return partners;
}

export function partnerStatus(partners: readonly { decision: PartnerDecision }[]): PartnerStatus {
  if (partners.some((p) => p.decision === "declined")) return "declined";
  return partners.every((p) => p.decision === "accepted") ? "accepted" : "awaiting";
}

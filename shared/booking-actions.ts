// Which lifecycle actions a provider, or the booker, may take on a booking now: the server's rules
// (server/modules/scheduling/lifecycle.ts) as the client needs them, to show only the buttons that
// will work, with the reason when one is worth saying.
import type { Booking } from "./schemas/scheduling";

/** Check-in opens this long before an item's start and closes at its end. */
export const CHECK_IN_OPENS_MINUTES = 30;
const MINUTE = 60_000;

export type ProviderAction = "confirm" | "reject" | "check-in" | "no-show" | "complete" | "cancel";

export interface ActionOffer {
  action: ProviderAction;
  /** The item a check-in or completion is for (packages: each provider acts on its own items). */
  item?: number;
}

/** Why check-in is not possible yet or any more; null while it is open. */
export function checkInBlock(item: { start: string; end: string }, now: number): { code: "CHECK_IN_TOO_EARLY"; opensAt: number } | { code: "CHECK_IN_CLOSED" } | null {
  const opensAt = Date.parse(item.start) - CHECK_IN_OPENS_MINUTES * MINUTE;
  if (now < opensAt) return { code: "CHECK_IN_TOO_EARLY", opensAt };
  if (now >= Date.parse(item.end)) return { code: "CHECK_IN_CLOSED" };
  return null;
}

/** The providers a booking waits for: each item's own provider that requires confirmation. */
export const requiredConfirmations = (b: Booking): string[] => b.confirmationsRequired ?? (b.actingProviderId ? [b.actingProviderId] : []);

/**
 * What provider `orgId` can do with booking `b` at `now`, and, when check-in is not open yet, when it
 * opens (for a hint). Items of other providers are never offered.
 */
export function providerOffers(b: Booking, orgId: string, now: number): { offers: ActionOffer[]; checkInOpensAt?: number } {
  const offers: ActionOffer[] = [];
  if (!b.providerIds.includes(orgId)) return { offers };
  const mine = b.items
    .map((item, index) => ({ item, index }))
    .filter((x) => x.item.providerId === orgId)
    .sort((x, y) => Date.parse(x.item.start) - Date.parse(y.item.start));
  const acting = b.actingProviderId === orgId;
  const firstStart = Math.min(...b.items.map((i) => Date.parse(i.start)));
  let checkInOpensAt: number | undefined;
  if (b.status === "pending") {
    const required = requiredConfirmations(b);
    if (required.includes(orgId) && !(b.confirmedBy ?? []).includes(orgId)) offers.push({ action: "confirm" });
    if (required.includes(orgId) || acting) offers.push({ action: "reject" });
  }
  if (b.status === "confirmed" || b.status === "in_progress") {
    for (const { item, index } of mine) {
      if (item.checkedInAt) continue;
      const block = checkInBlock(item, now);
      if (!block) offers.push({ action: "check-in", item: index });
      else if (block.code === "CHECK_IN_TOO_EARLY" && checkInOpensAt === undefined) checkInOpensAt = block.opensAt;
    }
  }
  if (b.status === "in_progress") {
    for (const { item, index } of mine) if (item.checkedInAt && !item.completedAt) offers.push({ action: "complete", item: index });
  }
  if (b.status === "confirmed" && (acting || mine.length > 0) && now >= firstStart) offers.push({ action: "no-show" });
  if (b.status === "pending" || b.status === "confirmed") offers.push({ action: "cancel" });
  return { offers, ...(checkInOpensAt !== undefined ? { checkInOpensAt } : {}) };
}

/** The booker's cancel deadline has passed (the server still accepts a cancel at the deadline itself). */
export const cancelDeadlinePassed = (b: Pick<Booking, "cancelDeadline">, now: number): boolean =>
  !!b.cancelDeadline && Date.parse(b.cancelDeadline) < now;

/**
 * Whether the booker may cancel now: a request any time while it is pending, a confirmed booking
 * until the deadline; never once it runs or has ended (lifecycle.ts's cancel rule).
 */
export const bookerMayCancel = (b: Pick<Booking, "status" | "cancelDeadline">, now: number): boolean =>
  b.status === "pending" || (b.status === "confirmed" && !cancelDeadlinePassed(b, now));

// Provider scorecards for a year: the bookings created in it (platform zone) in which the provider
// has an item, their booked hours, how fast it confirms, how often it completes on time, how often
// it cancels or rejects, and the enterprises' ratings. The bureau reads them when it records the
// provincial performance awards (awards module). Definitions: docs/oversight.md "Scorecards".
import { DateTime } from "luxon";
import type { Scorecard } from "../../../shared/schemas/oversight";
import { CITY_ZONE } from "../../../shared/voucher-split";
import type { RatingDoc } from "./model";
import type { BookingRow, OversightSources } from "./sources";

/** An item counts as completed on time when it is completed at most this long after its booked end. */
export const ON_TIME_GRACE_MS = 24 * 3_600_000;
/** States in which the booked time went ahead (its hours count as booked). */
const WENT_AHEAD: readonly string[] = ["confirmed", "in_progress", "completed"];

interface Tally {
  bookings: number;
  bookedMs: number;
  confirmMinutes: number[];
  completedItems: number;
  onTimeItems: number;
  cancelledByProvider: number;
  rejected: number;
  stars: number[];
}
const emptyTally = (): Tally => ({ bookings: 0, bookedMs: 0, confirmMinutes: [], completedItems: 0, onTimeItems: 0, cancelledByProvider: 0, rejected: 0, stars: [] });

const round2 = (x: number) => Math.round(x * 100) / 100;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return round2(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

export const yearWindow = (year: number) => {
  const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: CITY_ZONE });
  return { start: start.toJSDate(), end: start.plus({ years: 1 }).toJSDate() };
};

/**
 * The tallies of each provider over these bookings. Who cancelled or rejected is the organization
 * the event's user belongs to now (`orgOfUser`): a user who has since left counts for no one.
 */
export function tallyProviders(bookings: readonly BookingRow[], ratings: readonly RatingDoc[], orgOfUser: Map<string, string>): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const of = (p: string) => tallies.get(p) ?? tallies.set(p, emptyTally()).get(p)!;
  for (const b of bookings) {
    for (const p of b.providerIds) {
      const t = of(p);
      t.bookings += 1;
      for (const item of b.items.filter((i) => i.providerId === p)) {
        if (WENT_AHEAD.includes(b.status)) {
          for (const part of item.parts?.length ? item.parts : [item]) t.bookedMs += new Date(part.end).getTime() - new Date(part.start).getTime();
        }
        if (item.completedAt) {
          t.completedItems += 1;
          if (new Date(item.completedAt).getTime() <= new Date(item.end).getTime() + ON_TIME_GRACE_MS) t.onTimeItems += 1;
        }
      }
    }
    const created = new Date(b.createdAt).getTime();
    for (const h of b.history ?? []) {
      if (h.type === "confirmed") {
        const p = h.providerId ?? b.actingProviderId;
        if (b.providerIds.includes(p)) of(p).confirmMinutes.push((new Date(h.at).getTime() - created) / 60_000);
      } else if (h.type === "cancelled" || h.type === "rejected") {
        const org = h.actorId ? orgOfUser.get(h.actorId) : undefined;
        if (!org || !b.providerIds.includes(org)) continue; // the enterprise, the sweeper, or someone gone
        if (h.type === "cancelled") of(org).cancelledByProvider += 1;
        else of(org).rejected += 1;
      }
    }
  }
  for (const r of ratings) for (const p of r.providerIds) of(p).stars.push(r.stars);
  return tallies;
}

export function scorecardOf(providerId: string, providerName: string, t: Tally = emptyTally()): Scorecard {
  return {
    providerId, providerName,
    bookings: t.bookings,
    bookedHours: round2(t.bookedMs / 3_600_000),
    medianConfirmMinutes: median(t.confirmMinutes),
    confirmations: t.confirmMinutes.length,
    completedItems: t.completedItems,
    onTimeItems: t.onTimeItems,
    onTimePercent: t.completedItems ? round2((t.onTimeItems / t.completedItems) * 100) : null,
    cancelledByProvider: t.cancelledByProvider,
    rejected: t.rejected,
    ratings: t.stars.length,
    averageStars: t.stars.length ? round2(t.stars.reduce((a, b) => a + b, 0) / t.stars.length) : null,
  };
}

export interface ScorecardDeps {
  sources: OversightSources;
  ratingsOf: (bookingIds: readonly string[]) => Promise<RatingDoc[]>;
}

/** Every provider with a booking in the year, by bookings (descending), then name. */
export async function scorecards(d: ScorecardDeps, year: number): Promise<Scorecard[]> {
  const { start, end } = yearWindow(year);
  const bookings = await d.sources.bookingsCreatedBetween(start, end);
  const actors = bookings.flatMap((b) => (b.history ?? []).filter((h) => (h.type === "cancelled" || h.type === "rejected") && h.actorId).map((h) => h.actorId!));
  const [ratings, orgOfUser] = await Promise.all([d.ratingsOf(bookings.map((b) => b._id)), d.sources.orgsOfUsers(actors)]);
  const tallies = tallyProviders(bookings, ratings, orgOfUser);
  const names = await d.sources.names("providers", [...tallies.keys()]);
  return [...tallies.entries()]
    .map(([id, t]) => scorecardOf(id, names.get(id) ?? id, t))
    .sort((a, b) => b.bookings - a.bookings || a.providerName.localeCompare(b.providerName, "zh-CN") || a.providerId.localeCompare(b.providerId));
}

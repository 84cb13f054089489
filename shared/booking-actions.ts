// Which lifecycle actions a viewer may take on a booking now: the server's rules (lifecycle.ts)
// as the client needs them to show only the buttons that will work, with the reason when not.
import type { Booking } from "./schemas/scheduling";

/** Check-in opens this long before the (first) start and closes at the end. */
export const CHECK_IN_OPENS_MINUTES = 30;
const MINUTE = 60_000;

export type ProviderAction = "confirm" | "reject" | "check-in" | "no-show" | "complete" | "cancel";

/** An action shown disabled with its reason (an error code), or not at all. */
export interface ActionState {
  allowed: boolean;
  /** Why it is not allowed yet (an error code of shared/errors.ts with its params). */
  reason?: { code: "CHECK_IN_TOO_EARLY" | "CHECK_IN_CLOSED" | "NOT_STARTED"; params?: Record<string, number> };
}

/** The check-in window of a time span: open from 30 minutes before its start until its end. */
export function checkInState(start: string, end: string, now: number): ActionState {
  if (now < Date.parse(start) - CHECK_IN_OPENS_MINUTES * MINUTE) return { allowed: false, reason: { code: "CHECK_IN_TOO_EARLY", params: { minutes: CHECK_IN_OPENS_MINUTES } } };
  if (now >= Date.parse(end)) return { allowed: false, reason: { code: "CHECK_IN_CLOSED" } };
  return { allowed: true };
}

/** A no-show can be recorded only once the booking has started. */
export function noShowState(start: string, now: number): ActionState {
  return now < Date.parse(start) ? { allowed: false, reason: { code: "NOT_STARTED" } } : { allowed: true };
}

export function bookingSpan(b: Pick<Booking, "items">): { start: string; end: string } {
  const starts = b.items.map((i) => Date.parse(i.start));
  const ends = b.items.map((i) => Date.parse(i.end));
  return { start: new Date(Math.min(...starts)).toISOString(), end: new Date(Math.max(...ends)).toISOString() };
}

// Small facts about a booking for display: when it runs (first item's start to last item's end),
// and what its actors may still do with it.
import { ACTIVE_BOOKING_STATUSES } from "@shared/enums";
import type { Booking } from "@shared/schemas/scheduling";
import { formatDateTime } from "./i18n/labels";

export function bookingSpan(booking: Pick<Booking, "items">): { start: string; end: string } | null {
  if (booking.items.length === 0) return null;
  const starts = booking.items.map((i) => i.start).sort();
  const ends = booking.items.map((i) => i.end).sort();
  return { start: starts[0]!, end: ends[ends.length - 1]! };
}

/** "2025-03-08 09:00 – 11:30" (Beijing time), the end's date only when it differs. */
export function spanText(booking: Pick<Booking, "items">): string {
  const span = bookingSpan(booking);
  if (!span) return "—";
  const start = formatDateTime(span.start);
  const end = formatDateTime(span.end);
  return `${start} – ${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

export const isActive = (booking: Pick<Booking, "status">) => ACTIVE_BOOKING_STATUSES.includes(booking.status);

/** The booker may withdraw a request any time while it is pending, and cancel a confirmed booking until the deadline. */
export function enterpriseCanCancel(booking: Booking, now = Date.now()): boolean {
  if (booking.status === "pending") return true;
  return booking.status === "confirmed" && !deadlinePassed(booking, now);
}

export const deadlinePassed = (booking: Booking, now = Date.now()) =>
  !!booking.cancelDeadline && Date.parse(booking.cancelDeadline) <= now;

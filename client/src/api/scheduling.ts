// Typed calls for the scheduling module: availability, package schedules, bookings and their
// lifecycle transitions.
import type { PageOf } from "@shared/schemas/common";
import type {
  Availability,
  Booking,
  BookingCreateBody,
  BookingListQuery,
  CompleteBody,
  PackageSchedule,
  ReasonBody,
} from "@shared/schemas/scheduling";
import { http } from "./http";

const enc = encodeURIComponent;

/** A transition a booking can take by a plain POST with an optional reason. */
export type BookingTransition = "confirm" | "reject" | "cancel" | "check-in" | "no-show";

export const availabilityApi = {
  /** Slots of [from, to) (at most 31 days), each with its free count. */
  get: (instrumentId: string, from: string, to: string) =>
    http.get<Availability>(`/api/instruments/${enc(instrumentId)}/availability`, { from, to }),
};

export const packageScheduleApi = {
  /** The schedule the server proposes for a package starting at `start`; nothing is held. */
  propose: (packageId: string, start: string) => http.get<PackageSchedule>(`/api/packages/${enc(packageId)}/schedule`, { start }),
};

export const bookingApi = {
  /**
   * One booking attempt. The idempotency key names the attempt: a retry after a lost answer sends the
   * same key and gets the same booking back instead of a second one.
   */
  create: (body: BookingCreateBody, idempotencyKey: string) =>
    http.post<Booking>("/api/bookings", body, { "Idempotency-Key": idempotencyKey }),
  list: (query: BookingListQuery) => http.get<PageOf<Booking>>("/api/bookings", query),
  get: (id: string) => http.get<Booking>(`/api/bookings/${enc(id)}`),
  transition: (id: string, action: BookingTransition, body: ReasonBody = {}) =>
    http.post<Booking>(`/api/bookings/${enc(id)}/${action}`, body),
  complete: (id: string, body: CompleteBody) => http.post<Booking>(`/api/bookings/${enc(id)}/complete`, body),
};

/** A fresh key per booking attempt; randomUUID needs a secure context, so fall back to random bytes. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

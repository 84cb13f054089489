// Typed calls for a booking's detail and slip (issue 11): its parties (the providers' addresses and
// contacts, the instruments' locations and zones), a provider's contact, and calendar feeds.
import type { ProviderContact, ProviderContactAnswer, ProviderContactBody } from "@shared/schemas/accounts";
import type { CalendarFeed } from "@shared/schemas/calendar";
import type { BookingParties } from "@shared/schemas/scheduling";
import { http } from "./http";

const enc = encodeURIComponent;

export const partiesApi = {
  get: (bookingId: string) => http.get<BookingParties>(`/api/bookings/${enc(bookingId)}/parties`),
};

export const providerContactApi = {
  get: (providerId: string) => http.get<ProviderContactAnswer>(`/api/providers/${enc(providerId)}/contact`),
  set: (providerId: string, body: ProviderContactBody) => http.put<ProviderContact>(`/api/providers/${enc(providerId)}/contact`, body),
};

/** A feed is the caller's own (`instrumentId` absent) or of one of their provider's instruments. */
export const calendarFeedApi = {
  get: (instrumentId?: string) => http.get<CalendarFeed>(instrumentId ? `/api/instruments/${enc(instrumentId)}/calendar-feed` : "/api/calendar-feeds/me"),
  reset: (instrumentId?: string) =>
    http.post<CalendarFeed>(instrumentId ? `/api/instruments/${enc(instrumentId)}/calendar-feed/reset` : "/api/calendar-feeds/me/reset"),
};

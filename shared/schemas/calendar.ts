// Calendar feeds (issue 11): a secret iCalendar URL per user (their bookings) and per provider
// member and instrument (its bookings), for calendar apps that fetch without a cookie.
import { Id, StringEnum, Type, type Static } from "./common";

export const CALENDAR_FEED_KINDS = ["user", "instrument"] as const;

/** The feed's secret (32 random bytes, base64url) plus `.ics`: the whole file name of the URL. */
export const FEED_TOKEN_PATTERN = "^[A-Za-z0-9_-]{43}$";
export const IcalFileParams = Type.Object(
  { file: Type.String({ maxLength: 60, pattern: "^[A-Za-z0-9_-]{43}\\.ics$" }) },
  { additionalProperties: false },
);

export const CalendarFeed = Type.Object({
  kind: StringEnum(CALENDAR_FEED_KINDS),
  instrumentId: Type.Optional(Id),
  token: Type.String({ pattern: FEED_TOKEN_PATTERN }),
  /** Path of the feed on this server (`/api/ical/<token>.ics`); the client prefixes its origin. */
  path: Type.String(),
});
export type CalendarFeed = Static<typeof CalendarFeed>;

/** The iCalendar file (text/calendar, UTF-8, RFC 5545). */
export const IcalFile = Type.String({ description: "text/calendar; RFC 5545" });

// HTTP adapter for calendar feeds: the secret .ics URL (no session: the token is the credential)
// and the pages' calls that show and reset it.
import { IdParams } from "../../../shared/schemas/common";
import * as S from "../../../shared/schemas/calendar";
import { EmptyBody } from "../../../shared/schemas/scheduling";
import { route, type RouteSpec } from "../../http/route";
import type { CalendarService } from "./service";

const ENTERPRISE = ["enterprise_admin", "enterprise_member"] as const;
const PROVIDER = ["provider_admin", "provider_staff"] as const;

export function calendarRoutes(d: { calendar: CalendarService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/ical/:file", tag: "calendar", access: "public",
      summary: "A calendar feed (RFC 5545 iCalendar) at its secret URL: no cookie needed, an unknown or reset token answers 404",
      params: S.IcalFileParams, response: S.IcalFile, errors: ["NOT_FOUND"], file: { types: ["text/calendar"] },
      handler: async ({ params, res }) => {
        const ics = await d.calendar.ics(params.file.slice(0, -".ics".length));
        res.set({
          "Content-Type": "text/calendar; charset=utf-8",
          "Content-Disposition": 'inline; filename="labshare.ics"',
          // The URL is a secret: shared caches must not keep it; calendar apps poll every ~15 minutes.
          "Cache-Control": "private, max-age=300",
          "X-Robots-Tag": "noindex",
        });
        res.send(ics);
      },
    }),
    route({
      method: "get", path: "/api/calendar-feeds/me", tag: "calendar", access: [...ENTERPRISE, ...PROVIDER],
      summary: "My calendar feed's URL (my enterprise's bookings, or my provider's); made on first use",
      response: S.CalendarFeed,
      handler: async ({ actor }) => d.calendar.userFeed(actor!),
    }),
    route({
      method: "post", path: "/api/calendar-feeds/me/reset", tag: "calendar", access: [...ENTERPRISE, ...PROVIDER],
      summary: "A new secret URL for my calendar feed; the old one answers 404 from now on",
      body: EmptyBody, response: S.CalendarFeed,
      handler: async ({ actor }) => d.calendar.userFeed(actor!, true),
    }),
    route({
      method: "get", path: "/api/instruments/:id/calendar-feed", tag: "calendar", access: PROVIDER,
      summary: "My calendar feed of one of my provider's instruments (its bookings); made on first use",
      params: IdParams, response: S.CalendarFeed, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.calendar.instrumentFeed(actor!, params.id),
    }),
    route({
      method: "post", path: "/api/instruments/:id/calendar-feed/reset", tag: "calendar", access: PROVIDER,
      summary: "A new secret URL for my feed of the instrument; the old one answers 404 from now on",
      params: IdParams, body: EmptyBody, response: S.CalendarFeed, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.calendar.instrumentFeed(actor!, params.id, true),
    }),
  ];
}

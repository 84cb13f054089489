// HTTP adapter for live utilization (issue 12): the bureau sees every instrument (or one provider's),
// a provider member its own; enterprises get 403. The same snapshot is pushed over Socket.IO
// (realtime/live-stream.ts).
import * as S from "../../../shared/schemas/stats-live";
import { route, type RouteSpec } from "../../http/route";
import { BUREAU_SCOPE, type LiveUtilization } from "./live";
import { providerScope, type UtilizationService } from "./utilization";

const VIEWERS = ["bureau_admin", "bureau_reviewer", "provider_admin", "provider_staff"] as const;

export function liveRoutes(d: { utilization: UtilizationService; live: LiveUtilization }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/stats/utilization", tag: "stats", access: VIEWERS,
      summary: "Open hours, booked hours and utilization rate per instrument, provider, category or county over a day range",
      query: S.UtilizationQuery, response: S.Utilization,
      errors: ["STATS_RANGE_REVERSED", "STATS_RANGE_TOO_LONG", "STATS_UTILIZATION_RANGE_TOO_LONG"],
      handler: async ({ actor, query }) => d.utilization.utilization(actor!, query),
    }),
    route({
      method: "get", path: "/api/stats/live", tag: "stats", access: VIEWERS,
      summary: "The live view now: instruments in use, booked today, idle, in maintenance; bookings and vouchers today; the newest bookings",
      query: S.LiveScopeQuery, response: S.LiveSnapshot,
      handler: async ({ actor, query }) => d.live.snapshot(providerScope(actor!, query.providerId) ?? BUREAU_SCOPE),
    }),
  ];
}

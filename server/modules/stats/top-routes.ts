// HTTP adapter for the dashboard's ranking of instruments and providers (top.ts). Bureau roles only.
import * as S from "../../../shared/schemas/stats";
import { route, type RouteSpec } from "../../http/route";
import type { StatsTopRanking } from "./top";

export function statsTopRoutes(d: { statsTop: StatsTopRanking }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/stats/top", tag: "stats", access: ["bureau_admin", "bureau_reviewer"],
      summary: "The instruments or providers with the most bookings created in a day range, with their amounts",
      query: S.StatsTopQuery, response: S.StatsTop, errors: ["STATS_RANGE_REVERSED", "STATS_RANGE_TOO_LONG"],
      handler: async ({ query }) => d.statsTop.top(query),
    }),
  ];
}

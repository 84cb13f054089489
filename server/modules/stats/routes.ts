// HTTP adapter for the bureau's statistics (issue 12). Bureau roles only: providers and enterprises
// get 403 (a provider's own figures come with the utilization view, later).
import * as S from "../../../shared/schemas/stats";
import { route, type RouteSpec } from "../../http/route";
import type { StatsService } from "./service";

const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;
const RANGE_ERRORS = ["STATS_RANGE_REVERSED", "STATS_RANGE_TOO_LONG"] as const;

export function statsRoutes(d: { stats: StatsService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/stats/overview", tag: "stats", access: BUREAU,
      summary: "Vouchers issued, redeemed and voided, bookings, enterprises and instruments registered, counties covered, for a day range",
      query: S.StatsRangeQuery, response: S.StatsOverview, errors: RANGE_ERRORS,
      handler: async ({ query }) => d.stats.overview(query),
    }),
    route({
      method: "get", path: "/api/stats/monthly", tag: "stats", access: BUREAU,
      summary: "The overview figures per month of a day range, with ratios to the same days a year before",
      query: S.StatsRangeQuery, response: S.StatsMonthly, errors: RANGE_ERRORS,
      handler: async ({ query }) => d.stats.monthly(query),
    }),
    route({
      method: "get", path: "/api/stats/by-county", tag: "stats", access: BUREAU,
      summary: "Enterprises subsidized and voucher amounts per county, with shares adding to 100.00%",
      query: S.StatsRangeQuery, response: S.StatsByCounty, errors: RANGE_ERRORS,
      handler: async ({ query }) => d.stats.byCounty(query),
    }),
    route({
      method: "get", path: "/api/stats/by-industry", tag: "stats", access: BUREAU,
      summary: "Enterprises subsidized and voucher amounts per industry, with shares adding to 100.00%",
      query: S.StatsRangeQuery, response: S.StatsByIndustry, errors: RANGE_ERRORS,
      handler: async ({ query }) => d.stats.byIndustry(query),
    }),
    route({
      method: "get", path: "/api/stats/growth", tag: "stats", access: BUREAU,
      summary: "Enterprises, instruments and registry enterprises at a baseline day and now, with growth in percent",
      query: S.StatsGrowthQuery, response: S.StatsGrowth, errors: ["STATS_BASELINE_FUTURE"],
      handler: async ({ query }) => d.stats.growth(query),
    }),
    route({
      method: "get", path: "/api/stats/settlement-speed", tag: "stats", access: BUREAU,
      summary: "Median days from claim filing to payment, over a day range and per month of payment",
      query: S.StatsRangeQuery, response: S.StatsSettlementSpeed, errors: RANGE_ERRORS,
      handler: async ({ query }) => d.stats.settlementSpeed(query),
    }),
  ];
}

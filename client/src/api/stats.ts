// The bureau's statistics (issue 12; definitions in docs/stats.md). Days are YYYY-MM-DD in the
// platform zone, both ends included; money is integer fen.
import type { StatsByCounty, StatsByIndustry, StatsGrowth, StatsMonthly, StatsOverview, StatsTop, StatsTopBy } from "@shared/schemas/stats";
import type { Utilization } from "@shared/schemas/stats-live";
import { http } from "./http";

export interface DayRange {
  from: string;
  to: string;
}

export const statsApi = {
  overview: (r: DayRange) => http.get<StatsOverview>("/api/stats/overview", { ...r }),
  monthly: (r: DayRange) => http.get<StatsMonthly>("/api/stats/monthly", { ...r }),
  byCounty: (r: DayRange) => http.get<StatsByCounty>("/api/stats/by-county", { ...r }),
  byIndustry: (r: DayRange) => http.get<StatsByIndustry>("/api/stats/by-industry", { ...r }),
  growth: (baseline: string) => http.get<StatsGrowth>("/api/stats/growth", { baseline }),
  /** Per instrument with each day's figures (the heat map; at most 92 days). */
  utilizationPerDay: (r: DayRange) => http.get<Utilization>("/api/stats/utilization", { ...r, groupBy: "instrument", perDay: "true", limit: 500 }),
  top: (r: DayRange, by: StatsTopBy, limit = 10) => http.get<StatsTop>("/api/stats/top", { ...r, by, limit }),
};

// Typed calls for live utilization (issue 12): the bureau sees every instrument, a provider its own.
import type { LiveSnapshot, Utilization, UtilizationGroup } from "@shared/schemas/stats-live";
import { http } from "./http";

export const liveStatsApi = {
  snapshot: () => http.get<LiveSnapshot>("/api/stats/live"),
  utilization: (q: { from: string; to: string; groupBy: UtilizationGroup; limit?: number; offset?: number }) =>
    http.get<Utilization>("/api/stats/utilization", { from: q.from, to: q.to, groupBy: q.groupBy, limit: q.limit, offset: q.offset }),
};

// HTTP adapter for oversight (issue 12): budgets and signals are the bureau's; an enterprise rates
// its own completed bookings; a provider reads its own scorecard. docs/oversight.md.
import { IdParams } from "../../../shared/schemas/common";
import * as S from "../../../shared/schemas/oversight";
import { route, type RouteSpec } from "../../http/route";
import type { OversightService } from "./service";

const BUREAU = ["bureau_admin", "bureau_reviewer"] as const;
const ENTERPRISE = ["enterprise_admin", "enterprise_member"] as const;
const PROVIDER = ["provider_admin", "provider_staff"] as const;
const ANY_MEMBER = [...ENTERPRISE, ...PROVIDER, ...BUREAU] as const;

export function oversightRoutes(d: { oversight: OversightService }): RouteSpec[] {
  return [
    route({
      method: "get", path: "/api/oversight/budget", tag: "oversight", access: BUREAU,
      summary: "The year's city and province voucher budgets: committed (issued, not yet redeemed) and paid, with a monthly forecast to the year's end",
      query: S.YearQuery, response: S.BudgetReport,
      handler: async ({ query }) => d.oversight.budget(query.year),
    }),
    route({
      method: "put", path: "/api/oversight/budget/:year", tag: "oversight", access: ["bureau_admin"],
      summary: "Set a year's budgets as a new version (expectedVersion: the version you saw; 201 for the first, 200 after; a stale version: 409)",
      params: S.YearParams, body: S.BudgetSetBody, response: S.BudgetVersion, errors: ["BUDGET_VERSION_CONFLICT"],
      handler: async ({ actor, params, body, res }) => {
        const { budget, created } = await d.oversight.setBudget(actor!, params.year, body);
        res.status(created ? 201 : 200);
        return budget;
      },
    }),
    route({
      method: "get", path: "/api/oversight/scorecards", tag: "oversight", access: BUREAU,
      summary: "Every provider's scorecard for a year: booked hours, median time to confirm, on-time completion, cancellations, ratings",
      query: S.YearQuery, response: S.ScorecardList,
      handler: async ({ query }) => d.oversight.scorecards(query.year),
    }),
    route({
      method: "get", path: "/api/providers/:id/scorecard", tag: "oversight", access: [...PROVIDER, ...BUREAU],
      summary: "One provider's scorecard for a year (its own members and the bureau)",
      params: IdParams, query: S.YearQuery, response: S.ProviderScorecard, errors: ["NOT_FOUND"],
      handler: async ({ actor, params, query }) => d.oversight.scorecardOf(actor!, params.id, query.year),
    }),
    route({
      method: "post", path: "/api/bookings/:id/rating", tag: "oversight", access: ENTERPRISE, status: 201,
      summary: "Rate a completed booking once, 1–5 stars and an optional comment (the booking's enterprise members)",
      params: IdParams, body: S.RatingBody, response: S.Rating, errors: ["NOT_FOUND", "RATING_EXISTS", "RATING_BOOKING_NOT_COMPLETED"],
      handler: async ({ actor, params, body }) => d.oversight.rate(actor!, params.id, body),
    }),
    route({
      method: "get", path: "/api/bookings/:id/rating", tag: "oversight", access: ANY_MEMBER,
      summary: "A booking's rating, or null (those who see the booking)",
      params: IdParams, response: S.BookingRating, errors: ["NOT_FOUND"],
      handler: async ({ actor, params }) => d.oversight.rating(actor!, params.id),
    }),
    route({
      method: "get", path: "/api/oversight/signals", tag: "oversight", access: BUREAU,
      summary: "Collusion signals for review in a day range (repeat pairs, prices far above list, shared actual controllers, amounts just under the cap), with evidence",
      query: S.SignalQuery, response: S.SignalPage, errors: ["STATS_RANGE_REVERSED", "STATS_RANGE_TOO_LONG"],
      handler: async ({ query }) => d.oversight.listSignals(query),
    }),
    route({
      method: "post", path: "/api/oversight/signals/:id/reviews", tag: "oversight", access: BUREAU, status: 201,
      summary: "Record a review of a signal: dismissed or referred, with a note (append-only; the last review gives the status)",
      params: S.SignalParams, body: S.SignalReviewBody, response: S.SignalReview,
      handler: async ({ actor, params, body }) => d.oversight.reviewSignal(actor!, params.id, body),
    }),
  ];
}

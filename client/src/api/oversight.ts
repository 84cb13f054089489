// Typed calls for the bureau's oversight (issue 12): budgets, provider scorecards, collusion signals
// and their reviews, and an enterprise's rating of a completed booking.
import type { BookingRating, BudgetReport, BudgetSetBody, BudgetVersion, ProviderScorecard, Rating, RatingBody, ScorecardList, SignalPage, SignalQuery, SignalReview, SignalReviewBody } from "@shared/schemas/oversight";
import { http } from "./http";

const enc = encodeURIComponent;

export const oversightApi = {
  budget: (year?: number) => http.get<BudgetReport>("/api/oversight/budget", { year }),
  setBudget: (year: number, body: BudgetSetBody) => http.put<BudgetVersion>(`/api/oversight/budget/${year}`, body),
  scorecards: (year?: number) => http.get<ScorecardList>("/api/oversight/scorecards", { year }),
  scorecardOf: (providerId: string, year?: number) => http.get<ProviderScorecard>(`/api/providers/${enc(providerId)}/scorecard`, { year }),
  signals: (query: SignalQuery) => http.get<SignalPage>("/api/oversight/signals", { ...query }),
  review: (signalId: string, body: SignalReviewBody) => http.post<SignalReview>(`/api/oversight/signals/${enc(signalId)}/reviews`, body),
};

export const ratingApi = {
  get: (bookingId: string) => http.get<BookingRating>(`/api/bookings/${enc(bookingId)}/rating`),
  rate: (bookingId: string, body: RatingBody) => http.post<Rating>(`/api/bookings/${enc(bookingId)}/rating`, body),
};

// Oversight data. Every decision is the insert of a document whose `_id` names it (DESIGN.md):
// - a year's budgets are a chain of versions `budget:<year>:<n>`: a change is the insert of n + 1
//   where n is the version the admin saw, so of two racing changes one wins and nothing is lost;
//   the whole chain is the history;
// - a booking is rated once: `rating:<bookingId>`;
// - a signal's reviews are append-only `review:<signalId>:<n>` (the last one gives its status).
import { Schema, type Connection } from "mongoose";
import type { SignalDecision } from "../../../shared/schemas/oversight";

const opts = { versionKey: false, minimize: false } as const;

export const budgetId = (year: number, version: number) => `budget:${year}:${version}`;
export const ratingId = (bookingId: string) => `rating:${bookingId}`;
export const reviewId = (signalId: string, n: number) => `review:${signalId}:${n}`;

export interface BudgetDoc {
  _id: string;
  year: number;
  version: number;
  provinceBudgetFen: number;
  cityBudgetFen: number;
  note?: string;
  setBy: string;
  setAt: Date;
}
const budgetSchema = new Schema<BudgetDoc>(
  {
    _id: String,
    year: { type: Number, required: true, index: true },
    version: { type: Number, required: true },
    provinceBudgetFen: { type: Number, required: true },
    cityBudgetFen: { type: Number, required: true },
    note: String,
    setBy: { type: String, required: true },
    setAt: { type: Date, required: true },
  },
  opts,
);

export interface RatingDoc {
  _id: string;
  bookingId: string;
  enterpriseId: string;
  providerIds: string[];
  stars: number;
  comment?: string;
  ratedBy: string;
  ratedAt: Date;
}
const ratingSchema = new Schema<RatingDoc>(
  {
    _id: String,
    bookingId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    providerIds: { type: [String], index: true },
    stars: { type: Number, required: true },
    comment: String,
    ratedBy: { type: String, required: true },
    ratedAt: { type: Date, required: true },
  },
  opts,
);

export interface ReviewDoc {
  _id: string;
  signalId: string;
  n: number;
  decision: SignalDecision;
  note: string;
  by: string;
  byName: string;
  at: Date;
}
const reviewSchema = new Schema<ReviewDoc>(
  {
    _id: String,
    signalId: { type: String, required: true, index: true },
    n: { type: Number, required: true },
    decision: { type: String, required: true },
    note: { type: String, required: true },
    by: { type: String, required: true },
    byName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  opts,
);

export function oversightModels(conn: Connection) {
  return {
    budgets: conn.model<BudgetDoc>("OversightBudget", budgetSchema, "oversight_budgets"),
    ratings: conn.model<RatingDoc>("BookingRating", ratingSchema, "booking_ratings"),
    reviews: conn.model<ReviewDoc>("SignalReview", reviewSchema, "signal_reviews"),
  };
}
export type OversightModels = ReturnType<typeof oversightModels>;

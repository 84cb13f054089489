// The bureau's oversight (issue 12, "Oversight the bureau asks for"): the year's voucher budgets,
// provider scorecards with enterprise ratings, and collusion signals listed for review.
// Definitions and thresholds: docs/oversight.md. Money is integer fen; days and months are the
// platform zone's (Asia/Shanghai).
import { DateTime, Fen, PageQuery, StringEnum, Type, type Static } from "./common";
import { StatsDay, StatsMonth } from "./stats";

export const BudgetYear = Type.Integer({ minimum: 2000, maximum: 2100 });
export const YearQuery = Type.Object({ year: Type.Optional(BudgetYear) }, { additionalProperties: false });
export type YearQuery = Static<typeof YearQuery>;
export const YearParams = Type.Object({ year: BudgetYear }, { additionalProperties: false });
export type YearParams = Static<typeof YearParams>;

// ---- Budget -------------------------------------------------------------------------------

/** A new version of a year's budgets: `expectedVersion` is the version the admin saw (0: none yet). */
export const BudgetSetBody = Type.Object(
  {
    provinceBudgetFen: Fen,
    cityBudgetFen: Fen,
    expectedVersion: Type.Integer({ minimum: 0, maximum: 100000 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type BudgetSetBody = Static<typeof BudgetSetBody>;

export const BudgetVersion = Type.Object({
  year: BudgetYear,
  version: Type.Integer({ minimum: 1 }),
  provinceBudgetFen: Fen,
  cityBudgetFen: Fen,
  note: Type.Optional(Type.String()),
  setBy: Type.String(),
  setAt: DateTime,
});
export type BudgetVersion = Static<typeof BudgetVersion>;

const NullableFen = Type.Union([Fen, Type.Null()]);
/** One level of government's money for the year: committed (issued, not yet redeemed) and paid. */
export const BudgetLevel = Type.Object({
  budgetFen: NullableFen,
  committedFen: Fen,
  paidFen: Fen,
  /** budget − committed − paid (may be negative: over budget); null without a budget. */
  remainingFen: Type.Union([Type.Integer(), Type.Null()]),
  /** (committed + paid) / budget in percent, 2 decimals; null without a budget (or a budget of 0). */
  usedPercent: Type.Union([Type.Number(), Type.Null()]),
});
export type BudgetLevel = Static<typeof BudgetLevel>;

export const ForecastMonth = Type.Object({
  month: StatsMonth,
  /** New commitments expected in the month at the run rate (the current month: its remaining days only). */
  runRateProvinceFen: Fen,
  runRateCityFen: Fen,
  /** Voucher bookings waiting for confirmation whose service starts in the month (expected split). */
  pipelineProvinceFen: Fen,
  pipelineCityFen: Fen,
  /** Committed + paid at the end of the month, projected. */
  cumulativeProvinceFen: Fen,
  cumulativeCityFen: Fen,
  overProvinceBudget: Type.Boolean(),
  overCityBudget: Type.Boolean(),
});
export type ForecastMonth = Static<typeof ForecastMonth>;

export const BudgetReport = Type.Object({
  year: BudgetYear,
  today: StatsDay,
  budget: Type.Union([BudgetVersion, Type.Null()]),
  history: Type.Array(BudgetVersion),
  province: BudgetLevel,
  /** The city also pays the provider subsidies (5%) and the award matches: in `paidFen`, and shown apart. */
  city: Type.Object({ ...BudgetLevel.properties, providerSubsidyPaidFen: Fen, awardMatchPaidFen: Fen }),
  forecast: Type.Object({
    /** "run_rate_3m_plus_pipeline" for the current year; "none" for a past or future year. */
    method: StringEnum(["run_rate_3m_plus_pipeline", "none"] as const),
    /** The months the run rate averages (the last 3 complete months of the year; fewer in January–March). */
    basisMonths: Type.Array(StatsMonth),
    runRateProvinceFen: Fen,
    runRateCityFen: Fen,
    items: Type.Array(ForecastMonth),
    /** The first month whose projected cumulative exceeds the budget, or null. */
    provinceExhaustedIn: Type.Union([StatsMonth, Type.Null()]),
    cityExhaustedIn: Type.Union([StatsMonth, Type.Null()]),
  }),
});
export type BudgetReport = Static<typeof BudgetReport>;

// ---- Ratings and scorecards ----------------------------------------------------------------

export const RatingBody = Type.Object(
  {
    stars: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type RatingBody = Static<typeof RatingBody>;

export const Rating = Type.Object({
  bookingId: Type.String(),
  enterpriseId: Type.String(),
  providerIds: Type.Array(Type.String()),
  stars: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String()),
  ratedBy: Type.String(),
  ratedAt: DateTime,
});
export type Rating = Static<typeof Rating>;
export const BookingRating = Type.Object({ rating: Type.Union([Rating, Type.Null()]) });
export type BookingRating = Static<typeof BookingRating>;

const Count = Type.Integer({ minimum: 0 });
const NullableNumber = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);
export const Scorecard = Type.Object({
  providerId: Type.String(),
  providerName: Type.String(),
  /** Bookings created in the year in which the provider has an item (any state). */
  bookings: Count,
  /** Hours of the provider's items in bookings that went ahead (confirmed, in progress, completed). */
  bookedHours: Type.Number({ minimum: 0 }),
  /** Median minutes from the request to the provider's confirmation; null without confirmations. */
  medianConfirmMinutes: NullableNumber,
  confirmations: Count,
  /** Items completed, and of those completed within 24 h after their booked end. */
  completedItems: Count,
  onTimeItems: Count,
  /** onTime / completed in percent, 2 decimals; null without completions. */
  onTimePercent: NullableNumber,
  cancelledByProvider: Count,
  rejected: Count,
  ratings: Count,
  /** Mean stars, 2 decimals; null without ratings. */
  averageStars: NullableNumber,
});
export type Scorecard = Static<typeof Scorecard>;
export const ScorecardList = Type.Object({ year: BudgetYear, items: Type.Array(Scorecard) });
export type ScorecardList = Static<typeof ScorecardList>;
export const ProviderScorecard = Type.Object({ year: BudgetYear, scorecard: Scorecard });
export type ProviderScorecard = Static<typeof ProviderScorecard>;

// ---- Collusion signals ---------------------------------------------------------------------

export const SIGNAL_KINDS = ["repeat_pair", "price_above_list", "shared_controller", "near_cap"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export const SIGNAL_DECISIONS = ["dismissed", "referred"] as const;
export type SignalDecision = (typeof SIGNAL_DECISIONS)[number];
export const SIGNAL_STATUSES = ["open", ...SIGNAL_DECISIONS] as const;

export const SignalQuery = Type.Object(
  {
    from: Type.Optional(StatsDay),
    to: Type.Optional(StatsDay),
    kind: Type.Optional(StringEnum(SIGNAL_KINDS)),
    status: Type.Optional(StringEnum(SIGNAL_STATUSES)),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type SignalQuery = Static<typeof SignalQuery>;

/** A signal's id names its subject: `<kind>:<ids>` (e.g. `repeat_pair:<enterpriseId>:<providerId>`). */
export const SignalId = Type.String({ minLength: 3, maxLength: 160, pattern: "^(repeat_pair|price_above_list|shared_controller|near_cap):[A-Za-z0-9_:-]+$" });
export const SignalParams = Type.Object({ id: SignalId }, { additionalProperties: false });
export type SignalParams = Static<typeof SignalParams>;

export const SignalReviewBody = Type.Object(
  { decision: StringEnum(SIGNAL_DECISIONS), note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type SignalReviewBody = Static<typeof SignalReviewBody>;

export const SignalReview = Type.Object({
  signalId: Type.String(),
  n: Type.Integer({ minimum: 1 }),
  decision: StringEnum(SIGNAL_DECISIONS),
  note: Type.String(),
  by: Type.String(),
  byName: Type.String(),
  at: DateTime,
});
export type SignalReview = Static<typeof SignalReview>;

const Party = Type.Object({ id: Type.String(), name: Type.String() });
export const SignalEvidence = Type.Object({
  enterprises: Type.Array(Party),
  providers: Type.Array(Party),
  bookingIds: Type.Array(Type.String()),
  voucherIds: Type.Array(Type.String()),
  /** The figures that crossed the threshold (counts, amounts in fen, ratios, percents). */
  figures: Type.Record(Type.String(), Type.Number()),
  controller: Type.Optional(Type.String()),
});
export type SignalEvidence = Static<typeof SignalEvidence>;

export const Signal = Type.Object({
  id: SignalId,
  kind: StringEnum(SIGNAL_KINDS),
  evidence: SignalEvidence,
  status: StringEnum(SIGNAL_STATUSES),
  /** Every review so far, oldest first; the last one decides the status. */
  reviews: Type.Array(SignalReview),
});
export type Signal = Static<typeof Signal>;

export const SignalPage = Type.Object({
  from: StatsDay,
  to: StatsDay,
  items: Type.Array(Signal),
  total: Count,
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type SignalPage = Static<typeof SignalPage>;

// The bureau's statistics (issue 12, "the statistics the article reports"). Every figure is
// defined in docs/stats.md; money is integer fen, days are YYYY-MM-DD in the platform zone.
import { Fen, StringEnum, Type, type Static } from "./common";
import { COUNTY_CODES, INDUSTRY_CODES } from "../enums";

/** A calendar day in the platform zone (Asia/Shanghai), 2000–2099. `format: date` rejects 2026-02-30. */
export const StatsDay = Type.String({ format: "date", pattern: "^20[0-9]{2}-[0-9]{2}-[0-9]{2}$" });
export const StatsMonth = Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])$" });

/** Inclusive day range; defaults: from the 1st of January of this year to today. */
export const StatsRangeQuery = Type.Object(
  { from: Type.Optional(StatsDay), to: Type.Optional(StatsDay) },
  { additionalProperties: false },
);
export type StatsRangeQuery = Static<typeof StatsRangeQuery>;

export const StatsGrowthQuery = Type.Object({ baseline: StatsDay }, { additionalProperties: false });
export type StatsGrowthQuery = Static<typeof StatsGrowthQuery>;

const Count = Type.Integer({ minimum: 0 });
export const CountAmount = Type.Object({ count: Count, amountFen: Fen });
export type CountAmount = Static<typeof CountAmount>;

/** The flow figures of a range (sums over its days) and the stock figures at its last day. */
const figureProps = {
  vouchersIssued: CountAmount,
  vouchersRedeemed: CountAmount,
  /** Issued vouchers given back in the range (booking cancelled, rejected, expired, no-show): issued − voided is the net. */
  vouchersVoided: CountAmount,
  bookings: CountAmount,
  enterprisesUsingVouchers: Count,
  registryEnterprises: Count,
  enterprises: Count,
  instruments: Count,
  /** Counties (of the city's 11) with at least one enterprise subsidized in the range. */
  countiesCovered: Count,
};
export const StatsFigures = Type.Object(figureProps);
export type StatsFigures = Static<typeof StatsFigures>;

// One flat object each (no allOf: the response check strips what a sub-schema does not name).
export const StatsOverview = Type.Object({ from: StatsDay, to: StatsDay, countiesTotal: Count, ...figureProps });
export type StatsOverview = Static<typeof StatsOverview>;

/** Ratio to the same days one year before (3.2 = 3.2×), 4 decimals; null when that period had 0. */
const Ratio = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);
export const StatsYoy = Type.Object({
  vouchersIssuedCount: Ratio,
  vouchersIssuedAmount: Ratio,
  vouchersRedeemedCount: Ratio,
  vouchersRedeemedAmount: Ratio,
  bookingsCount: Ratio,
  bookingsAmount: Ratio,
  enterprisesUsingVouchers: Ratio,
  registryEnterprises: Ratio,
  enterprises: Ratio,
  instruments: Ratio,
});
export type StatsYoy = Static<typeof StatsYoy>;

export const StatsMonthItem = Type.Object({ month: StatsMonth, from: StatsDay, to: StatsDay, ...figureProps, yoy: StatsYoy });
export type StatsMonthItem = Static<typeof StatsMonthItem>;
export const StatsMonthly = Type.Object({ from: StatsDay, to: StatsDay, items: Type.Array(StatsMonthItem) });
export type StatsMonthly = Static<typeof StatsMonthly>;

/** `count`: enterprises subsidized; `amountFen`: face value issued; `share`: percent of the counts, 2 decimals, adding to 100.00. */
export const StatsShareItem = <T extends readonly string[]>(codes: T) =>
  Type.Object({ code: StringEnum(codes), count: Count, amountFen: Fen, share: Type.Number({ minimum: 0, maximum: 100 }) });
export const StatsByCounty = Type.Object({ from: StatsDay, to: StatsDay, items: Type.Array(StatsShareItem(COUNTY_CODES)) });
export type StatsByCounty = Static<typeof StatsByCounty>;
export const StatsByIndustry = Type.Object({ from: StatsDay, to: StatsDay, items: Type.Array(StatsShareItem(INDUSTRY_CODES)) });
export type StatsByIndustry = Static<typeof StatsByIndustry>;

const GrowthFigure = Type.Object({
  baseline: Count,
  now: Count,
  /** (now − baseline) / baseline in percent, 2 decimals; null when the baseline was 0. */
  growthPercent: Type.Union([Type.Number(), Type.Null()]),
});
export const StatsGrowth = Type.Object({
  baseline: StatsDay,
  today: StatsDay,
  enterprises: GrowthFigure,
  instruments: GrowthFigure,
  registryEnterprises: GrowthFigure,
});
export type StatsGrowth = Static<typeof StatsGrowth>;

// Top instruments and providers (issue 12, the dashboard's ranking): bookings created in a day range.
export const STATS_TOP_BY = ["instrument", "provider"] as const;
export type StatsTopBy = (typeof STATS_TOP_BY)[number];
export const StatsTopQuery = Type.Object(
  {
    from: Type.Optional(StatsDay),
    to: Type.Optional(StatsDay),
    by: StringEnum(STATS_TOP_BY),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  },
  { additionalProperties: false },
);
export type StatsTopQuery = Static<typeof StatsTopQuery>;
/** `count`: bookings using the instrument (provider); `amountFen`: their price at creation, a package's split evenly over its items. */
export const StatsTopItem = Type.Object({ id: Type.String(), name: Type.String(), count: Count, amountFen: Fen });
export type StatsTopItem = Static<typeof StatsTopItem>;
export const StatsTop = Type.Object({ from: StatsDay, to: StatsDay, by: StringEnum(STATS_TOP_BY), items: Type.Array(StatsTopItem) });
export type StatsTop = Static<typeof StatsTop>;
// Settlement speed (issue 12): how long a paid claim waited, from its filing (first submission) to
// the settlement that paid it, in calendar days of the platform zone; per month of payment.
const SettlementSpeedProps = {
  /** Claims paid by settlements made in the range. */
  claims: Count,
  /** Median of their days from filing to payment (the mean of the two middle ones for an even count); null when none. */
  medianDays: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
};
export const StatsSettlementSpeedItem = Type.Object({ month: StatsMonth, from: StatsDay, to: StatsDay, ...SettlementSpeedProps });
export const StatsSettlementSpeed = Type.Object({ from: StatsDay, to: StatsDay, ...SettlementSpeedProps, items: Type.Array(StatsSettlementSpeedItem) });
export type StatsSettlementSpeed = Static<typeof StatsSettlementSpeed>;

// Innovation vouchers (创新券): the policy in force, quotes, vouchers, quotas and the ledger check.
import { COUNTY_CODES, ENTERPRISE_SIZES, SUBSIDY_REASONS, VOUCHER_STATUSES } from "../enums";
import { DateTime, Fen, Id, Page, PageQuery, StringEnum, Type, type Static } from "./common";
import { exactlyOne } from "./cross-field";

const Bp = Type.Integer({ minimum: 0, maximum: 10_000 });
const Day = Type.String({ format: "date" });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const Period = Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])$" });

/** The numbers of one policy version; every rate is in basis points (6000 = 60%). */
export const PolicyTerms = {
  /** The province's rate for an enterprise of this city (Liaocheng: 60%) and elsewhere in the province (40%). */
  provinceBpInCity: Bp,
  provinceBpElsewhere: Bp,
  /** The city's rate (30%), for services of providers located in the city only when cityLocalProvidersOnly. */
  cityBp: Bp,
  cityLocalProvidersOnly: Type.Boolean(),
  /** Subsidy (province + city) per year, counted across enterprises with the same actual controller. */
  annualCapFen: Fen,
  /** Subsidy per service; null: no per-service cap. */
  perServiceCapFen: Type.Union([Fen, Type.Null()]),
  /** Provider subsidy: share of each redeemed contract amount (5%), local providers only. */
  providerSubsidyBp: Bp,
  /** The city's match of a provincial performance award (1:1 = 10000). */
  awardMatchBp: Type.Integer({ minimum: 0, maximum: 100_000 }),
  /** Months after completion a claim may be filed (6). */
  claimWindowMonths: Type.Integer({ minimum: 1, maximum: 36 }),
  settlementCycle: StringEnum(["monthly"] as const),
  /** Enterprise sizes that may use vouchers (the tech-SME registry's small and micro firms). */
  eligibleEnterpriseSizes: Type.Array(StringEnum(ENTERPRISE_SIZES), { minItems: 1, maxItems: 3, uniqueItems: true }),
  /**
   * Only providers admitted after a public notice (admissions module) earn vouchers for their
   * services; absent in versions written before the setting existed (= false).
   */
  admittedProvidersOnly: Type.Optional(Type.Boolean()),
  /** To the fen, half up, province first, city = total − province (shared/voucher-split.ts). */
  rounding: StringEnum(["fen_half_up_province_first"] as const),
};

export const PolicyCreateBody = Type.Object(
  { effectiveFrom: Day, ...PolicyTerms, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type PolicyCreateBody = Static<typeof PolicyCreateBody>;

export const Policy = Type.Object({
  id: Id,
  /** In force from this day (Asia/Shanghai) until the next version's day. */
  effectiveFrom: Day,
  ...PolicyTerms,
  note: Type.Optional(Type.String()),
  createdAt: DateTime,
});
export type Policy = Static<typeof Policy>;
export const PolicyList = Type.Object({ items: Type.Array(Policy), inForce: Id });
export type PolicyList = Static<typeof PolicyList>;

/** Instrument time (instrumentId, start, end[, samples]) or a package (packageId, start). */
export const QuoteQuery = Type.Object(
  {
    instrumentId: Type.Optional(Id),
    packageId: Type.Optional(Id),
    start: DateTime,
    end: Type.Optional(DateTime),
    samples: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false, ...exactlyOne("instrumentId", "packageId") },
);
export type QuoteQuery = Static<typeof QuoteQuery>;

const SplitFields = {
  provinceFen: Fen,
  cityFen: Fen,
  enterpriseFen: Fen,
  /** Why a share is zero or below its rate. */
  reasons: Type.Array(StringEnum(SUBSIDY_REASONS)),
};
export const Quote = Type.Object({
  listPriceFen: Fen,
  ...SplitFields,
  /** The caller's annual quota left after this subsidy. */
  quotaAfterFen: Fen,
  policyId: Id,
});
export type Quote = Static<typeof Quote>;

/** A booking's subsidy: its voucher's once issued, else the expected split. */
export const BookingSubsidy = Type.Object({
  ...SplitFields,
  voucherId: Type.Optional(Id),
  voucherStatus: Type.Optional(StringEnum(VOUCHER_STATUSES)),
});
export type BookingSubsidy = Static<typeof BookingSubsidy>;

export const Voucher = Type.Object({
  id: Id,
  enterpriseId: Id,
  bookingId: Id,
  providerId: Id,
  county: StringEnum(COUNTY_CODES),
  /** The subsidy the voucher holds against the quota: provinceFen + cityFen. */
  faceValueFen: Fen,
  provinceFen: Fen,
  cityFen: Fen,
  listPriceFen: Fen,
  reasons: Type.Array(StringEnum(SUBSIDY_REASONS)),
  status: StringEnum(VOUCHER_STATUSES),
  /** The quota year (of the service date) and the month it was issued in. */
  year: Year,
  period: Period,
  policyId: Id,
  issuedAt: DateTime,
  voidedAt: Type.Optional(DateTime),
});
export type Voucher = Static<typeof Voucher>;

export const VoucherListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(VOUCHER_STATUSES)),
    county: Type.Optional(StringEnum(COUNTY_CODES)),
    /** Month of issue, YYYY-MM (Asia/Shanghai). */
    period: Type.Optional(Period),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type VoucherListQuery = Static<typeof VoucherListQuery>;
export const VoucherPage = Page(Voucher);

export const QuotaQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false });
export type QuotaQuery = Static<typeof QuotaQuery>;
export const Quota = Type.Object({
  year: Year,
  capFen: Fen,
  /** Held by vouchers issued and not yet redeemed or voided. */
  issuedFen: Fen,
  redeemedFen: Fen,
  availableFen: Fen,
  /** The quota account: shared by every enterprise with the same actual controller. */
  accountId: Type.String(),
});
export type Quota = Static<typeof Quota>;

export const LedgerDifference = Type.Object({
  accountId: Type.String(),
  what: Type.String(),
  expected: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  actual: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
});
export const LedgerVerification = Type.Object({
  ok: Type.Boolean(),
  accounts: Type.Integer({ minimum: 0 }),
  entries: Type.Integer({ minimum: 0 }),
  differences: Type.Array(LedgerDifference),
});
export type LedgerVerification = Static<typeof LedgerVerification>;

/** The bureau's verified actual controller of an enterprise (null: none known, the enterprise counts alone). */
export const ActualControllerBody = Type.Object(
  { actualController: Type.Union([Type.String({ minLength: 1, maxLength: 100, pattern: "\\S" }), Type.Null()]) },
  { additionalProperties: false },
);
export type ActualControllerBody = Static<typeof ActualControllerBody>;

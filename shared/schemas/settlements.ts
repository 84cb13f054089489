// Monthly settlement (兑付, "本月申请，次月兑付"): one settlement per period pays every claim approved
// in that month, the provider subsidy of those claims and the city's match of provincial awards
// recorded before it. See docs/settlement.md.
import { DateTime, Fen, Id, StringEnum, Type, type Static } from "./common";

const Period = Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])$" });

/**
 * voucher_subsidy: a claim's province or city part, paid to the enterprise that claimed it;
 * provider_subsidy: providerSubsidyBp of the claim's contract amount to a local provider (city funds);
 * award_match: the city's match of a provincial performance award to a provider (city funds).
 */
export const SETTLEMENT_LINE_KINDS = ["voucher_subsidy", "provider_subsidy", "award_match"] as const;
export type SettlementLineKind = (typeof SETTLEMENT_LINE_KINDS)[number];
export const FUNDING_SOURCES = ["province", "city"] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export const PAYEE_KINDS = ["enterprise", "provider"] as const;
export const EXPORT_FORMATS = ["xlsx", "csv"] as const;

export const SettlementBody = Type.Object({ period: Period }, { additionalProperties: false });
export type SettlementBody = Static<typeof SettlementBody>;

/** The payee's bank account when the organization has recorded one (none do yet: the export leaves it blank). */
export const BankAccount = Type.Object({ bankName: Type.String(), accountName: Type.String(), accountNo: Type.String() });

export const SettlementLine = Type.Object({
  kind: StringEnum(SETTLEMENT_LINE_KINDS),
  payeeKind: StringEnum(PAYEE_KINDS),
  payeeId: Id,
  payeeName: Type.String(),
  bank: Type.Optional(BankAccount),
  amountFen: Fen,
  source: StringEnum(FUNDING_SOURCES),
  claimId: Type.Optional(Id),
  voucherId: Type.Optional(Id),
  awardId: Type.Optional(Id),
});
export type SettlementLine = Static<typeof SettlementLine>;

export const SettlementTotals = Type.Object({
  provinceFen: Fen,
  cityFen: Fen,
  /** provinceFen + cityFen = the sum of every line. */
  totalFen: Fen,
  voucherSubsidyFen: Fen,
  providerSubsidyFen: Fen,
  awardMatchFen: Fen,
  claims: Type.Integer({ minimum: 0 }),
  awards: Type.Integer({ minimum: 0 }),
});
export type SettlementTotals = Static<typeof SettlementTotals>;

export const Settlement = Type.Object({
  /** The period itself, YYYY-MM: one settlement per month. */
  id: Id,
  period: Period,
  lines: Type.Array(SettlementLine),
  totals: SettlementTotals,
  createdAt: DateTime,
  createdBy: Id,
});
export type Settlement = Static<typeof Settlement>;

export const SettlementSummary = Type.Object({ id: Id, period: Period, totals: SettlementTotals, createdAt: DateTime });
export type SettlementSummary = Static<typeof SettlementSummary>;
export const SettlementList = Type.Object({ items: Type.Array(SettlementSummary) });
export type SettlementList = Static<typeof SettlementList>;

export const SettlementExportQuery = Type.Object(
  { format: Type.Optional(StringEnum(EXPORT_FORMATS, { default: "xlsx" })) },
  { additionalProperties: false },
);
export type SettlementExportQuery = Static<typeof SettlementExportQuery>;
/** The payout file: columns 收款方, 收款方类型, 开户行, 户名, 账号, 金额（元）, 资金来源, 类别, 申请编号/奖励编号. */
export const SettlementExportFile = Type.String({ description: "the payout file (xlsx or csv, UTF-8 with BOM)" });

/** GET /api/payouts: what my organization was paid (an enterprise its subsidies, a provider its subsidies and award matches). */
export const PayoutQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false });
export type PayoutQuery = Static<typeof PayoutQuery>;
export const Payout = Type.Object({ ...SettlementLine.properties, settlementId: Id, period: Period, paidAt: DateTime });
export type Payout = Static<typeof Payout>;
export const PayoutList = Type.Object({ items: Type.Array(Payout), totalFen: Fen });
export type PayoutList = Static<typeof PayoutList>;

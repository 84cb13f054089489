// The exchange format of each kind of record (docs/exchange.md): one fixed list of fields per kind,
// the same in JSON and CSV, every field present (null when absent), amounts in fen, times ISO 8601
// in city time with their offset. Built from the modules' documents (projections or folded streams).
import { DateTime } from "luxon";
import type { CsvCell } from "../../../shared/csv";

const ZONE = "Asia/Shanghai";
export type ExchangeRow = Record<string, CsvCell | string[] | ExchangeRow[]>;

export const iso = (d: unknown): string | null => (d === undefined || d === null || d === "" ? null : DateTime.fromJSDate(new Date(d as string), { zone: ZONE }).toISO());
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

export const REGISTRATION_FIELDS = ["id", "orgType", "name", "creditCode", "county", "industry", "size", "providerKind", "status", "round", "actualController", "registeredAt", "reviewedAt", "reviewReason", "version"] as const;
export const VOUCHER_FIELDS = ["id", "bookingId", "enterpriseId", "providerId", "county", "status", "faceValueFen", "provinceFen", "cityFen", "listPriceFen", "reasons", "year", "period", "policyId", "issuedAt", "voidedAt", "voidReason", "version"] as const;
export const CLAIM_FIELDS = ["id", "voucherId", "bookingId", "enterpriseId", "providerId", "county", "status", "invoiceNo", "contractNo", "contractAmountFen", "amountFen", "provinceFen", "cityFen", "enterpriseFen", "faceValueFen", "policyId", "completedAt", "deadline", "submittedAt", "lastSubmittedAt", "decidedAt", "approvedPeriod", "reason", "version"] as const;
export const SETTLEMENT_FIELDS = ["id", "period", "createdAt", "createdBy", "provinceFen", "cityFen", "totalFen", "voucherSubsidyFen", "providerSubsidyFen", "awardMatchFen", "claims", "awards", "lines"] as const;
export const SETTLEMENT_LINE_FIELDS = ["settlementId", "period", "lineNo", "kind", "payeeKind", "payeeId", "payeeName", "amountFen", "source", "claimId", "voucherId", "awardId"] as const;

type Doc = Record<string, unknown>;

export function registrationRecord(d: Doc, orgType: "enterprise" | "provider"): ExchangeRow {
  const enterprise = orgType === "enterprise";
  return {
    id: String(d._id), orgType, name: str(d.name), creditCode: enterprise ? str(d.creditCode) : null, county: str(d.county),
    industry: enterprise ? str(d.industry) : null, size: enterprise ? str(d.size) : null, providerKind: enterprise ? null : str(d.kind),
    status: str(d.status), round: num(d.round) ?? 1, actualController: enterprise ? str(d.actualController) : null,
    registeredAt: iso(d.createdAt), reviewedAt: iso(d.reviewedAt), reviewReason: str(d.reviewReason), version: num(d.version),
  };
}

export function voucherRecord(d: Doc): ExchangeRow {
  return {
    id: String(d._id), bookingId: str(d.bookingId), enterpriseId: str(d.enterpriseId), providerId: str(d.providerId), county: str(d.county),
    status: str(d.status), faceValueFen: num(d.faceValueFen), provinceFen: num(d.provinceFen), cityFen: num(d.cityFen), listPriceFen: num(d.listPriceFen),
    reasons: Array.isArray(d.reasons) ? (d.reasons as string[]) : [], year: num(d.year), period: str(d.period), policyId: str(d.policyId),
    issuedAt: iso(d.issuedAt), voidedAt: iso(d.voidedAt), voidReason: str(d.voidReason), version: num(d.version),
  };
}

export function claimRecord(d: Doc): ExchangeRow {
  const contract = num(d.contractAmountFen);
  const amount = num(d.amountFen);
  return {
    id: String(d._id), voucherId: str(d.voucherId), bookingId: str(d.bookingId), enterpriseId: str(d.enterpriseId), providerId: str(d.providerId),
    county: str(d.county), status: str(d.status), invoiceNo: str(d.invoiceNo), contractNo: str(d.contractNo),
    contractAmountFen: contract, amountFen: amount, provinceFen: num(d.provinceFen), cityFen: num(d.cityFen),
    enterpriseFen: contract !== null && amount !== null ? contract - amount : null, faceValueFen: num(d.faceValueFen), policyId: str(d.policyId),
    completedAt: iso(d.completedAt), deadline: iso(d.deadline), submittedAt: iso(d.submittedAt), lastSubmittedAt: iso(d.lastSubmittedAt),
    decidedAt: iso(d.decidedAt), approvedPeriod: str(d.approvedPeriod), reason: str(d.reason), version: num(d.version),
  };
}

export function settlementLineRecords(d: Doc): ExchangeRow[] {
  const lines = (d.lines ?? []) as Doc[];
  return lines.map((l, k) => ({
    settlementId: String(d._id), period: str(d.period), lineNo: k + 1, kind: str(l.kind), payeeKind: str(l.payeeKind), payeeId: str(l.payeeId),
    payeeName: str(l.payeeName), amountFen: num(l.amountFen), source: str(l.source), claimId: str(l.claimId), voucherId: str(l.voucherId), awardId: str(l.awardId),
  }));
}

export function settlementRecord(d: Doc): ExchangeRow {
  const t = (d.totals ?? {}) as Doc;
  return {
    id: String(d._id), period: str(d.period), createdAt: iso(d.createdAt), createdBy: str(d.createdBy),
    provinceFen: num(t.provinceFen), cityFen: num(t.cityFen), totalFen: num(t.totalFen), voucherSubsidyFen: num(t.voucherSubsidyFen),
    providerSubsidyFen: num(t.providerSubsidyFen), awardMatchFen: num(t.awardMatchFen), claims: num(t.claims), awards: num(t.awards),
    lines: settlementLineRecords(d),
  };
}

/** The exchange record of a journal entry's subject state, if its kind has one. */
export function recordOfState(subjectType: string, state: Doc | undefined): ExchangeRow | null {
  if (!state) return null;
  if (subjectType === "enterprise" || subjectType === "provider") return registrationRecord(state, subjectType);
  if (subjectType === "voucher") return voucherRecord(state);
  if (subjectType === "claim") return claimRecord(state);
  if (subjectType === "settlement") return settlementRecord(state);
  return null;
}

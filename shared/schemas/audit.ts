// The audit log (issue 13): every review decision and money movement, read from the journal that
// follows the append-only streams (docs/audit.md). Bureau only.
import { DateTime, Id, PageQuery, StringEnum, Type, type Static } from "./common";

/** Every kind of entry; the part before the dot is its family (a `kind` filter may name either). */
export const AUDIT_KINDS = [
  "registration.registered", "registration.approved", "registration.rejected", "registration.resubmitted", "registration.revoked",
  "enterprise.controller_set",
  "voucher.issued", "voucher.declined", "voucher.voided", "voucher.claimed", "voucher.redeemed", "voucher.expired",
  "claim.submitted", "claim.approved", "claim.rejected", "claim.returned", "claim.resubmitted",
  "ledger.issue", "ledger.void", "ledger.expire", "ledger.redeem", "ledger.provider_subsidy", "ledger.award_match",
  "settlement.created", "award.recorded",
  "admission.notice_opened", "admission.objection_upheld", "admission.objection_dismissed",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
export const AUDIT_FAMILIES = ["registration", "enterprise", "voucher", "claim", "ledger", "settlement", "award", "admission"] as const;

export const AUDIT_SUBJECT_TYPES = ["enterprise", "provider", "voucher", "claim", "quota_account", "payout_account", "settlement", "award", "admission"] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];

/** A figure before or after: amounts in fen, statuses, counts. */
export const Figures = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]));
export type Figures = Static<typeof Figures>;

export const AuditEntry = Type.Object({
  /** Stable: `<collection>/<id of the source document>` (an event, a ledger entry, a settlement, …). */
  id: Type.String(),
  /** Its position in the change log (the exchange outbox). */
  seq: Type.Integer({ minimum: 1 }),
  kind: StringEnum(AUDIT_KINDS),
  at: DateTime,
  /** Who decided; null: the system (an automatic issue on confirmation, a settlement's movements, expiry). */
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  subjectType: StringEnum(AUDIT_SUBJECT_TYPES),
  subjectId: Type.String(),
  /** The organizations concerned (enterprise, provider). */
  orgIds: Type.Array(Type.String()),
  /** The money moved or decided on, in fen (absent for decisions without an amount). */
  amountFen: Type.Optional(Type.Integer()),
  before: Figures,
  after: Figures,
  reason: Type.Optional(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntry>;

const Day = Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$" });
const AuditFilter = {
  /** First and last day (Asia/Shanghai, inclusive), or instants. */
  from: Type.Optional(Type.Union([Day, DateTime])),
  to: Type.Optional(Type.Union([Day, DateTime])),
  actor: Type.Optional(Id),
  kind: Type.Optional(StringEnum([...AUDIT_KINDS, ...AUDIT_FAMILIES])),
  /** A subject's id, or an organization's: every entry about it. */
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9_:.-]+$" })),
};
export const AuditQuery = Type.Object({ ...AuditFilter, ...PageQuery }, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditPage = Type.Object({
  items: Type.Array(AuditEntry),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type AuditPage = Static<typeof AuditPage>;

export const AUDIT_EXPORT_FORMATS = ["csv", "json"] as const;
export const AuditExportQuery = Type.Object({ ...AuditFilter, format: Type.Optional(StringEnum(AUDIT_EXPORT_FORMATS)) }, { additionalProperties: false });
export type AuditExportQuery = Static<typeof AuditExportQuery>;
export const AuditExportFile = Type.String({ description: "the filtered audit log, newest first: CSV (UTF-8 with BOM) or JSON {items}" });

// Data exchange with the provincial science cloud platform ("一次申请"): per-period exports and the
// outbox of change records a connector pulls. Field tables and examples: docs/exchange.md.
import { AUDIT_KINDS, AUDIT_SUBJECT_TYPES, Figures } from "./audit";
import { StringEnum, Type, type Static } from "./common";

const Period = Type.String({ pattern: "^20[0-9]{2}-(0[1-9]|1[0-2])$" });
export const EXCHANGE_KINDS = ["registrations", "vouchers", "claims", "settlements"] as const;
export type ExchangeKind = (typeof EXCHANGE_KINDS)[number];
export const EXCHANGE_FORMATS = ["json", "csv"] as const;

export const ExchangeExportQuery = Type.Object(
  { period: Period, kind: Type.Optional(StringEnum(EXCHANGE_KINDS)), format: Type.Optional(StringEnum(EXCHANGE_FORMATS)) },
  { additionalProperties: false },
);
export type ExchangeExportQuery = Static<typeof ExchangeExportQuery>;
export const ExchangeExportFile = Type.String({ description: "JSON {format, period, generatedAt, registrations?, vouchers?, claims?, settlements?} or CSV of one kind (UTF-8 with BOM); docs/exchange.md" });

/** A record in exchange format: stable field names, amounts in fen, times ISO 8601 with offset (+08:00), null when absent. */
export const ExchangeRecord = Type.Record(Type.String(), Type.Unknown());

export const OutboxQuery = Type.Object(
  {
    /** The `next` of the previous page (0: from the beginning). */
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type OutboxQuery = Static<typeof OutboxQuery>;

export const OutboxRecord = Type.Object({
  /** Stable for ever: the same change has the same id however often it is read. */
  id: Type.String(),
  /** Its position in the change log; records come in increasing `seq`. */
  seq: Type.Integer({ minimum: 1 }),
  kind: StringEnum(AUDIT_KINDS),
  subjectType: StringEnum(AUDIT_SUBJECT_TYPES),
  subjectId: Type.String(),
  at: Type.String({ format: "date-time" }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  amountFen: Type.Union([Type.Integer(), Type.Null()]),
  before: Figures,
  after: Figures,
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The subject after the change, in its export format (registrations, vouchers, claims, settlements); else null. */
  record: Type.Union([ExchangeRecord, Type.Null()]),
});
export type OutboxRecord = Static<typeof OutboxRecord>;

export const OutboxPage = Type.Object({
  records: Type.Array(OutboxRecord),
  /** Pass as `after` for the next page; equals `after` when nothing new is ready yet. */
  next: Type.Integer({ minimum: 0 }),
  /** More records are ready now (else: poll again later). */
  more: Type.Boolean(),
});
export type OutboxPage = Static<typeof OutboxPage>;

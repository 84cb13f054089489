// The journal: one entry per audited source document (an event, a ledger entry, a settlement, an
// award, an admission decision), and the change log that numbers them for the exchange outbox.
//   audit_journal   `_id = <collection>/<source _id>`  the audit entry; inserting it decides which
//                                                      change-log number is the entry's (`seq`)
//   change_log      `_id = <n>` (a number)             the n-th change record, taken by an insert;
//                                                      or a gap closed by a reader (`gap: true`)
//   change_log_head `_id = "head"`                     a hint of the highest n (probed forward)
//   audit_checkpoints `_id = "repair"`                 how far the repair pass has looked
// Nothing is updated in place except the two hints, which only ever save reads (docs/audit.md).
import { Schema, type Connection, type Model } from "mongoose";
import type { AuditKind, AuditSubjectType, Figures } from "../../../shared/schemas/audit";

const opts = { versionKey: false, minimize: false } as const;

/** What an audit entry says, before it has a number. */
export interface JournalFacts {
  kind: AuditKind;
  at: Date;
  actorId: string | null;
  subjectType: AuditSubjectType;
  subjectId: string;
  orgIds: string[];
  amountFen?: number;
  before: Figures;
  after: Figures;
  reason?: string;
  /** The subject's state after this change, for the exchange (registrations, vouchers, claims, settlements). */
  state?: Record<string, unknown>;
}

export interface JournalDoc extends JournalFacts {
  _id: string;
  seq: number;
}
const journalSchema = new Schema<JournalDoc>(
  {
    _id: String,
    seq: { type: Number, required: true },
    kind: { type: String, required: true, index: true },
    at: { type: Date, required: true, index: true },
    actorId: { type: String, default: null, index: true },
    subjectType: { type: String, required: true },
    subjectId: { type: String, required: true, index: true },
    orgIds: { type: [String], default: [] },
    amountFen: Number,
    before: { type: Schema.Types.Mixed, default: {} },
    after: { type: Schema.Types.Mixed, default: {} },
    reason: String,
    state: Schema.Types.Mixed,
  },
  opts,
);

export interface ChangeDoc {
  _id: number;
  /** The journal key it records (absent for a gap). */
  key?: string;
  /** Closed by a reader: nobody recorded this number in time, and now nobody can. */
  gap?: true;
  recordedAt: Date;
  facts?: JournalFacts;
}
const changeSchema = new Schema<ChangeDoc>(
  { _id: Number, key: String, gap: Boolean, recordedAt: { type: Date, required: true }, facts: Schema.Types.Mixed },
  opts,
);

export interface HintDoc {
  _id: string;
  seq?: number;
  upTo?: Date;
}
const hintSchema = new Schema<HintDoc>({ _id: String, seq: Number, upTo: Date }, opts);

export interface AuditModels {
  journal: Model<JournalDoc>;
  changes: Model<ChangeDoc>;
  heads: Model<HintDoc>;
  checkpoints: Model<HintDoc>;
}

export function auditModels(conn: Connection): AuditModels {
  const model = <T>(name: string, schema: Schema<T>, collection: string) => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema, collection);
  return {
    journal: model("AuditJournal", journalSchema, "audit_journal"),
    changes: model("ChangeLog", changeSchema, "change_log"),
    heads: model("ChangeLogHead", hintSchema, "change_log_head"),
    checkpoints: model("AuditCheckpoint", hintSchema, "audit_checkpoints"),
  };
}

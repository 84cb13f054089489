// Provider admission for vouchers (准入公示). A notice is `<providerId>:<round>` (a provider gets a new
// round only after an objection sank the last one); an objection is its own document; the bureau's
// decision on an objection is a document whose `_id` is the objection's, so it is decided once.
// Nothing stores the notice's status: it follows from the clock and the decisions (service.ts).
import { Schema, type Connection } from "mongoose";
import { OBJECTION_DECISIONS } from "../../../shared/schemas/evidence";

const opts = { versionKey: false, minimize: false } as const;

export interface NoticeDoc {
  _id: string;
  providerId: string;
  providerName: string;
  round: number;
  opensAt: Date;
  endsAt: Date;
  openedBy: string;
}
const noticeSchema = new Schema<NoticeDoc>(
  {
    _id: String,
    providerId: { type: String, required: true, index: true },
    providerName: { type: String, required: true },
    round: { type: Number, required: true },
    opensAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    openedBy: { type: String, required: true },
  },
  opts,
);

export interface ObjectionDoc {
  _id: string;
  noticeId: string;
  reason: string;
  filedBy: string;
  filedAt: Date;
}
const objectionSchema = new Schema<ObjectionDoc>(
  {
    _id: String,
    noticeId: { type: String, required: true, index: true },
    reason: { type: String, required: true },
    filedBy: { type: String, required: true },
    filedAt: { type: Date, required: true },
  },
  opts,
);

export interface ObjectionDecisionDoc {
  _id: string; // the objection's id
  noticeId: string;
  decision: (typeof OBJECTION_DECISIONS)[number];
  note?: string;
  decidedBy: string;
  decidedAt: Date;
}
const decisionSchema = new Schema<ObjectionDecisionDoc>(
  {
    _id: String,
    noticeId: { type: String, required: true, index: true },
    decision: { type: String, enum: OBJECTION_DECISIONS, required: true },
    note: String,
    decidedBy: { type: String, required: true },
    decidedAt: { type: Date, required: true },
  },
  opts,
);

export function admissionModels(conn: Connection) {
  return {
    notices: conn.model<NoticeDoc>("AdmissionNotice", noticeSchema, "admission_notices"),
    objections: conn.model<ObjectionDoc>("AdmissionObjection", objectionSchema, "admission_objections"),
    decisions: conn.model<ObjectionDecisionDoc>("AdmissionObjectionDecision", decisionSchema, "admission_objection_decisions"),
  };
}
export type AdmissionModels = ReturnType<typeof admissionModels>;

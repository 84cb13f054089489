// Evidence and provider programme shapes (issue 10): uploads, provincial performance awards
// (省级绩效奖励) and provider admission notices (公示) with their objections.
import { DateTime, Fen, Id, StringEnum, Type, type Static } from "./common";

/** What an upload may be; checked from the file's first bytes, never from its name. */
export const UPLOAD_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const Upload = Type.Object({
  id: Id,
  name: Type.String(),
  size: Type.Integer({ minimum: 1, maximum: MAX_UPLOAD_BYTES }),
  type: StringEnum(UPLOAD_TYPES),
});
export type Upload = Static<typeof Upload>;
/** GET /api/uploads/:id answers the file itself. */
export const UploadFile = Type.String({ description: "the file's bytes, with its content type" });

export const AwardBody = Type.Object(
  { providerId: Id, year: Type.Integer({ minimum: 2000, maximum: 2100 }), provincialAwardFen: Type.Integer({ minimum: 1, maximum: 100_000_000_000 }) },
  { additionalProperties: false },
);
export type AwardBody = Static<typeof AwardBody>;
export const Award = Type.Object({
  id: Id,
  providerId: Id,
  providerName: Type.String(),
  year: Type.Integer(),
  provincialAwardFen: Fen,
  recordedBy: Id,
  recordedAt: DateTime,
});
export type Award = Static<typeof Award>;
export const AwardQuery = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false });
export const AwardList = Type.Object({ items: Type.Array(Award) });

/**
 * A notice's state, derived from the clock and the objections when read: open until it ends;
 * then admitted, or under review while an objection waits for the bureau; rejected once one is upheld.
 */
export const NOTICE_STATUSES = ["open", "under_review", "admitted", "rejected"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
export const OBJECTION_DECISIONS = ["uphold", "dismiss"] as const;

export const AdmissionBody = Type.Object({ providerId: Id }, { additionalProperties: false });
export const AdmissionNotice = Type.Object({
  id: Id,
  providerId: Id,
  providerName: Type.String(),
  opensAt: DateTime,
  endsAt: DateTime,
  status: StringEnum(NOTICE_STATUSES),
  /** When admission took effect (the end of the period, or the last objection's dismissal). */
  admittedAt: Type.Optional(DateTime),
  objections: Type.Integer({ minimum: 0 }),
  pendingObjections: Type.Integer({ minimum: 0 }),
});
export type AdmissionNotice = Static<typeof AdmissionNotice>;
export const AdmissionNoticeList = Type.Object({ items: Type.Array(AdmissionNotice) });

export const ObjectionBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const ObjectionDecisionBody = Type.Object(
  { decision: StringEnum(OBJECTION_DECISIONS), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export const Objection = Type.Object({
  id: Id,
  noticeId: Id,
  reason: Type.String(),
  filedBy: Id,
  filedAt: DateTime,
  decision: Type.Optional(StringEnum(OBJECTION_DECISIONS)),
  decisionNote: Type.Optional(Type.String()),
  decidedAt: Type.Optional(DateTime),
});
export type Objection = Static<typeof Objection>;
export const ObjectionList = Type.Object({ items: Type.Array(Objection) });
export const ObjectionParams = Type.Object({ id: Id, objectionId: Id }, { additionalProperties: false });

// Provider admission for vouchers: the bureau opens a public notice (公示) for a provider, anyone
// logged in may object while it is open, the bureau upholds or dismisses each objection, and the
// provider is admitted when the period ends without an upheld objection (DESIGN.md, issue 10).
// Exclusive decisions are inserts: the notice `<providerId>:<round>`, the decision `<objectionId>`.
import { DateTime } from "luxon";
import type { OrgStatus } from "../../../shared/enums";
import type { AdmissionNotice, Objection } from "../../../shared/schemas/evidence";
import { newId } from "../../db/ids";
import { isDuplicateKeyError } from "../../db/errors";
import { announceAppend } from "../../db/append-observers";
import { ConflictError, NotFoundError, RuleError } from "../../errors";
import type { Actor } from "../accounts/actor";
import type { AdmissionModels, NoticeDoc, ObjectionDecisionDoc, ObjectionDoc } from "./model";
import { noticeState } from "./status";

/** The provider as the accounts module shows it (its name and registration status). */
export type FindProvider = (providerId: string) => Promise<{ name: string; status: OrgStatus } | null>;
const ZONE = "Asia/Shanghai";

export class AdmissionsService {
  now: () => number = () => Date.now();

  constructor(
    private readonly m: AdmissionModels,
    private readonly findProvider: FindProvider,
    private readonly opts: { noticeDays: number },
  ) {}

  /**
   * Opens round n + 1 for an approved provider; 409 ADMISSION_EXISTS while an earlier round is open,
   * under review or admitted.
   */
  async open(actor: Actor, providerId: string): Promise<AdmissionNotice> {
    const provider = await this.findProvider(providerId);
    if (!provider) throw new NotFoundError();
    // Only a registered (approved) provider can be proposed for voucher services.
    if (provider.status !== "approved") throw new RuleError("ADMISSION_PROVIDER_NOT_APPROVED", { status: provider.status });
    const name = provider.name;
    const rounds = await this.rounds(providerId);
    const last = rounds.at(-1);
    if (last) {
      const state = await this.stateOf(last);
      if (state.status !== "rejected") throw new ConflictError("ADMISSION_EXISTS", { status: state.status });
    }
    const opensAt = DateTime.fromMillis(this.now(), { zone: ZONE });
    const doc: NoticeDoc = {
      _id: `${providerId}:${rounds.length + 1}`, providerId, providerName: name, round: rounds.length + 1,
      opensAt: opensAt.toJSDate(), endsAt: opensAt.plus({ days: this.opts.noticeDays }).toJSDate(), openedBy: actor.userId,
    };
    try {
      await this.m.notices.create(doc);
      announceAppend(this.m.notices.db, "admission_notices", doc);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError("ADMISSION_EXISTS", { status: "open" });
      throw err;
    }
    return this.present(doc, [], []);
  }

  /** Every notice, newest first, with its status now (public: no objection texts). */
  async notices(): Promise<AdmissionNotice[]> {
    const notices = await this.m.notices.find({}).sort({ opensAt: -1 }).lean<NoticeDoc[]>();
    const ids = notices.map((n) => n._id);
    const [objections, decisions] = await Promise.all([
      this.m.objections.find({ noticeId: { $in: ids } }).lean<ObjectionDoc[]>(),
      this.m.decisions.find({ noticeId: { $in: ids } }).lean<ObjectionDecisionDoc[]>(),
    ]);
    return notices.map((n) => this.present(n, objections.filter((o) => o.noticeId === n._id), decisions.filter((d) => d.noticeId === n._id)));
  }

  async file(actor: Actor, noticeId: string, reason: string): Promise<Objection> {
    const notice = await this.notice(noticeId);
    const now = this.now();
    if (now >= notice.endsAt.getTime()) throw new RuleError("NOTICE_CLOSED");
    const doc: ObjectionDoc = { _id: newId(), noticeId, reason: reason.trim(), filedBy: actor.userId, filedAt: new Date(now) };
    await this.m.objections.create(doc);
    return presentObjection(doc, undefined);
  }

  async objections(noticeId: string): Promise<Objection[]> {
    await this.notice(noticeId);
    const [objections, decisions] = await this.objectionsOf(noticeId);
    const byId = new Map(decisions.map((d) => [d._id, d]));
    return objections.sort((a, b) => a.filedAt.getTime() - b.filedAt.getTime()).map((o) => presentObjection(o, byId.get(o._id)));
  }

  /** Upholds or dismisses an objection, once: the decision's `_id` is the objection's. */
  async decide(actor: Actor, noticeId: string, objectionId: string, decision: "uphold" | "dismiss", note?: string): Promise<Objection> {
    const objection = await this.m.objections.findById(objectionId).lean<ObjectionDoc>();
    if (!objection || objection.noticeId !== noticeId) throw new NotFoundError();
    const doc: ObjectionDecisionDoc = {
      _id: objectionId, noticeId, decision, ...(note?.trim() ? { note: note.trim() } : {}), decidedBy: actor.userId, decidedAt: new Date(this.now()),
    };
    try {
      await this.m.decisions.create(doc);
      announceAppend(this.m.decisions.db, "admission_objection_decisions", doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const winner = await this.m.decisions.findById(objectionId).lean<ObjectionDecisionDoc>();
      throw new ConflictError("OBJECTION_ALREADY_DECIDED", { decision: winner?.decision ?? "?" });
    }
    return presentObjection(objection, doc);
  }

  /** Whether the provider's admission is in effect at `at` (for the voucher module). */
  async isAdmitted(providerId: string, at: Date = new Date(this.now())): Promise<boolean> {
    for (const notice of await this.rounds(providerId)) {
      const [objections, decisions] = await this.objectionsOf(notice._id);
      const state = noticeState(notice, objections, decisions, at.getTime());
      if (state.status === "admitted") return true;
    }
    return false;
  }

  /** The provider's notices in round order, read by `_id` (rounds are few). */
  private async rounds(providerId: string): Promise<NoticeDoc[]> {
    const out: NoticeDoc[] = [];
    for (let round = 1; ; round++) {
      const doc = await this.m.notices.findById(`${providerId}:${round}`).lean<NoticeDoc>();
      if (!doc) return out;
      out.push(doc);
    }
  }

  private async notice(id: string): Promise<NoticeDoc> {
    const doc = await this.m.notices.findById(id).lean<NoticeDoc>();
    if (!doc) throw new NotFoundError();
    return doc;
  }

  private objectionsOf(noticeId: string): Promise<[ObjectionDoc[], ObjectionDecisionDoc[]]> {
    return Promise.all([this.m.objections.find({ noticeId }).lean<ObjectionDoc[]>(), this.m.decisions.find({ noticeId }).lean<ObjectionDecisionDoc[]>()]);
  }

  private async stateOf(notice: NoticeDoc) {
    const [objections, decisions] = await this.objectionsOf(notice._id);
    return noticeState(notice, objections, decisions, this.now());
  }

  private present(n: NoticeDoc, objections: ObjectionDoc[], decisions: ObjectionDecisionDoc[]): AdmissionNotice {
    const state = noticeState(n, objections, decisions, this.now());
    return {
      id: n._id, providerId: n.providerId, providerName: n.providerName, opensAt: iso(n.opensAt), endsAt: iso(n.endsAt), status: state.status,
      ...(state.admittedAt ? { admittedAt: iso(state.admittedAt) } : {}), objections: state.objections, pendingObjections: state.pendingObjections,
    };
  }
}

const iso = (d: Date) => new Date(d).toISOString();

function presentObjection(o: ObjectionDoc, d: ObjectionDecisionDoc | undefined): Objection {
  return {
    id: o._id, noticeId: o.noticeId, reason: o.reason, filedBy: o.filedBy, filedAt: iso(o.filedAt),
    ...(d ? { decision: d.decision, decidedAt: iso(d.decidedAt), ...(d.note ? { decisionNote: d.note } : {}) } : {}),
  };
}

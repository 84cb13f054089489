// A notice's status at an instant, from its dates and the objections decided by then: a pure
// function, so it needs no timer and no stored state (nothing to repair after a crash).
import type { NoticeStatus } from "../../../shared/schemas/evidence";
import type { NoticeDoc, ObjectionDecisionDoc, ObjectionDoc } from "./model";

export interface NoticeState {
  status: NoticeStatus;
  admittedAt?: Date;
  objections: number;
  pendingObjections: number;
}

export function noticeState(notice: NoticeDoc, objections: readonly ObjectionDoc[], decisions: readonly ObjectionDecisionDoc[], at: number): NoticeState {
  const filed = objections.filter((o) => o.filedAt.getTime() <= at);
  const decided = new Map(decisions.filter((d) => d.decidedAt.getTime() <= at).map((d) => [d._id, d]));
  const pending = filed.filter((o) => !decided.has(o._id)).length;
  const counts = { objections: filed.length, pendingObjections: pending };
  if ([...decided.values()].some((d) => d.decision === "uphold")) return { status: "rejected", ...counts };
  if (at < notice.endsAt.getTime()) return { status: "open", ...counts };
  if (pending > 0) return { status: "under_review", ...counts };
  // In effect from the end of the period, or from the last dismissal made after it.
  const last = Math.max(notice.endsAt.getTime(), ...[...decided.values()].map((d) => d.decidedAt.getTime()));
  return { status: "admitted", admittedAt: new Date(last), ...counts };
}

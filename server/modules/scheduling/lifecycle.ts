// The booking lifecycle: each transition is the insert of event `<id>:<version + 1>`.
import type { BookingStatus } from "../../../shared/enums";
import type { Booking, CompleteBody, ReasonBody } from "../../../shared/schemas/scheduling";
import { appendEvent, eventId } from "../../db/event-store";
import { ConflictError, ForbiddenError, NotFoundError, RuleError, ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { CHECK_IN_OPENS_MINUTES } from "../../../shared/booking-actions";
import { MINUTE, type SchedulingCore } from "./core";
import type { BookingDoc } from "./model";
import { applyEvent, presentBooking, TRANSITIONS, type TransitionData, type TransitionName } from "./projection";
import { isActive, load, relation } from "./reads";

const MAX_TRANSITION_ATTEMPTS = 5;

/**
 * One transition: the caller's right (the acting provider confirms, rejects, checks in, completes
 * and records no-shows; the booker's members cancel until the deadline while it is confirmed, any
 * time while pending; an involved provider cancels with a reason), the current state, then the
 * event insert `<id>:<version + 1>`: of racing transitions exactly one gets in, the others re-read
 * and answer 409 INVALID_TRANSITION with the state the winner left.
 */
export async function transition(
  core: SchedulingCore,
  actor: Actor,
  id: string,
  name: Exclude<TransitionName, "expire">,
  body: ReasonBody | CompleteBody,
): Promise<Booking> {
  const t = TRANSITIONS[name];
  for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
    const doc = await load(core, id);
    if (!doc) throw new NotFoundError();
    const rel = relation(actor, doc);
    if (!rel.visible) throw new NotFoundError();
    const asEnterprise = name === "cancel" && rel.enterprise;
    if (!asEnterprise && !(name === "cancel" ? rel.provider : rel.acting)) throw new ForbiddenError();
    const now = core.now();
    if (doc.status === "pending" && doc.holdExpiresAt && doc.holdExpiresAt.getTime() <= now) {
      await applyTransition(core, doc, "expire", { status: "expired" }, null);
      continue; // re-read: the hold has lapsed
    }
    if (!(t.from as readonly BookingStatus[]).includes(doc.status)) throw new ConflictError("INVALID_TRANSITION", { status: doc.status });
    const reason = "reason" in body ? body.reason?.trim() : undefined;
    const needsReason = name === "reject" || (name === "cancel" && !asEnterprise);
    if (needsReason && !reason) throw new ValidationError([{ field: "/body/reason", rule: "required", message: "a reason is required" }]);
    if (asEnterprise && doc.status === "confirmed" && now > doc.cancelDeadline.getTime()) {
      throw new RuleError("CANCEL_DEADLINE_PASSED", { hours: doc.cancelDeadlineHours });
    }
    if (name === "noShow" && now < doc.firstStart.getTime()) throw new RuleError("NOT_STARTED");
    if (name === "checkIn") checkInWindow(doc.firstStart.getTime(), doc.lastEnd.getTime(), now);
    const data: TransitionData = { status: t.to, ...(reason ? { reason } : {}) };
    if (name === "complete") Object.assign(data, { contractAmountFen: (body as CompleteBody).contractAmountFen, reportNumber: (body as CompleteBody).reportNumber.trim() });
    const next = await applyTransition(core, doc, name, data, actor.userId);
    if (next) return presentBooking(next);
  }
  throw new ConflictError();
}

/** Check-in is open from CHECK_IN_OPENS_MINUTES before the start until the end (a lab's front desk). */
function checkInWindow(start: number, end: number, now: number): void {
  if (now < start - CHECK_IN_OPENS_MINUTES * MINUTE) throw new RuleError("CHECK_IN_TOO_EARLY", { minutes: CHECK_IN_OPENS_MINUTES });
  if (now >= end) throw new RuleError("CHECK_IN_CLOSED");
}

/** Appends the transition event; null if another transition took that number first. */
export async function applyTransition(core: SchedulingCore, doc: BookingDoc, name: TransitionName, data: TransitionData, actorId: string | null): Promise<BookingDoc | null> {
  const seq = doc.version + 1;
  const type = TRANSITIONS[name].type;
  if (!(await appendEvent(core.events, { aggregateId: doc._id, seq, type, data: { ...data }, actorId }))) return null;
  const next = applyEvent(doc, { _id: eventId(doc._id, seq), aggregateId: doc._id, seq, type, data: { ...data }, actorId, at: new Date() })!;
  await core.saveProjection(next);
  if (!isActive(next.status)) {
    await core.claims.release(next.claimIds, next._id);
    await core.announce(next.items);
  }
  core.emitBooking("booking.updated", next);
  return next;
}

// The booking lifecycle: each transition is the insert of event `<id>:<version + 1>`; of racing
// transitions exactly one gets in, the others re-read and answer with the state the winner left.
//
// Who may do what (a lab's rules):
// - confirm: each provider whose instrument requires confirmation confirms its own part; the booking
//   is confirmed when all of them have (a single instrument: its provider, as before);
// - reject: one of those providers, or the acting provider (the instrument's or package's), with a reason;
// - check in: an item's own provider, from 30 minutes before that item's start until its end;
// - complete: an item's own provider, once that item is checked in; the booking completes with its last item;
// - no-show: the acting provider or an item's provider, once the booking has started and nothing was
//   checked in;
// - cancel: the booker's members until the deadline while confirmed, any time while pending; any
//   involved provider with a reason (the package's provider included).
import { CHECK_IN_OPENS_MINUTES } from "../../../shared/booking-actions";
import type { BookingStatus } from "../../../shared/enums";
import type { Booking, CompleteBody, ReasonBody } from "../../../shared/schemas/scheduling";
import { appendEvent, eventId } from "../../db/event-store";
import { ConflictError, ForbiddenError, NotFoundError, RuleError, ValidationError } from "../../errors";
import type { Actor } from "../accounts/actor";
import { checkWithinPrice, requireExtrasReason } from "./contract";
import { MINUTE, type SchedulingCore } from "./core";
import type { BookingDoc } from "./model";
import { applyEvent, presentBooking, requiredConfirmations, TRANSITIONS, type TransitionData, type TransitionName } from "./projection";
import { isActive, load, relation } from "./reads";

const MAX_TRANSITION_ATTEMPTS = 5;

type ActionName = Exclude<TransitionName, "expire">;

export async function transition(core: SchedulingCore, actor: Actor, id: string, name: ActionName, body: ReasonBody | CompleteBody): Promise<Booking> {
  for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
    const doc = await load(core, id);
    if (!doc) throw new NotFoundError();
    const rel = relation(actor, doc);
    if (!rel.visible) throw new NotFoundError();
    const asEnterprise = name === "cancel" && rel.enterprise;
    if (!asEnterprise && !rel.provider) throw new ForbiddenError();
    const now = core.now();
    if (doc.status === "pending" && doc.holdExpiresAt && doc.holdExpiresAt.getTime() <= now) {
      await applyTransition(core, doc, "expire", { status: "expired" }, null);
      continue; // re-read: the hold has lapsed
    }
    if (!(TRANSITIONS[name].from as readonly BookingStatus[]).includes(doc.status)) throw new ConflictError("INVALID_TRANSITION", { status: doc.status });
    const data = decide(doc, name, body, { orgId: actor.membership!.orgId, asEnterprise, acting: rel.acting }, now);
    const next = await applyTransition(core, doc, name, data, actor.userId);
    if (next) return presentBooking(next);
  }
  throw new ConflictError();
}

interface Caller {
  orgId: string;
  asEnterprise: boolean;
  /** The caller is the booking's acting provider (the instrument's, or the package's). */
  acting: boolean;
}

/** The event data of `name` by `caller` on `doc` (in a state `name` may start from), or the rule it breaks. */
function decide(doc: BookingDoc, name: ActionName, body: ReasonBody | CompleteBody, caller: Caller, now: number): TransitionData {
  const reason = "reason" in body ? body.reason?.trim() : undefined;
  const needsReason = name === "reject" || (name === "cancel" && !caller.asEnterprise);
  if (needsReason && !reason) throw new ValidationError([{ field: "/body/reason", rule: "required", message: "a reason is required" }]);
  const withReason = reason ? { reason } : {};
  switch (name) {
    case "cancel":
      if (caller.asEnterprise && doc.status === "confirmed" && now > doc.cancelDeadline.getTime()) {
        throw new RuleError("CANCEL_DEADLINE_PASSED", { hours: doc.cancelDeadlineHours });
      }
      return { status: "cancelled", ...withReason };
    case "confirm": {
      const required = requiredConfirmations(doc);
      if (!required.includes(caller.orgId)) throw new ForbiddenError("ITEM_NOT_YOURS");
      if (doc.confirmedBy?.includes(caller.orgId)) throw new ConflictError("INVALID_TRANSITION", { status: doc.status });
      const confirmed = new Set([...(doc.confirmedBy ?? []), caller.orgId]);
      return { status: required.every((p) => confirmed.has(p)) ? "confirmed" : "pending", providerId: caller.orgId };
    }
    case "reject":
      if (!caller.acting && !requiredConfirmations(doc).includes(caller.orgId)) throw new ForbiddenError("ITEM_NOT_YOURS");
      return { status: "rejected", ...withReason };
    case "noShow":
      if (!caller.acting && !doc.items.some((i) => i.providerId === caller.orgId)) throw new ForbiddenError("ITEM_NOT_YOURS");
      if (now < doc.firstStart.getTime()) throw new RuleError("NOT_STARTED");
      return { status: "no_show", ...withReason };
    case "checkIn": {
      const item = pickItem(doc, caller.orgId, body.item, (i) => !i.checkedInAt);
      const it = doc.items[item]!;
      if (it.checkedInAt) throw new ConflictError("INVALID_TRANSITION", { status: doc.status });
      checkInWindow(it.start.getTime(), it.end.getTime(), now);
      return { status: "in_progress", item };
    }
    case "complete": {
      const item = pickItem(doc, caller.orgId, body.item, (i) => !!i.checkedInAt && !i.completedAt);
      const it = doc.items[item]!;
      if (it.completedAt) throw new ConflictError("INVALID_TRANSITION", { status: doc.status });
      if (!it.checkedInAt) throw new RuleError("NOT_CHECKED_IN");
      const complete = body as CompleteBody;
      const allDone = doc.items.every((other, k) => k === item || !!other.completedAt);
      const extras = declaredExtras(doc, item, complete);
      return { status: allDone ? "completed" : "in_progress", item, contractAmountFen: complete.contractAmountFen, reportNumber: complete.reportNumber.trim(), ...extras };
    }
  }
}

/**
 * The extras declared with an item's contract amount, checked against the booked price: the items
 * completed so far may not exceed it by more than the extras declared so far (issue 10).
 */
function declaredExtras(doc: BookingDoc, item: number, complete: CompleteBody): Pick<TransitionData, "extrasFen" | "extrasReason"> {
  const others = doc.items.filter((it, k) => k !== item && it.completedAt);
  const extrasFen = complete.extrasFen ?? 0;
  const extrasReason = complete.extrasReason?.trim() || undefined;
  const amount = others.reduce((sum, it) => sum + (it.contractAmountFen ?? 0), complete.contractAmountFen);
  const extras = others.reduce((sum, it) => sum + (it.extrasFen ?? 0), extrasFen);
  requireExtrasReason(extrasFen, extrasReason);
  checkWithinPrice(doc.priceFen, amount, extras);
  return extrasFen ? { extrasFen, extrasReason } : {};
}

/**
 * The item a check-in or completion is for: the one asked for, which must be on the caller's own
 * instrument, or else the caller's first item (by start) that `ready` accepts, or its first at all.
 */
function pickItem(doc: BookingDoc, orgId: string, asked: number | undefined, ready: (i: BookingDoc["items"][number]) => boolean): number {
  if (asked !== undefined) {
    if (asked >= doc.items.length) throw new ValidationError([{ field: "/body/item", rule: "maximum", message: `the booking has ${doc.items.length} items`, params: { limit: doc.items.length - 1 } }]);
    if (doc.items[asked]!.providerId !== orgId) throw new ForbiddenError("ITEM_NOT_YOURS");
    return asked;
  }
  const mine = doc.items.map((item, k) => ({ item, k })).filter((x) => x.item.providerId === orgId);
  if (mine.length === 0) throw new ForbiddenError("ITEM_NOT_YOURS");
  mine.sort((a, b) => a.item.start.getTime() - b.item.start.getTime());
  return (mine.find((x) => ready(x.item)) ?? mine[0]!).k;
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
    core.announceLater(next._id, next.items);
  }
  core.emitBooking("booking.updated", next);
  return next;
}

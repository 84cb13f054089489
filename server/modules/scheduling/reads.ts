// Reading bookings: the projection, healed from the event stream when it is behind.
import { ACTIVE_BOOKING_STATUSES, type BookingStatus } from "../../../shared/enums";
import type { PageOf } from "../../../shared/schemas/common";
import type { Booking, BookingListQuery } from "../../../shared/schemas/scheduling";
import { readById } from "../../db/batched-reads";
import { findByIds } from "../../db/by-ids";
import { eventId, readEvent, type StoredEvent } from "../../db/event-store";
import { ForbiddenError, NotFoundError } from "../../errors";
import { isBureau, type Actor } from "../accounts/actor";
import type { SchedulingCore } from "./core";
import type { BookingDoc } from "./model";
import { applyEvent, presentBooking } from "./projection";

export const isActive = (status: BookingStatus) => ACTIVE_BOOKING_STATUSES.includes(status);

/**
 * The booking with every event applied. The projection is written after each event; a crash in
 * between (or a slower writer putting an older version back) is repaired here, and a booking healed
 * into an inactive state releases its claims in case the crash came before the release.
 */
export async function load(core: SchedulingCore, id: string): Promise<BookingDoc | null> {
  let doc = await readById<BookingDoc>(core.m.bookings, id);
  let healed = false;
  if (!doc) {
    const first = await readEvent(core.events, id, 1);
    doc = first ? applyEvent(null, first) : null;
    if (!doc) return null;
    healed = true;
  }
  for (;;) {
    const next = await readEvent(core.events, id, doc.version + 1);
    if (!next) break;
    doc = applyEvent(doc, next)!;
    healed = true;
  }
  if (healed) {
    await core.saveProjection(doc);
    if (!isActive(doc.status)) await core.claims.release(doc.claimIds, id);
  }
  return doc;
}

/**
 * Brings projections that may lag their stream up to date: one batched look-up of the next event
 * `<id>:<version + 1>` of each, then `load` (fold and save) for those that have one. Returns the
 * healed bookings by id.
 */
export async function healMany(core: SchedulingCore, docs: readonly { _id: string; version: number }[]): Promise<Map<string, BookingDoc>> {
  const healed = new Map<string, BookingDoc>();
  if (docs.length === 0) return healed;
  const behind = await core.events.find({ _id: { $in: docs.map((d) => eventId(d._id, d.version + 1)) } }, { aggregateId: 1 }).lean();
  for (const { aggregateId } of behind) {
    const doc = await load(core, aggregateId);
    if (doc) healed.set(doc._id, doc);
  }
  return healed;
}

/**
 * Pending bookings whose hold lapses in (from, to]. Found through the live claims they hold (a
 * pending booking holds its claims until it leaves pending), so booking history is never scanned.
 */
export async function pendingLapsingBetween(core: SchedulingCore, from: Date, to: Date): Promise<{ _id: string }[]> {
  const ids = [...new Set((await core.claims.live()).map((c) => c.bookingId))];
  const heads = await findByIds<Pick<BookingDoc, "_id" | "status" | "holdExpiresAt">>(core.m.bookings, ids, { status: 1, holdExpiresAt: 1 });
  return heads.filter((b) => b.status === "pending" && b.holdExpiresAt && b.holdExpiresAt > from && b.holdExpiresAt <= to).map((b) => ({ _id: b._id }));
}

/** Folds the whole event stream again and rewrites the projection (a check, and a repair tool). */
export async function rebuildBooking(core: SchedulingCore, id: string): Promise<BookingDoc | null> {
  let doc: BookingDoc | null = null;
  for (let seq = 1; ; seq++) {
    const event: StoredEvent | null = await readEvent(core.events, id, seq);
    if (!event) break;
    doc = applyEvent(doc, event);
    if (!doc) return null;
  }
  if (doc) await core.m.bookings.replaceOne({ _id: id }, doc, { upsert: true });
  return doc;
}

export function relation(actor: Actor, doc: BookingDoc) {
  const orgId = actor.membership?.orgId;
  const enterprise = actor.membership?.orgType === "enterprise" && orgId === doc.enterpriseId;
  const provider = actor.membership?.orgType === "provider" && !!orgId && doc.providerIds.includes(orgId);
  const acting = provider && orgId === doc.actingProviderId;
  return { enterprise, provider, acting, visible: enterprise || provider || isBureau(actor) };
}

/** The booker's members, the involved providers and the bureau see a booking; others get 404. */
export async function get(core: SchedulingCore, actor: Actor, id: string): Promise<Booking> {
  const doc = await load(core, id);
  if (!doc || !relation(actor, doc).visible) throw new NotFoundError();
  return presentBooking(doc);
}

/**
 * A page of bookings. Every booking on it is healed from its stream (the projection may lag after a
 * crash or a race between two writers), so lists, counts and the provider's agenda show the truth.
 */
export async function list(core: SchedulingCore, actor: Actor, query: BookingListQuery): Promise<PageOf<Booking>> {
  const m = actor.membership;
  const scope = query.scope ?? (m?.orgType === "bureau" ? "all" : m?.orgType);
  const filter: Record<string, unknown> = {};
  if (scope === "enterprise" && m?.orgType === "enterprise") filter.enterpriseId = m.orgId;
  else if (scope === "provider" && m?.orgType === "provider") filter.providerIds = m.orgId;
  else if (!(scope === "all" && isBureau(actor))) throw new ForbiddenError();
  if (query.instrumentId) filter.instrumentIds = query.instrumentId;
  if (query.number !== undefined) {
    // One read by `_id` in booking_numbers; the rest of the filter keeps the caller's scope.
    const bookingId = await core.numbers.bookingOf(query.number.replace(/\s+/g, "").toUpperCase());
    filter._id = bookingId ?? "";
  }
  if (query.status) {
    // Only an active booking has events still to come: heal those in scope first, so the status
    // filter (and the total) reads the state their streams say.
    const open = await core.m.bookings.find({ ...filter, status: { $in: ACTIVE_BOOKING_STATUSES } }, { _id: 1, version: 1 }).lean();
    await healMany(core, open);
    filter.status = query.status;
  }
  if (query.from) filter.lastEnd = { $gt: new Date(query.from) };
  if (query.to) filter.firstStart = { $lt: new Date(query.to) };
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const [total, docs] = await Promise.all([
    core.m.bookings.countDocuments(filter),
    core.m.bookings.find(filter).sort({ firstStart: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<BookingDoc[]>(),
  ]);
  const healed = await healMany(core, docs);
  return { items: docs.map((d) => presentBooking(healed.get(d._id) ?? d)), total, page, pageSize };
}

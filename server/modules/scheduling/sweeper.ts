// The sweeper restores a clean state after crashes and lapsed holds (run every minute by main.ts).
import { ACTIVE_BOOKING_STATUSES } from "../../../shared/enums";
import { deleteMatching, findByIds } from "../../db/by-ids";
import { appendEvent, eventId, readEvent } from "../../db/event-store";
import { DAY, MINUTE, type SchedulingCore } from "./core";
import { applyTransition } from "./lifecycle";
import { ABANDONED } from "./projection";
import { isActive, load } from "./reads";
import type { BookingDoc } from "./model";

/** Claims younger than this may belong to a request still in flight: the sweeper leaves them. */
export const SWEEP_GRACE_MS = 2 * MINUTE;
/** Claims of slots over for this long are dropped: nothing can be booked in the past. */
const PAST_CLAIM_MS = DAY;
/** Idempotency records are kept this long (a client retries within minutes, not days). */
const IDEMPOTENCY_KEEP_MS = DAY;

export interface SweepResult {
  expired: number;
  healed: number;
  orphanClaims: number;
  pastClaims: number;
  idempotency: number;
}

/**
 * One sweep at a time per process: a call while one runs gets that run's promise (the timer in
 * main.ts fires every minute; a sweep that takes longer must not stack up, each one scanning).
 */
export function singleFlight<A extends unknown[], T>(run: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let running: Promise<T> | null = null;
  return (...args) => {
    running ??= run(...args).finally(() => {
      running = null;
    });
    return running;
  };
}

/**
 * What a sweep reads. "live" (every minute): the live claims, and the bookings holding them by `_id`:
 * a hold, a half-done transition or an unrecorded booking always still has its claims (they are
 * released last), so history never enters the scan. "all" (a process's first sweep): every active
 * booking too, for the case the live pass cannot see (a pending booking whose claims are gone).
 */
export type SweepScope = "live" | "all";

/**
 * Expires unconfirmed holds past their deadline (a transition event, so it races correctly with a
 * late confirm); heals projections behind their stream, and writes those a booking never got past
 * event 1 (the commit point, booking.ts); releases claims whose booking never got recorded (after
 * tombstoning it as event 1, so a slow request cannot finish later) or is no longer active; drops
 * claims of slots long over; forgets idempotency records older than a day. Reads: the live claims,
 * the bookings they name by `_id`, and one read per booking that needs repair; the service runs it
 * through `singleFlight`.
 */
export async function sweep(core: SchedulingCore, at: Date, scope: SweepScope = "live"): Promise<SweepResult> {
  const now = at.getTime();
  const cutoff = new Date(now - SWEEP_GRACE_MS);
  const byBooking = new Map<string, { ids: string[]; old: boolean }>();
  for (const c of await core.claims.live()) {
    const entry = byBooking.get(c.bookingId) ?? { ids: [], old: false };
    entry.ids.push(c._id);
    entry.old ||= c.createdAt <= cutoff;
    byBooking.set(c.bookingId, entry);
  }
  const candidates = new Set(byBooking.keys());
  if (scope === "all") {
    for (const { _id } of await core.m.bookings.find({ status: { $in: ACTIVE_BOOKING_STATUSES } }, { _id: 1 }).lean()) candidates.add(_id);
  }

  const ids = [...candidates];
  type Head = Pick<BookingDoc, "_id" | "version" | "status" | "claimIds" | "holdExpiresAt">;
  const heads = await findByIds<Head>(core.m.bookings, ids, { version: 1, status: 1, claimIds: 1, holdExpiresAt: 1 });
  const projections = new Map(heads.map((b) => [b._id, b]));
  const nextIds = ids.map((id) => eventId(id, (projections.get(id)?.version ?? 0) + 1));
  const behind = new Set((await findByIds<{ _id: string; aggregateId: string }>(core.events, nextIds, { aggregateId: 1 })).map((e) => e.aggregateId));

  let expired = 0;
  let healed = 0;
  let orphanClaims = 0;
  for (const bookingId of ids) {
    const claims = byBooking.get(bookingId);
    let booking: Head | null = projections.get(bookingId) ?? null;
    if (!booking && !behind.has(bookingId) && !claims?.old) continue; // in flight: not recorded yet
    if (!booking || behind.has(bookingId)) {
      booking = await load(core, bookingId);
      if (booking) healed++;
    }
    if (booking?.status === "pending" && booking.holdExpiresAt && booking.holdExpiresAt.getTime() <= now) {
      const current = await load(core, bookingId);
      const lapsed = current?.status === "pending" && current.holdExpiresAt && current.holdExpiresAt.getTime() <= now;
      const after = lapsed ? await applyTransition(core, current, "expire", { status: "expired" }, null) : null;
      if (after) expired++;
      booking = after ?? (await load(core, bookingId)); // lost the race to a confirm: read the winner
    }
    if (!claims) continue;
    if (!booking) {
      // Never recorded: tombstone event 1 so the request, if it is still alive, cannot record it now.
      await appendEvent(core.events, { aggregateId: bookingId, seq: 1, type: ABANDONED, data: {}, actorId: null });
      const first = await readEvent(core.events, bookingId, 1);
      if (first?.type !== ABANDONED) continue; // it got recorded just now: look again next time
    }
    const keep = booking && isActive(booking.status) ? new Set(booking.claimIds) : new Set<string>();
    const stray = claims.ids.filter((id) => !keep.has(id));
    if (stray.length > 0 && (claims.old || !booking || !isActive(booking.status))) orphanClaims += await core.claims.release(stray, bookingId);
  }
  const pastClaims = await deleteMatching(core.m.claims, { start: { $lt: new Date(now - PAST_CLAIM_MS) } });

  // By age alone: no event reads per record. A record whose request died before its commit point
  // answers a retry with IDEMPOTENCY_IN_PROGRESS until then (deleting it early, by `_id`, could
  // remove the record a newer retry just inserted under the same key: DESIGN.md, claims.ts).
  const idempotency = await deleteMatching(core.m.idempotency, { createdAt: { $lte: new Date(now - IDEMPOTENCY_KEEP_MS) } });
  return { expired, healed, orphanClaims, pastClaims, idempotency };
}

// A retried booking request books once: the record `<orgId>:<Idempotency-Key>` is inserted before
// anything is claimed, and names the booking the request will create.
//
// A request that died before its commit point leaves its record behind (the sweeper forgets records
// by age alone, after a day). A retry that finds such a record older than the sweeper's grace period
// tombstones the dead booking's event 1 (so a request still alive cannot record it any more) and
// moves on to the key's next *generation*, `<orgId>:<key>#1`, `#2`, …, as slot claims do
// (claims.ts): deleting the record instead could remove one a concurrent retry just inserted under
// the same `_id` (FerretDB deletes by `_id` after filtering), and the key would book twice.
import { createHash } from "node:crypto";
import type { Booking, BookingCreateBody } from "../../../shared/schemas/scheduling";
import { isDuplicateKeyError } from "../../db/errors";
import { appendEvent, readEvent } from "../../db/event-store";
import { newId } from "../../db/ids";
import { ConflictError, RuleError, ValidationError } from "../../errors";
import { keepsIdempotencyRecord } from "./booking";
import type { SchedulingCore } from "./core";
import { ABANDONED, presentBooking } from "./projection";
import { load } from "./reads";
import { SWEEP_GRACE_MS } from "./sweeper";

/** A retry arriving while the first request is in flight waits this long for its booking. */
const IDEMPOTENCY_WAIT_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `book` once per `<enterpriseId>:<key>`: a retry finds the record and returns the same booking;
 * a retry arriving while the first request is still in flight waits up to 3 s for it, then answers
 * 409 IDEMPOTENCY_IN_PROGRESS. A request that fails before its commit point removes its record, so a
 * retry runs anew; past the commit point (booking.ts) the booking exists and the record stays.
 */
export async function bookOnce(
  core: SchedulingCore,
  enterpriseId: string,
  idempotencyKey: string,
  body: BookingCreateBody,
  book: (bookingId: string) => Promise<Booking>,
): Promise<Booking> {
  if (!/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) {
    throw new ValidationError([{ field: "/headers/idempotency-key", rule: "pattern", message: "1–100 visible ASCII characters", params: { expected: "visibleAscii", max: 100 } }]);
  }
  const key = `${enterpriseId}:${idempotencyKey}`;
  let generation = 0;
  let recordId = key;
  const fingerprint = createHash("sha256").update(JSON.stringify(body)).digest("hex");
  const bookingId = newId();
  const waitUntil = Date.now() + IDEMPOTENCY_WAIT_MS;
  for (;;) {
    try {
      await core.m.idempotency.create({ _id: recordId, bookingId, fingerprint, createdAt: new Date() });
      break;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const record = await core.m.idempotency.findById(recordId).lean();
    if (!record) continue; // the first attempt failed and removed it: this one runs
    if (record.fingerprint !== fingerprint) throw new RuleError("IDEMPOTENCY_KEY_REUSED");
    const existing = await load(core, record.bookingId);
    if (existing) return presentBooking(existing);
    if (record.createdAt.getTime() <= Date.now() - SWEEP_GRACE_MS) {
      // Its request died before recording the booking, or is far too slow: make sure it never does.
      await appendEvent(core.events, { aggregateId: record.bookingId, seq: 1, type: ABANDONED, data: {}, actorId: null });
      if ((await readEvent(core.events, record.bookingId, 1))?.type === ABANDONED) recordId = `${key}#${++generation}`;
      continue; // (or it got recorded just now: load finds it)
    }
    if (Date.now() > waitUntil) throw new ConflictError("IDEMPOTENCY_IN_PROGRESS");
    await sleep(50);
  }
  try {
    return await book(bookingId);
  } catch (err) {
    // A booking that was recorded (or may have been) keeps its record, so a retry finds it.
    if (!keepsIdempotencyRecord(err)) await core.m.idempotency.deleteOne({ _id: recordId, bookingId });
    throw err;
  }
}

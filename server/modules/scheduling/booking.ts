// Making a booking. Write order: (idempotency record →) claims → event 1 ("created") → announce,
// projection, bus. A crash before event 1 leaves claims without a booking; the sweeper tombstones
// event 1 (so a slow request can no longer finish) and releases them after a grace period.
import type { Instrument } from "../../../shared/schemas/catalog";
import type { Booking, BookingCreateBody } from "../../../shared/schemas/scheduling";
import { itemListPriceFen } from "../../../shared/money";
import { appendEvent, eventId } from "../../db/event-store";
import { ConflictError, ForbiddenError, RuleError, ValidationError, type SlotConflict } from "../../errors";
import type { Actor } from "../accounts/actor";
import { bufferStarts, calendarOf, checkBookingWindow, partsOf, resolveRules } from "./availability";
import { HOUR, MINUTE, type Held, type PlannedItem, type SchedulingCore } from "./core";
import type { BookingCreated, BookingItemDoc } from "./model";
import { applyEvent, presentBooking } from "./projection";

export interface Enterprise {
  id: string;
  name: string;
}

/** What was held for a booking: its items (claimed), price, title and the provider who acts on it. */
export interface HeldPlan {
  items: PlannedItem[];
  priceFen: number;
  title: string;
  actingProviderId: string;
  packageId?: string;
}

/** The caller's enterprise, which must be approved (in the tech-SME registry) to book. */
export async function booker(core: SchedulingCore, actor: Actor): Promise<Enterprise> {
  const m = actor.membership;
  if (m?.orgType !== "enterprise") throw new ForbiddenError();
  const org = await core.d.organizations.get(actor, "enterprise", m.orgId);
  if (org.status !== "approved") throw new ForbiddenError("ENTERPRISE_NOT_APPROVED");
  return { id: org.id, name: org.name };
}

/**
 * Errors after which a booking request must keep its idempotency record: the booking was recorded,
 * or may have been (its outcome is unknown), so a retry must find it rather than book again.
 */
const keepRecord = new WeakSet<object>();
export const keepsIdempotencyRecord = (err: unknown) => typeof err === "object" && err !== null && keepRecord.has(err);

/**
 * Holds the time (`hold`), then records event 1: the commit point. Before it, a failure releases
 * what was held. Once event 1 is written the booking exists: a later step that fails (projection,
 * bus, announce) is reported and healed later (`load`, list reads and the sweeper write the
 * projection from the stream); it never releases the claims or fails the request.
 */
export async function book(
  core: SchedulingCore,
  actor: Actor,
  enterprise: Enterprise,
  body: BookingCreateBody,
  bookingId: string,
  hold: (held: Held) => Promise<HeldPlan>,
): Promise<Booking> {
  const held: Held = [];
  let booking: BookingCreated;
  let created: HeldPlan;
  try {
    created = await hold(held);
    // The number is taken once the time is held (a refused booking uses none), before event 1 so
    // that event 1 carries it: every view of the booking shows it from the start.
    const now = core.now();
    const number = await core.numbers.assign(bookingId, now);
    booking = newBooking(actor, enterprise, body, created, held.flatMap((h) => h.ids), number, now);
  } catch (err) {
    for (const h of held) await core.claims.release(h.ids, bookingId);
    throw err;
  }
  let recorded: boolean;
  try {
    recorded = await appendEvent(core.events, { aggregateId: bookingId, seq: 1, type: "created", data: { ...booking }, actorId: actor.userId, at: booking.createdAt });
  } catch (err) {
    // The insert may have landed: keep the claims and the idempotency record. The sweeper decides
    // (tombstone event 1, then release) once the grace period is over; a retry finds the booking.
    if (typeof err === "object" && err !== null) keepRecord.add(err);
    throw err;
  }
  if (!recorded) {
    // The sweeper or a retry tombstoned this booking (the request was too slow) and owns the
    // release. The idempotency record stays: it marks this generation of the key as used (idempotency.ts).
    const err = new ConflictError();
    keepRecord.add(err);
    throw err;
  }
  return afterCreated(core, bookingId, booking, created.items, actor.userId);
}

/** The steps after the commit point, each on its own: a failure is reported, not thrown. */
async function afterCreated(core: SchedulingCore, bookingId: string, booking: BookingCreated, planned: PlannedItem[], actorId: string): Promise<Booking> {
  const step = async (name: string, f: () => unknown) => {
    try {
      await f();
    } catch (err) {
      core.reportDeferred(name, bookingId, err);
    }
  };
  // Event 1 as written (its `at` is the booking's createdAt), so no read-back is needed.
  const doc = applyEvent(null, { _id: eventId(bookingId, 1), aggregateId: bookingId, seq: 1, type: "created", data: { ...booking }, actorId, at: booking.createdAt })!;
  await step("announce", () => core.announceClaimed(bookingId, planned)); // the claims are final: live views need not wait for the projection
  await step("projection", () => core.saveProjection(doc));
  await step("emit", () => core.emitBooking("booking.created", doc));
  return presentBooking(doc);
}

export async function holdInstrumentTime(
  core: SchedulingCore,
  body: BookingCreateBody,
  bookingId: string,
  held: Held,
  instrument: Promise<Instrument> = core.d.instruments.get(body.instrumentId!),
): Promise<HeldPlan> {
  const inst = await instrument;
  if (inst.status !== "active") throw new RuleError("INSTRUMENT_NOT_BOOKABLE");
  if (!body.end) throw new ValidationError([{ field: "/body/end", rule: "required", message: "instrument time needs an end" }]);
  if (inst.priceUnit === "sample" && body.samples === undefined) {
    throw new ValidationError([{ field: "/body/samples", rule: "required", message: "the instrument is priced per sample: give samples", params: { priceUnit: "sample" } }]);
  }
  if (inst.priceUnit === "hour" && body.samples !== undefined) {
    throw new ValidationError([{ field: "/body/samples", rule: "notApplicable", message: "the instrument is priced per hour", params: { priceUnit: "hour" } }]);
  }
  const start = Date.parse(body.start);
  const end = Date.parse(body.end);
  if (end <= start) throw new ValidationError([{ field: "/body/end", rule: "afterStart", message: "must be after start" }]);
  const rules = resolveRules(inst.rules, inst.slotMinutes);
  const buffer = bufferStarts(end, rules, inst.slotMinutes);
  // Maintenance windows are checked by the fence, after the claims are in (instrument-usage.ts): it
  // must read them then anyway, and reading them here too cost a scan per booking.
  const check = checkBookingWindow(calendarOf(inst, []), start, end, core.now());
  if (!check.ok) throw new RuleError(check.code, check.params);
  const instants = [...check.slots.map((s) => s.start), ...buffer];
  const conflicts = new Map<number, SlotConflict>();
  for (let unit = 0; unit < inst.capacity; unit++) {
    const result = await core.claims.claim(inst.id, instants, unit, bookingId);
    if (result.ok) {
      held.push({ instrumentId: inst.id, ids: result.ids });
      const item = { instrument: inst, rules, slots: check.slots, unit, instants };
      const minutes = (end - start) / MINUTE;
      const priceFen = itemListPriceFen(inst.priceFen, inst.priceUnit, { minutes, samples: body.samples });
      return { items: [item], priceFen, title: inst.name, actingProviderId: inst.providerId };
    }
    const at = result.takenAt;
    conflicts.set(at, { instrumentId: inst.id, start: new Date(at).toISOString(), end: new Date(at + inst.slotMinutes * MINUTE).toISOString() });
  }
  throw new ConflictError("SLOT_TAKEN", {}, [...conflicts.values()]);
}

function newBooking(actor: Actor, enterprise: Enterprise, body: BookingCreateBody, plan: HeldPlan, claimIds: string[], number: string, now: number): BookingCreated {
  const items: BookingItemDoc[] = plan.items.map((p) => ({
    instrumentId: p.instrument.id,
    instrumentName: p.instrument.name,
    providerId: p.instrument.providerId,
    start: new Date(p.slots[0]!.start),
    end: new Date(p.slots[p.slots.length - 1]!.end),
    parts: partsOf(p.slots).map((part) => ({ start: new Date(part.start), end: new Date(part.end) })),
    unit: p.unit,
    requiresConfirmation: p.rules.requiresConfirmation,
  }));
  const firstStart = Math.min(...items.map((i) => i.start.getTime()));
  const lastEnd = Math.max(...items.map((i) => i.end.getTime()));
  const requiresConfirmation = plan.items.some((p) => p.rules.requiresConfirmation);
  const holdHours = Math.min(...plan.items.map((p) => p.rules.holdHours));
  const deadlines = plan.items.map((p) => p.slots[0]!.start - p.rules.cancelDeadlineHours * HOUR);
  const instrumentIds = [...new Set(items.map((i) => i.instrumentId))];
  return {
    kind: plan.packageId ? "package" : "instrument",
    status: requiresConfirmation ? "pending" : "confirmed",
    enterpriseId: enterprise.id,
    enterpriseName: enterprise.name,
    providerIds: [...new Set([plan.actingProviderId, ...items.map((i) => i.providerId)])],
    actingProviderId: plan.actingProviderId,
    instrumentIds,
    ...(plan.packageId ? { packageId: plan.packageId } : { instrumentId: instrumentIds[0]! }),
    title: plan.title,
    number,
    items,
    // Each instrument's own provider confirms its items (its rules say whether it must).
    confirmationsRequired: [...new Set(items.filter((i) => i.requiresConfirmation).map((i) => i.providerId))],
    claimIds,
    ...(body.samples !== undefined && !plan.packageId ? { samples: body.samples } : {}),
    priceFen: plan.priceFen,
    useVoucher: body.useVoucher ?? false,
    ...(body.note?.trim() ? { note: body.note.trim() } : {}),
    // An unconfirmed hold lapses after holdHours, and at the latest when the booking would start.
    ...(requiresConfirmation ? { holdExpiresAt: new Date(Math.min(now + holdHours * HOUR, firstStart)) } : {}),
    cancelDeadline: new Date(Math.min(...deadlines)),
    cancelDeadlineHours: Math.max(...plan.items.map((p) => p.rules.cancelDeadlineHours)),
    firstStart: new Date(firstStart),
    lastEnd: new Date(lastEnd),
    createdBy: actor.userId,
    createdAt: new Date(now),
  };
}

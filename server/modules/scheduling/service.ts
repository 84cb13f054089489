// Availability, booking and the booking lifecycle. No HTTP in here.
//
// Exclusive decisions are inserts (DESIGN.md "The database"): slot claims (claims.ts) decide who holds
// instrument time, the n-th event `<bookingId>:<n>` decides each transition (one winner per race),
// `<orgId>:<Idempotency-Key>` decides that a retried request books once. Write order of a booking:
// idempotency record → claims → event 1 ("created") → projection. A crash anywhere leaves claims
// without a created booking; the sweeper (`sweep`) writes a tombstone as event 1 (so a slow request
// can no longer finish) and removes them, after a grace period.
import { isoInZone } from "../../../shared/time";
import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import { ACTIVE_BOOKING_STATUSES, type BookingStatus } from "../../../shared/enums";
import type { Instrument } from "../../../shared/schemas/catalog";
import type { PageOf } from "../../../shared/schemas/common";
import { MAX_AVAILABILITY_DAYS } from "../../../shared/schemas/scheduling";
import type {
  Availability,
  Booking,
  BookingCreateBody,
  BookingListQuery,
  CompleteBody,
  PackageSchedule,
  ReasonBody,
  Slot,
} from "../../../shared/schemas/scheduling";
import { appendEvent, eventId, readEvent, type EventModel, type StoredEvent } from "../../db/event-store";
import { isDuplicateKeyError } from "../../db/errors";
import { newId } from "../../db/ids";
import { ConflictError, ForbiddenError, NotFoundError, RuleError, ValidationError, type SlotConflict } from "../../errors";
import type { DomainEventBus } from "../../events";
import { isBureau, type Actor } from "../accounts/actor";
import type { OrganizationsService } from "../accounts/organizations";
import type { InstrumentsService } from "../catalog/instruments";
import type { PackagesService } from "../catalog/packages";
import { itemListPriceFen } from "../../../shared/money";
import {
  bookableWindow,
  bufferStarts,
  calendarOf,
  checkBookingWindow,
  computeAvailability,
  partsOf,
  resolveRules,
  type Calendar,
  type Interval,
} from "./availability";
import { ClaimStore } from "./claims";
import { PackagePlanner, type PlannedItem } from "./package-plan";
import type { BookingCreated, BookingDoc, BookingItemDoc, SchedulingModels } from "./model";
import { ABANDONED, applyEvent, presentBooking, TRANSITIONS, type TransitionData, type TransitionName } from "./projection";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Claims younger than this may belong to a request still in flight: the sweeper leaves them. */
export const SWEEP_GRACE_MS = 2 * MINUTE;
/** Claims of slots over for this long are dropped: nothing can be booked in the past. */
const PAST_CLAIM_MS = DAY;
/** Idempotency records are kept this long (a client retries within minutes, not days). */
const IDEMPOTENCY_KEEP_MS = DAY;
/** A retry arriving while the first request is in flight waits this long for its booking. */
const IDEMPOTENCY_WAIT_MS = 3_000;
const MAX_TRANSITION_ATTEMPTS = 5;

const isActive = (status: BookingStatus) => ACTIVE_BOOKING_STATUSES.includes(status);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Deps {
  instruments: InstrumentsService;
  packages: PackagesService;
  organizations: OrganizationsService;
}

export class SchedulingService {
  /** The clock in epoch ms; tests move it (Luxon's `Settings.now` works too). */
  now: () => number = () => DateTime.now().toMillis();
  private readonly claims: ClaimStore;
  private readonly packages: PackagePlanner;

  constructor(
    private readonly m: SchedulingModels,
    private readonly events: EventModel,
    private readonly bus: DomainEventBus,
    private readonly d: Deps,
  ) {
    this.claims = new ClaimStore(m);
    this.packages = new PackagePlanner({
      packages: d.packages,
      instruments: d.instruments,
      claims: this.claims,
      now: () => this.now(),
    });
  }

  // ---- availability -------------------------------------------------------------------------

  private async calendar(inst: Instrument, range: Interval): Promise<Calendar> {
    return calendarOf(inst, await this.d.instruments.blackoutsBetween(inst.id, new Date(range.start), new Date(range.end)));
  }

  private slotOut(zone: string, s: { start: number; end: number; free: number }): Slot {
    return { start: isoInZone(s.start, zone), end: isoInZone(s.end, zone), free: s.free };
  }

  /** Reads: the instrument (by `_id`), its blackouts in range, and one claims query for the range. */
  async availability(instrumentId: string, from: string, to: string): Promise<Availability> {
    const range = { start: Date.parse(from), end: Date.parse(to) };
    if (range.end <= range.start) throw new ValidationError([{ field: "/query/to", rule: "afterStart", message: "must be after from" }]);
    if (range.end - range.start > MAX_AVAILABILITY_DAYS * DAY) {
      throw new ValidationError([{ field: "/query/to", rule: "maxRange", message: `at most ${MAX_AVAILABILITY_DAYS} days after from` }]);
    }
    const inst = await this.d.instruments.get(instrumentId);
    const base = { instrumentId, timezone: inst.timezone, slotMinutes: inst.slotMinutes, capacity: inst.capacity };
    if (inst.status !== "active") return { ...base, slots: [] };
    const [cal, claims] = await Promise.all([this.calendar(inst, range), this.claims.between(instrumentId, range)]);
    const slots = computeAvailability(cal, claims, range, this.now());
    return { ...base, slots: slots.map((s) => this.slotOut(inst.timezone, s)) };
  }

  /** The slots of [start, end) still bookable, with their free counts now (0 inside a maintenance window). */
  async slotsNow(instrumentId: string, start: Date, end: Date): Promise<Slot[]> {
    const inst = await this.d.instruments.get(instrumentId);
    const rules = resolveRules(inst.rules, inst.slotMinutes);
    const window = bookableWindow(rules, this.now());
    const range = { start: Math.max(start.getTime(), window.start), end: Math.min(end.getTime(), window.end) };
    if (range.end <= range.start) return [];
    const cal = await this.calendar(inst, range);
    const claims = await this.claims.between(instrumentId, range);
    const open = computeAvailability({ ...cal, blackouts: [] }, claims, range, this.now());
    const closed = (s: Interval) => cal.blackouts.some((b) => b.start < s.end && s.start < b.end);
    return open.map((s) => this.slotOut(inst.timezone, { ...s, free: closed(s) ? 0 : s.free }));
  }

  /** availability.changed for the slots a booking holds or released, with their new free counts. */
  private async announce(items: readonly { instrumentId: string; start: Date | number; end: Date | number }[]): Promise<void> {
    const byInstrument = new Map<string, Interval>();
    for (const item of items) {
      const s = new Date(item.start).getTime();
      const e = new Date(item.end).getTime();
      const cur = byInstrument.get(item.instrumentId);
      byInstrument.set(item.instrumentId, cur ? { start: Math.min(cur.start, s), end: Math.max(cur.end, e) } : { start: s, end: e });
    }
    for (const [instrumentId, range] of byInstrument) {
      const inst = await this.d.instruments.get(instrumentId);
      const claims = await this.claims.between(instrumentId, range);
      const cal = await this.calendar(inst, range);
      const changes = computeAvailability({ ...cal, rules: { ...cal.rules, minNoticeMinutes: 0, maxAdvanceDays: 366 } }, claims, range, range.start);
      if (changes.length > 0) this.bus.emit("availability.changed", { instrumentId, changes: changes.map((c) => this.slotOut(inst.timezone, c)) });
    }
  }

  // ---- booking ------------------------------------------------------------------------------

  /** The caller's enterprise, which must be approved (in the tech-SME registry) to book. */
  private async booker(actor: Actor): Promise<{ id: string; name: string }> {
    const m = actor.membership;
    if (m?.orgType !== "enterprise") throw new ForbiddenError();
    const org = await this.d.organizations.get(actor, "enterprise", m.orgId);
    if (org.status !== "approved") throw new ForbiddenError("ENTERPRISE_NOT_APPROVED");
    return { id: org.id, name: org.name };
  }

  /**
   * Books instrument time or a package. With an Idempotency-Key, the record `<orgId>:<key>` is
   * inserted before anything is claimed: a retry finds it and returns the same booking; a retry
   * arriving while the first request is still in flight waits up to 3 s for it, then answers 409
   * IDEMPOTENCY_IN_PROGRESS. A request that fails removes its record, so a retry runs anew.
   */
  async create(actor: Actor, body: BookingCreateBody, idempotencyKey?: string): Promise<Booking> {
    const enterprise = await this.booker(actor);
    if (!!body.instrumentId === !!body.packageId) {
      throw new ValidationError([{ field: "/body", rule: "oneOf", message: "give either instrumentId (with end) or packageId" }]);
    }
    if (idempotencyKey === undefined) return this.book(actor, enterprise, body, newId());
    if (!/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) {
      throw new ValidationError([{ field: "/headers/idempotency-key", rule: "pattern", message: "1–100 visible ASCII characters" }]);
    }
    const recordId = `${enterprise.id}:${idempotencyKey}`;
    const fingerprint = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    const bookingId = newId();
    const waitUntil = Date.now() + IDEMPOTENCY_WAIT_MS;
    for (;;) {
      try {
        await this.m.idempotency.create({ _id: recordId, bookingId, fingerprint, createdAt: new Date() });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const record = await this.m.idempotency.findById(recordId).lean();
      if (!record) continue; // the first attempt failed and removed it: this one runs
      if (record.fingerprint !== fingerprint) throw new RuleError("IDEMPOTENCY_KEY_REUSED");
      const existing = await this.load(record.bookingId);
      if (existing) return presentBooking(existing);
      if (Date.now() > waitUntil) throw new ConflictError("IDEMPOTENCY_IN_PROGRESS");
      await sleep(50);
    }
    try {
      return await this.book(actor, enterprise, body, bookingId);
    } catch (err) {
      await this.m.idempotency.deleteOne({ _id: recordId, bookingId });
      throw err;
    }
  }

  private async book(actor: Actor, enterprise: { id: string; name: string }, body: BookingCreateBody, bookingId: string): Promise<Booking> {
    const held: { instrumentId: string; ids: string[] }[] = [];
    try {
      const created = body.instrumentId
        ? await this.holdInstrumentTime(body, bookingId, held)
        : await this.packages.hold(body.packageId!, Date.parse(body.start), bookingId, held);
      const booking = this.newBooking(actor, enterprise, body, created, held.flatMap((h) => h.ids));
      if (!(await appendEvent(this.events, { aggregateId: bookingId, seq: 1, type: "created", data: { ...booking }, actorId: actor.userId }))) {
        held.length = 0; // the sweeper tombstoned this booking and owns the release
        throw new ConflictError();
      }
      const event = await readEvent(this.events, bookingId, 1);
      const doc = applyEvent(null, event!)!;
      await this.saveProjection(doc);
      this.emitBooking("booking.created", doc);
      await this.announce(doc.items);
      return presentBooking(doc);
    } catch (err) {
      for (const h of held) await this.claims.release(h.ids, bookingId);
      throw err;
    }
  }

  private async holdInstrumentTime(body: BookingCreateBody, bookingId: string, held: { instrumentId: string; ids: string[] }[]) {
    const inst = await this.d.instruments.get(body.instrumentId!);
    if (inst.status !== "active") throw new RuleError("INSTRUMENT_NOT_BOOKABLE");
    if (!body.end) throw new ValidationError([{ field: "/body/end", rule: "required", message: "instrument time needs an end" }]);
    if (inst.priceUnit === "sample" && body.samples === undefined) {
      throw new ValidationError([{ field: "/body/samples", rule: "required", message: "the instrument is priced per sample: give samples" }]);
    }
    if (inst.priceUnit === "hour" && body.samples !== undefined) {
      throw new ValidationError([{ field: "/body/samples", rule: "notApplicable", message: "the instrument is priced per hour" }]);
    }
    const start = Date.parse(body.start);
    const end = Date.parse(body.end);
    if (end <= start) throw new ValidationError([{ field: "/body/end", rule: "afterStart", message: "must be after start" }]);
    const rules = resolveRules(inst.rules, inst.slotMinutes);
    const buffer = bufferStarts(end, rules, inst.slotMinutes);
    const cal = await this.calendar(inst, { start, end: end + buffer.length * inst.slotMinutes * MINUTE });
    const check = checkBookingWindow(cal, start, end, this.now());
    if (!check.ok) throw new RuleError(check.code, check.params);
    const instants = [...check.slots.map((s) => s.start), ...buffer];
    const conflicts = new Map<number, SlotConflict>();
    for (let unit = 0; unit < inst.capacity; unit++) {
      const result = await this.claims.claim(inst.id, instants, unit, bookingId);
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

  /** The proposed schedule of a package from `start`: the booking algorithm, nothing held. */
  async schedule(packageId: string, start: string): Promise<PackageSchedule> {
    return this.packages.schedule(packageId, start);
  }

  private newBooking(
    actor: Actor,
    enterprise: { id: string; name: string },
    body: BookingCreateBody,
    plan: { items: PlannedItem[]; priceFen: number; title: string; actingProviderId: string; packageId?: string },
    claimIds: string[],
  ): BookingCreated {
    const now = this.now();
    const items: BookingItemDoc[] = plan.items.map((p) => ({
      instrumentId: p.instrument.id,
      instrumentName: p.instrument.name,
      providerId: p.instrument.providerId,
      start: new Date(p.slots[0]!.start),
      end: new Date(p.slots[p.slots.length - 1]!.end),
      parts: partsOf(p.slots).map((part) => ({ start: new Date(part.start), end: new Date(part.end) })),
      unit: p.unit,
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
      items,
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

  // ---- reading bookings --------------------------------------------------------------------

  /**
   * The booking with every event applied. The projection is written after each event; a crash in
   * between (or a slower writer putting an older version back) is repaired here, and a booking healed
   * into an inactive state releases its claims in case the crash came before the release.
   */
  async load(id: string): Promise<BookingDoc | null> {
    let doc = await this.m.bookings.findById(id).lean<BookingDoc>();
    let healed = false;
    if (!doc) {
      const first = await readEvent(this.events, id, 1);
      doc = first ? applyEvent(null, first) : null;
      if (!doc) return null;
      healed = true;
    }
    for (;;) {
      const next = await readEvent(this.events, id, doc.version + 1);
      if (!next) break;
      doc = applyEvent(doc, next)!;
      healed = true;
    }
    if (healed) {
      await this.saveProjection(doc);
      if (!isActive(doc.status)) await this.claims.release(doc.claimIds, id);
    }
    return doc;
  }

  /** Folds the whole event stream again and rewrites the projection (a check, and a repair tool). */
  async rebuildBooking(id: string): Promise<BookingDoc | null> {
    let doc: BookingDoc | null = null;
    for (let seq = 1; ; seq++) {
      const event: StoredEvent | null = await readEvent(this.events, id, seq);
      if (!event) break;
      doc = applyEvent(doc, event);
      if (!doc) return null;
    }
    if (doc) await this.m.bookings.replaceOne({ _id: id }, doc, { upsert: true });
    return doc;
  }

  private async saveProjection(doc: BookingDoc): Promise<void> {
    const { _id, ...rest } = doc;
    try {
      // Not a guard (FerretDB updates are not atomic): the version filter only keeps most late writers
      // from putting an older version back, and `load` repairs the rest from the events.
      const res = await this.m.bookings.updateOne({ _id, version: { $lt: doc.version } }, { $set: rest });
      if (res.matchedCount === 0 && !(await this.m.bookings.exists({ _id }))) await this.m.bookings.create(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // a concurrent reader healed it first
    }
  }

  private relation(actor: Actor, doc: BookingDoc) {
    const orgId = actor.membership?.orgId;
    const enterprise = actor.membership?.orgType === "enterprise" && orgId === doc.enterpriseId;
    const provider = actor.membership?.orgType === "provider" && !!orgId && doc.providerIds.includes(orgId);
    const acting = provider && orgId === doc.actingProviderId;
    return { enterprise, provider, acting, visible: enterprise || provider || isBureau(actor) };
  }

  /** The booker's members, the involved providers and the bureau see a booking; others get 404. */
  async get(actor: Actor, id: string): Promise<Booking> {
    const doc = await this.load(id);
    if (!doc || !this.relation(actor, doc).visible) throw new NotFoundError();
    return presentBooking(doc);
  }

  async list(actor: Actor, query: BookingListQuery): Promise<PageOf<Booking>> {
    const m = actor.membership;
    const scope = query.scope ?? (m?.orgType === "bureau" ? "all" : m?.orgType);
    const filter: Record<string, unknown> = {};
    if (scope === "enterprise" && m?.orgType === "enterprise") filter.enterpriseId = m.orgId;
    else if (scope === "provider" && m?.orgType === "provider") filter.providerIds = m.orgId;
    else if (!(scope === "all" && isBureau(actor))) throw new ForbiddenError();
    if (query.instrumentId) filter.instrumentIds = query.instrumentId;
    if (query.status) filter.status = query.status;
    if (query.from) filter.lastEnd = { $gt: new Date(query.from) };
    if (query.to) filter.firstStart = { $lt: new Date(query.to) };
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const [total, docs] = await Promise.all([
      this.m.bookings.countDocuments(filter),
      this.m.bookings.find(filter).sort({ firstStart: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean<BookingDoc[]>(),
    ]);
    return { items: docs.map(presentBooking), total, page, pageSize };
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /**
   * One transition: the caller's right (the acting provider confirms, rejects, checks in, completes
   * and records no-shows; the booker's members cancel until the deadline while it is confirmed, any
   * time while pending; an involved provider cancels with a reason), the current state, then the
   * event insert `<id>:<version + 1>`: of racing transitions exactly one gets in, the others re-read
   * and answer 409 INVALID_TRANSITION with the state the winner left.
   */
  async transition(actor: Actor, id: string, name: Exclude<TransitionName, "expire">, body: ReasonBody | CompleteBody): Promise<Booking> {
    const t = TRANSITIONS[name];
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      const doc = await this.load(id);
      if (!doc) throw new NotFoundError();
      const rel = this.relation(actor, doc);
      if (!rel.visible) throw new NotFoundError();
      const asEnterprise = name === "cancel" && rel.enterprise;
      if (!asEnterprise && !(name === "cancel" ? rel.provider : rel.acting)) throw new ForbiddenError();
      const now = this.now();
      if (doc.status === "pending" && doc.holdExpiresAt && doc.holdExpiresAt.getTime() <= now) {
        await this.apply(doc, "expire", { status: "expired" }, null);
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
      const data: TransitionData = { status: t.to, ...(reason ? { reason } : {}) };
      if (name === "complete") Object.assign(data, { contractAmountFen: (body as CompleteBody).contractAmountFen, reportNumber: (body as CompleteBody).reportNumber.trim() });
      const next = await this.apply(doc, name, data, actor.userId);
      if (next) return presentBooking(next);
    }
    throw new ConflictError();
  }

  /** Appends the transition event; null if another transition took that number first. */
  private async apply(doc: BookingDoc, name: TransitionName, data: TransitionData, actorId: string | null): Promise<BookingDoc | null> {
    const seq = doc.version + 1;
    const type = TRANSITIONS[name].type;
    if (!(await appendEvent(this.events, { aggregateId: doc._id, seq, type, data: { ...data }, actorId }))) return null;
    const next = applyEvent(doc, { _id: eventId(doc._id, seq), aggregateId: doc._id, seq, type, data: { ...data }, actorId, at: new Date() })!;
    await this.saveProjection(next);
    if (!isActive(next.status)) {
      await this.claims.release(next.claimIds, next._id);
      await this.announce(next.items);
    }
    this.emitBooking("booking.updated", next);
    return next;
  }

  private emitBooking(name: "booking.created" | "booking.updated", doc: BookingDoc): void {
    this.bus.emit(name, {
      bookingId: doc._id,
      status: doc.status,
      enterpriseId: doc.enterpriseId,
      providerIds: [...doc.providerIds],
      instrumentIds: [...doc.instrumentIds],
    });
  }

  // ---- sweeper -----------------------------------------------------------------------------

  /**
   * Restores a clean state after crashes and lapsed holds: expires unconfirmed holds past their
   * deadline (a transition event, so it races correctly with a late confirm); removes claims whose
   * booking never got recorded (after tombstoning it as event 1, so a slow request cannot finish
   * later) or is no longer active; drops claims of slots long over; forgets stale idempotency
   * records. Reads: a constant number of queries plus one per booking that needs repair.
   */
  async sweep(at: Date = new Date(this.now())): Promise<{ expired: number; orphanClaims: number; pastClaims: number; idempotency: number }> {
    const now = at.getTime();
    let expired = 0;
    for (const doc of await this.m.bookings.find({ status: "pending", holdExpiresAt: { $lte: at } }, { _id: 1 }).lean()) {
      const current = await this.load(doc._id);
      if (current?.status === "pending" && current.holdExpiresAt && current.holdExpiresAt.getTime() <= now) {
        if (await this.apply(current, "expire", { status: "expired" }, null)) expired++;
      }
    }

    const cutoff = new Date(now - SWEEP_GRACE_MS);
    const old = await this.m.claims.find({ createdAt: { $lte: cutoff } }, { _id: 1, bookingId: 1 }).lean();
    const byBooking = new Map<string, string[]>();
    for (const c of old) byBooking.set(c.bookingId, [...(byBooking.get(c.bookingId) ?? []), c._id]);
    let orphanClaims = 0;
    if (byBooking.size > 0) {
      const ids = [...byBooking.keys()];
      const projections = new Map(
        (await this.m.bookings.find({ _id: { $in: ids } }, { _id: 1, status: 1, version: 1, claimIds: 1 }).lean()).map((b) => [b._id, b]),
      );
      const nextEvents = new Set(
        (await this.events.find({ _id: { $in: ids.map((id) => eventId(id, (projections.get(id)?.version ?? 0) + 1)) } }, { aggregateId: 1 }).lean()).map((e) => e.aggregateId),
      );
      for (const [bookingId, claimIds] of byBooking) {
        let booking = projections.get(bookingId) ?? null;
        if (!booking || nextEvents.has(bookingId)) booking = await this.load(bookingId);
        if (!booking) {
          // Never recorded: tombstone event 1 so the request, if it is still alive, cannot record it now.
          await appendEvent(this.events, { aggregateId: bookingId, seq: 1, type: ABANDONED, data: {}, actorId: null });
          const first = await readEvent(this.events, bookingId, 1);
          if (first?.type !== ABANDONED) continue; // it got recorded just now: look again next time
        }
        const keep = booking && isActive(booking.status) ? new Set(booking.claimIds) : new Set<string>();
        const stray = claimIds.filter((id) => !keep.has(id));
        if (stray.length > 0) {
          const { deletedCount } = await this.m.claims.deleteMany({ _id: { $in: stray }, bookingId });
          orphanClaims += deletedCount;
        }
      }
    }
    const { deletedCount: pastClaims } = await this.m.claims.deleteMany({ start: { $lt: new Date(now - PAST_CLAIM_MS) } });

    let idempotency = 0;
    for (const record of await this.m.idempotency.find({ createdAt: { $lte: cutoff } }).lean()) {
      const first = await readEvent(this.events, record.bookingId, 1);
      const stale = record.createdAt.getTime() <= now - IDEMPOTENCY_KEEP_MS;
      if (!first) await appendEvent(this.events, { aggregateId: record.bookingId, seq: 1, type: ABANDONED, data: {}, actorId: null });
      if (stale || (await readEvent(this.events, record.bookingId, 1))?.type === ABANDONED) {
        idempotency += (await this.m.idempotency.deleteOne({ _id: record._id, bookingId: record.bookingId })).deletedCount;
      }
    }
    return { expired, orphanClaims, pastClaims, idempotency };
  }
}

// A year of scheduling history, written straight into the database (insertMany in batches) in the
// shapes server/modules/scheduling writes: per booking its number (`booking_numbers`, numbered per
// creation day from 1 as booking-number.ts takes them), event 1 "created" (the whole booking) plus its
// transitions in `events`, the projection folded from them with the product's own `applyEvent`, its
// slot claims as claims.ts names them (`<instrument>:<slot ISO>:<unit>`, `#<g>` for the g-th holding
// after a release) and, for half of them, an idempotency record. Plus a year of expired sessions.
//
// Per instrument, ~90% of its bookings lie in the past year (about one a day, 08:00–18:00 UTC) and
// end completed, cancelled, rejected, expired or as a no-show, their claims released; the rest lie
// 3–60 days ahead, pending or confirmed with live claims (or cancelled). A booking after one cancelled,
// rejected or expired takes the same slot again, as the next generation, so generations exist as they would.
// Deterministic (seeded), so every run writes the same history.
import { createHash } from "node:crypto";
import type { Connection } from "mongoose";
import type { BookingStatus } from "../../shared/enums";
import type { StoredEvent } from "../../server/db/event-store";
import type { BookingCreated, BookingDoc, ClaimDoc, IdempotencyDoc } from "../../server/modules/scheduling/model";
import { applyEvent } from "../../server/modules/scheduling/projection";
import { bookingNumbering, type BookingNumberDoc } from "../../server/modules/scheduling/booking-number";
import type { SessionDoc } from "../../server/modules/accounts/model";
import { random } from "./support";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BATCH = 1_000;
const PAST_SHARE = 0.9;
const SESSIONS_PER_BOOKING = 0.2;

export interface HistorySpec {
  bookings: number;
  instruments: { id: string; name: string }[];
  providerId: string;
  /** Enterprises that book; synthetic ones beyond the real ones are fine (nothing joins them). */
  enterprises: { id: string; name: string; userId: string }[];
  now: number;
}

export interface HistoryCounts {
  bookings: number;
  events: number;
  claims: number;
  idempotency: number;
  sessions: number;
  numbers: number;
}

type Step = { type: string; data: Record<string, unknown>; at: number };

/** The lifecycle of a booking that ends as `outcome`, as transition events after "created". */
function transitions(outcome: BookingStatus, start: number, end: number, created: number, providerId: string, n: number): Step[] {
  const confirmed = { type: "confirmed", data: { status: "confirmed", providerId }, at: created + 2 * HOUR };
  switch (outcome) {
    case "completed":
      return [
        confirmed,
        { type: "checked_in", data: { status: "in_progress", item: 0 }, at: start },
        { type: "completed", data: { status: "completed", item: 0, contractAmountFen: 50_000, reportNumber: `LS-${n}` }, at: end },
      ];
    case "no_show":
      return [confirmed, { type: "no_show", data: { status: "no_show", reason: "未到场" }, at: start + HOUR }];
    case "cancelled":
      return [{ type: "cancelled", data: { status: "cancelled", reason: "计划变更" }, at: created + DAY }];
    case "rejected":
      return [{ type: "rejected", data: { status: "rejected", reason: "仪器维护" }, at: created + 3 * HOUR }];
    case "expired":
      return [{ type: "expired", data: { status: "expired" }, at: created + 48 * HOUR }];
    case "confirmed":
      return [confirmed];
    default:
      return []; // pending
  }
}

const RELEASED = new Set<BookingStatus>(["completed", "no_show", "cancelled", "rejected", "expired"]);
/** Outcomes that free the slot before its time: the next booking of the instrument may take it again. */
const FREED_EARLY = new Set<BookingStatus>(["cancelled", "rejected", "expired"]);

function pastOutcome(r: number): BookingStatus {
  if (r < 0.7) return "completed";
  if (r < 0.82) return "cancelled";
  if (r < 0.86) return "rejected";
  if (r < 0.9) return "expired";
  if (r < 0.93) return "no_show";
  return "completed";
}
const futureOutcome = (r: number): BookingStatus => (r < 0.6 ? "confirmed" : r < 0.85 ? "pending" : "cancelled");

const hex = (s: string) => createHash("sha256").update(s).digest("hex");
/** The id of the n-th generated booking (24 characters, like the product's ObjectId hex ids). */
export const historyBookingId = (n: number) => `b${n.toString(16).padStart(23, "0")}`;

/** Writes the history; `progress` hears each finished batch. Returns what was written. */
export async function generateHistory(conn: Connection, spec: HistorySpec, progress: (done: number) => void = () => {}): Promise<HistoryCounts> {
  // The collections of the models the server registered on this connection: same names, no casting cost.
  const collection = (model: string) => conn.model(model).collection;
  const cols = {
    events: collection("Event"),
    bookings: collection("Booking"),
    claims: collection("SlotClaim"),
    idempotency: collection("IdempotencyRecord"),
    sessions: collection("Session"),
    numbers: collection("BookingNumber"),
  };
  const rand = random(365);
  const counts: HistoryCounts = { bookings: 0, events: 0, claims: 0, idempotency: 0, sessions: 0, numbers: 0 };
  const buffers = { events: [] as StoredEvent[], bookings: [] as BookingDoc[], claims: [] as ClaimDoc[], idempotency: [] as IdempotencyDoc[], sessions: [] as SessionDoc[], numbers: [] as BookingNumberDoc[] };
  const numberOf = bookingNumbering();
  type Kind = keyof typeof buffers;
  const flush = async (kind: Kind, all = false) => {
    const buf = buffers[kind] as { _id: string }[];
    while (buf.length >= BATCH || (all && buf.length > 0)) {
      const batch = buf.splice(0, BATCH);
      await cols[kind].insertMany(batch as never[], { ordered: false });
      counts[kind] += batch.length;
    }
  };
  const flushAll = async (all = false) => {
    // Different collections in parallel: FerretDB keeps one SQLite table per collection.
    await Promise.all((Object.keys(buffers) as Kind[]).map((k) => flush(k, all)));
  };

  const perInstrument = Math.ceil(spec.bookings / spec.instruments.length);
  const past = Math.max(1, Math.round(perInstrument * PAST_SHARE));
  const today = Math.floor(spec.now / DAY) * DAY;
  /** The last released booking per instrument, whose slot the next booking takes again (next generation). */
  const lastReleased = new Map<string, { start: number; hours: number; generation: number; isPast: boolean }>();
  let n = 0;
  for (let j = 0; j < perInstrument && n < spec.bookings; j++) {
    for (const inst of spec.instruments) {
      if (n >= spec.bookings) break;
      const isPast = j < past;
      const day = isPast ? today - 365 * DAY + Math.floor((j * 365) / past) * DAY : today + (3 + Math.floor(((j - past) * 57) / Math.max(1, perInstrument - past))) * DAY;
      // Up to five non-overlapping bookings a day: 08:00, 10:00, … each one or two hours long.
      let start = day + (8 + 2 * (j % 5)) * HOUR;
      let generation = 0;
      const found = lastReleased.get(inst.id);
      const previous = found?.isPast === isPast ? found : undefined;
      if (previous) {
        start = previous.start;
        generation = previous.generation + 1;
        lastReleased.delete(inst.id);
      }
      const hours = previous ? previous.hours : 1 + Math.floor(rand() * 2);
      const end = start + hours * HOUR;
      const outcome = isPast ? pastOutcome(rand()) : futureOutcome(rand());
      const created = start - (1 + Math.floor(rand() * 14)) * DAY - Math.floor(rand() * DAY);
      const enterprise = spec.enterprises[n % spec.enterprises.length]!;
      const bookingId = historyBookingId(n);
      const numbered = numberOf(bookingId, new Date(created));
      const number = numbered._id;
      buffers.numbers.push(numbered);
      const slots = Array.from({ length: hours }, (_, h) => start + h * HOUR);
      const slotIds = slots.map((s) => `${inst.id}:${new Date(s).toISOString()}:0`);
      const claimIds = slotIds.map((s) => (generation === 0 ? s : `${s}#${generation}`));
      const released = RELEASED.has(outcome);
      // Only a slot freed before its time is booked again (a completed one is over), so each
      // booking still falls on its own day: the history spreads over the year.
      if (FREED_EARLY.has(outcome)) lastReleased.set(inst.id, { start, hours, generation, isPast });

      const booking: BookingCreated = {
        kind: "instrument",
        status: "pending",
        enterpriseId: enterprise.id,
        enterpriseName: enterprise.name,
        providerIds: [spec.providerId],
        actingProviderId: spec.providerId,
        confirmationsRequired: [spec.providerId],
        instrumentIds: [inst.id],
        instrumentId: inst.id,
        title: inst.name,
        items: [{
          instrumentId: inst.id, instrumentName: inst.name, providerId: spec.providerId, start: new Date(start), end: new Date(end),
          parts: [{ start: new Date(start), end: new Date(end) }], unit: 0, requiresConfirmation: true,
        }],
        claimIds,
        priceFen: 50_000 * hours,
        useVoucher: rand() < 0.3,
        holdExpiresAt: new Date(Math.min(created + 48 * HOUR, start)),
        cancelDeadline: new Date(start - 24 * HOUR),
        cancelDeadlineHours: 24,
        firstStart: new Date(start),
        lastEnd: new Date(end),
        createdBy: enterprise.userId,
        createdAt: new Date(created),
        number,
      };
      const steps: Step[] = [{ type: "created", data: { ...booking }, at: created }, ...transitions(outcome, start, end, created, spec.providerId, n)];
      let doc: BookingDoc | null = null;
      steps.forEach((step, k) => {
        const event: StoredEvent = {
          _id: `${bookingId}:${k + 1}`, aggregateId: bookingId, seq: k + 1, type: step.type, data: step.data,
          actorId: k === 0 ? enterprise.userId : `provider-user-${spec.providerId}`, at: new Date(step.at),
        };
        buffers.events.push(event);
        doc = applyEvent(doc, event);
      });
      buffers.bookings.push(doc!);
      const lastAt = new Date(steps.at(-1)!.at);
      slotIds.forEach((slot, k) => {
        const base = { _id: claimIds[k]!, slot, start: new Date(slots[k]!), createdAt: new Date(created) };
        buffers.claims.push(
          released
            ? { ...base, released: true, releasedAt: lastAt, releasedBookingId: bookingId }
            : { ...base, instrumentId: inst.id, unit: 0, bookingId },
        );
      });
      if (rand() < 0.5) buffers.idempotency.push({ _id: `${enterprise.id}:${hex(`key${n}`).slice(0, 32)}`, bookingId, fingerprint: hex(`body${n}`), createdAt: new Date(created) });
      if (rand() < SESSIONS_PER_BOOKING) {
        buffers.sessions.push({ _id: hex(`session${n}`), userId: enterprise.userId, createdAt: new Date(created), expiresAt: new Date(created + 7 * DAY) });
      }
      n++;
      if (buffers.events.length >= 4 * BATCH) {
        await flushAll();
        progress(n);
      }
    }
  }
  await flushAll(true);
  progress(n);
  return counts;
}

// A booking is its event stream: event 1 "created" holds the whole booking as it started, each later
// event one transition. The `bookings` document is the fold of those events (`applyEvent`), written
// after each event and rebuilt from them when a crash left it behind.
import type { BookingStatus } from "../../../shared/enums";
import type { Booking } from "../../../shared/schemas/scheduling";
import type { StoredEvent } from "../../db/event-store";
import type { BookingCreated, BookingDoc } from "./model";

/** Transition events: their type and the status they lead to. */
export const TRANSITIONS = {
  confirm: { type: "confirmed", to: "confirmed", from: ["pending"] },
  reject: { type: "rejected", to: "rejected", from: ["pending"] },
  cancel: { type: "cancelled", to: "cancelled", from: ["pending", "confirmed"] },
  checkIn: { type: "checked_in", to: "in_progress", from: ["confirmed"] },
  complete: { type: "completed", to: "completed", from: ["in_progress"] },
  noShow: { type: "no_show", to: "no_show", from: ["confirmed"] },
  expire: { type: "expired", to: "expired", from: ["pending"] },
} as const satisfies Record<string, { type: string; to: BookingStatus; from: readonly BookingStatus[] }>;
export type TransitionName = keyof typeof TRANSITIONS;

export interface TransitionData {
  status: BookingStatus;
  reason?: string;
  contractAmountFen?: number;
  reportNumber?: string;
}

/** Event 1 of a booking the sweeper gave up on (its request died between claiming and recording). */
export const ABANDONED = "abandoned";

/** The booking after `event`; null for a stream that never became a booking. */
export function applyEvent(doc: BookingDoc | null, event: StoredEvent): BookingDoc | null {
  if (event.seq === 1) {
    if (event.type !== "created") return null;
    const created = event.data as unknown as BookingCreated;
    return {
      ...created,
      _id: event.aggregateId,
      version: 1,
      history: [{ seq: 1, type: "created", status: created.status, actorId: event.actorId, at: event.at }],
      updatedAt: event.at,
    };
  }
  if (!doc) return null;
  const data = event.data as unknown as TransitionData;
  return {
    ...doc,
    status: data.status,
    version: event.seq,
    ...(data.contractAmountFen !== undefined ? { contractAmountFen: data.contractAmountFen } : {}),
    ...(data.reportNumber !== undefined ? { reportNumber: data.reportNumber } : {}),
    history: [
      ...doc.history,
      { seq: event.seq, type: event.type, status: data.status, actorId: event.actorId, at: event.at, ...(data.reason ? { reason: data.reason } : {}) },
    ],
    updatedAt: event.at,
  };
}

const iso = (d: Date) => new Date(d).toISOString();

export function presentBooking(doc: BookingDoc): Booking {
  return {
    id: doc._id,
    kind: doc.kind,
    status: doc.status,
    enterpriseId: doc.enterpriseId,
    enterpriseName: doc.enterpriseName,
    providerIds: [...doc.providerIds],
    ...(doc.instrumentId ? { instrumentId: doc.instrumentId } : {}),
    ...(doc.packageId ? { packageId: doc.packageId } : {}),
    title: doc.title,
    items: doc.items.map((i) => ({
      instrumentId: i.instrumentId,
      instrumentName: i.instrumentName,
      providerId: i.providerId,
      start: iso(i.start),
      end: iso(i.end),
      parts: (i.parts?.length ? i.parts : [i]).map((p) => ({ start: iso(p.start), end: iso(p.end) })),
      unit: i.unit,
    })),
    ...(doc.samples !== undefined && doc.samples !== null ? { samples: doc.samples } : {}),
    priceFen: doc.priceFen,
    useVoucher: doc.useVoucher,
    ...(doc.note ? { note: doc.note } : {}),
    ...(doc.holdExpiresAt ? { holdExpiresAt: iso(doc.holdExpiresAt) } : {}),
    cancelDeadline: iso(doc.cancelDeadline),
    ...(doc.contractAmountFen !== undefined && doc.contractAmountFen !== null ? { contractAmountFen: doc.contractAmountFen } : {}),
    ...(doc.reportNumber ? { reportNumber: doc.reportNumber } : {}),
    history: doc.history.map((h) => ({
      seq: h.seq,
      type: h.type,
      status: h.status,
      actorId: h.actorId,
      at: iso(h.at),
      ...(h.reason ? { reason: h.reason } : {}),
    })),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}

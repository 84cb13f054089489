// A booking is its event stream: event 1 "created" holds the whole booking as it started, each later
// event one transition. The `bookings` document is the fold of those events (`applyEvent`), written
// after each event and rebuilt from them when a crash left it behind.
//
// Packages across providers: each item is acted on by its instrument's own provider. A "confirmed"
// event carries the confirming `providerId` (the booking turns confirmed when every provider in
// `confirmationsRequired` has confirmed); "checked_in" and "completed" carry the `item` index. The
// status each event leads to is decided when it is written (lifecycle.ts) and recorded in its data:
// pending until all confirmations are in, in_progress from the first check-in, completed when every
// item is. Events without `providerId`/`item` (written before this) apply to the whole booking.
import type { BookingStatus } from "../../../shared/enums";
import type { Booking, BookingContract } from "../../../shared/schemas/scheduling";
import type { StoredEvent } from "../../db/event-store";
import type { BookingCreated, BookingDoc, ContractDoc } from "./model";

/** Transition events: their type and the status they lead to. */
export const TRANSITIONS = {
  confirm: { type: "confirmed", to: "confirmed", from: ["pending"] },
  reject: { type: "rejected", to: "rejected", from: ["pending"] },
  cancel: { type: "cancelled", to: "cancelled", from: ["pending", "confirmed"] },
  // A package's items are checked in and completed one by one (by their own providers).
  checkIn: { type: "checked_in", to: "in_progress", from: ["confirmed", "in_progress"] },
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
  /** Who confirmed (a "confirmed" event). */
  providerId?: string;
  /** Which item was checked in or completed. */
  item?: number;
  /** Declared with a contract amount: work beyond the booked price, and why (issue 10). */
  extrasFen?: number;
  extrasReason?: string;
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
  const next: BookingDoc = {
    ...doc,
    status: data.status,
    version: event.seq,
    ...(data.contractAmountFen !== undefined && data.item === undefined ? { contractAmountFen: data.contractAmountFen } : {}),
    ...(data.reportNumber !== undefined && data.item === undefined ? { reportNumber: data.reportNumber } : {}),
    history: [
      ...doc.history,
      {
        seq: event.seq, type: event.type, status: data.status, actorId: event.actorId, at: event.at,
        ...(data.reason ? { reason: data.reason } : {}),
        ...(data.providerId ? { providerId: data.providerId } : {}),
        ...(data.item !== undefined ? { item: data.item } : {}),
      },
    ],
    updatedAt: event.at,
  };
  if (event.type === "confirmed") {
    next.confirmedBy = [...new Set([...(doc.confirmedBy ?? []), data.providerId ?? doc.actingProviderId])];
  }
  if (event.type === "checked_in" || event.type === "completed") {
    const progress =
      event.type === "checked_in"
        ? { checkedInAt: event.at }
        : {
            completedAt: event.at,
            ...(data.item !== undefined ? { contractAmountFen: data.contractAmountFen, reportNumber: data.reportNumber } : {}),
            ...(data.extrasFen ? { extrasFen: data.extrasFen, extrasReason: data.extrasReason } : {}),
          };
    next.items = doc.items.map((item, k) => (data.item === undefined || data.item === k ? { ...item, ...progress } : item));
    if (event.type === "completed" && data.item !== undefined && data.status === "completed") {
      // The booking's contract is the sum of its items'; the report numbers are each provider's.
      next.contractAmountFen = next.items.reduce((sum, i) => sum + (i.contractAmountFen ?? 0), 0);
      next.reportNumber = [...new Set(next.items.map((i) => i.reportNumber).filter(Boolean))].join(", ");
    }
  }
  if (event.type === "completed" && data.status === "completed") next.contract = recordedContract(next, event.at);
  applyContractEvent(next, event.type, data, event.at);
  return next;
}

/** The contract as recorded at completion: the booking's amount and every item's declared extras. */
function recordedContract(doc: BookingDoc, at: Date): ContractDoc {
  const reasons = doc.items.map((i) => i.extrasReason).filter(Boolean);
  const extrasFen = doc.items.reduce((sum, i) => sum + (i.extrasFen ?? 0), 0);
  return { status: "recorded", amountFen: doc.contractAmountFen ?? 0, extrasFen, ...(reasons.length ? { extrasReason: reasons.join("; ") } : {}), recordedAt: at };
}

/** The contract-amount events after completion (contract.ts decides them). */
export const CONTRACT_EVENTS = { record: "contract_recorded", acknowledge: "contract_acknowledged", dispute: "contract_disputed" } as const;

function applyContractEvent(next: BookingDoc, type: string, data: TransitionData, at: Date): void {
  if (type === CONTRACT_EVENTS.record) {
    next.contract = {
      status: "recorded", amountFen: data.contractAmountFen ?? 0, extrasFen: data.extrasFen ?? 0,
      ...(data.extrasReason ? { extrasReason: data.extrasReason } : {}), recordedAt: at,
    };
  } else if (next.contract && type === CONTRACT_EVENTS.acknowledge) {
    next.contract = { ...next.contract, status: "acknowledged", decidedAt: at };
  } else if (next.contract && type === CONTRACT_EVENTS.dispute) {
    next.contract = { ...next.contract, status: "disputed", disputeReason: data.reason, decidedAt: at };
  }
}

/** The providers a booking waits for (bookings made before per-provider confirmation: the acting one). */
export function requiredConfirmations(doc: Pick<BookingDoc, "confirmationsRequired" | "actingProviderId">): string[] {
  return doc.confirmationsRequired ?? [doc.actingProviderId];
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
    actingProviderId: doc.actingProviderId,
    ...(doc.instrumentId ? { instrumentId: doc.instrumentId } : {}),
    ...(doc.packageId ? { packageId: doc.packageId } : {}),
    title: doc.title,
    ...(doc.number ? { number: doc.number } : {}),
    items: doc.items.map((i) => ({
      instrumentId: i.instrumentId,
      instrumentName: i.instrumentName,
      providerId: i.providerId,
      start: iso(i.start),
      end: iso(i.end),
      parts: (i.parts?.length ? i.parts : [i]).map((p) => ({ start: iso(p.start), end: iso(p.end) })),
      unit: i.unit,
      ...(i.requiresConfirmation !== undefined && i.requiresConfirmation !== null ? { requiresConfirmation: i.requiresConfirmation } : {}),
      ...(i.checkedInAt ? { checkedInAt: iso(i.checkedInAt) } : {}),
      ...(i.completedAt ? { completedAt: iso(i.completedAt) } : {}),
      ...(i.contractAmountFen !== undefined && i.contractAmountFen !== null ? { contractAmountFen: i.contractAmountFen } : {}),
      ...(i.reportNumber ? { reportNumber: i.reportNumber } : {}),
    })),
    confirmationsRequired: requiredConfirmations(doc),
    confirmedBy: [...(doc.confirmedBy ?? [])],
    ...(doc.samples !== undefined && doc.samples !== null ? { samples: doc.samples } : {}),
    priceFen: doc.priceFen,
    useVoucher: doc.useVoucher,
    ...(doc.note ? { note: doc.note } : {}),
    ...(doc.holdExpiresAt ? { holdExpiresAt: iso(doc.holdExpiresAt) } : {}),
    cancelDeadline: iso(doc.cancelDeadline),
    ...(doc.contractAmountFen !== undefined && doc.contractAmountFen !== null ? { contractAmountFen: doc.contractAmountFen } : {}),
    ...(doc.reportNumber ? { reportNumber: doc.reportNumber } : {}),
    ...(doc.contract ? { contract: presentContract(doc.contract) } : {}),
    history: doc.history.map((h) => ({
      seq: h.seq,
      type: h.type,
      status: h.status,
      actorId: h.actorId,
      at: iso(h.at),
      ...(h.reason ? { reason: h.reason } : {}),
      ...(h.providerId ? { providerId: h.providerId } : {}),
      ...(h.item !== undefined && h.item !== null ? { item: h.item } : {}),
    })),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
  };
}

function presentContract(c: ContractDoc): BookingContract {
  return {
    status: c.status,
    amountFen: c.amountFen,
    extrasFen: c.extrasFen,
    ...(c.extrasReason ? { extrasReason: c.extrasReason } : {}),
    recordedAt: iso(c.recordedAt),
    ...(c.disputeReason ? { disputeReason: c.disputeReason } : {}),
    ...(c.decidedAt ? { decidedAt: iso(c.decidedAt) } : {}),
  };
}

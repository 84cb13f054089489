// Scheduling data. The exclusive decisions are inserts whose `_id` names them (DESIGN.md "The
// database"): a slot claim `<instrumentId>:<slotStartISO>:<unit>`, the n-th event of a booking
// `<bookingId>:<n>` (in the shared `events` collection), an idempotency record `<orgId>:<key>`.
// The `bookings` collection is a projection of the events and can be rebuilt from them.
import { Schema, type Connection } from "mongoose";
import { BOOKING_KINDS, BOOKING_STATUSES, type BookingKind, type BookingStatus } from "../../../shared/enums";
import type { ContractStatus } from "../../../shared/schemas/scheduling";
import { bookingNumberModel } from "./booking-number";

const opts = { versionKey: false, minimize: false } as const;

/**
 * One generation of a slot claim (claims.ts): `_id` is the slot name, `#<n>` after the first.
 * A released generation keeps only `_id`, `slot`, `start`, `createdAt` and the release fields, so
 * the reads by instrumentId (package planning, calendar guard) and the sweeper's orphan scan (by
 * bookingId) skip it; availability reads by `_id` and walks on to the next generation.
 */
export interface ClaimDoc {
  _id: string;
  slot?: string;
  instrumentId?: string;
  start: Date;
  unit?: number;
  bookingId?: string;
  createdAt: Date;
  released?: boolean;
  releasedAt?: Date;
  releasedBookingId?: string;
}
const claimSchema = new Schema<ClaimDoc>(
  {
    _id: String,
    slot: String,
    instrumentId: String,
    start: { type: Date, required: true },
    unit: Number,
    bookingId: { type: String, index: true },
    createdAt: { type: Date, required: true },
    released: Boolean,
    releasedAt: Date,
    releasedBookingId: String,
  },
  opts,
);
// MongoDB answers package planning and the calendar guard from this index; FerretDB scans (see claims.ts).
claimSchema.index({ instrumentId: 1, start: 1 });

export interface BookingItemDoc {
  instrumentId: string;
  instrumentName: string;
  providerId: string;
  start: Date;
  end: Date;
  /** Back-to-back stretches of the item, in order (absent on bookings made before items had parts). */
  parts?: { start: Date; end: Date }[];
  unit: number;
  /** This instrument's provider must confirm (its own rules), in a package as alone. */
  requiresConfirmation?: boolean;
  checkedInAt?: Date;
  completedAt?: Date;
  contractAmountFen?: number;
  reportNumber?: string;
  /** Work beyond the booked price declared with this item's contract amount (issue 10). */
  extrasFen?: number;
  extrasReason?: string;
}

/** The contract amount's acknowledgement (issue 10): recorded → acknowledged, or disputed → recorded again. */
export interface ContractDoc {
  status: ContractStatus;
  amountFen: number;
  extrasFen: number;
  extrasReason?: string;
  recordedAt: Date;
  disputeReason?: string;
  decidedAt?: Date;
}

export interface HistoryDoc {
  seq: number;
  type: string;
  status: BookingStatus;
  actorId: string | null;
  at: Date;
  reason?: string;
  providerId?: string;
  item?: number;
}

/** What the "created" event (#1) records: the whole booking as it started. */
export interface BookingCreated {
  kind: BookingKind;
  status: BookingStatus;
  enterpriseId: string;
  enterpriseName: string;
  /** Every provider whose instrument is used, plus a package's provider. */
  providerIds: string[];
  /** The instrument's provider, or the package's: it may reject and record a no-show. */
  actingProviderId: string;
  /**
   * The providers who must confirm: each item's own provider whose instrument requires confirmation
   * (absent in bookings made before per-provider confirmation: then the acting provider).
   */
  confirmationsRequired?: string[];
  instrumentIds: string[];
  instrumentId?: string;
  packageId?: string;
  title: string;
  /** The readable number (booking-number.ts); absent on bookings made before numbers existed. */
  number?: string;
  items: BookingItemDoc[];
  /** The claims this booking holds (slots and buffer), released when it stops being active. */
  claimIds: string[];
  samples?: number;
  priceFen: number;
  useVoucher: boolean;
  note?: string;
  holdExpiresAt?: Date;
  cancelDeadline: Date;
  cancelDeadlineHours: number;
  firstStart: Date;
  lastEnd: Date;
  createdBy: string;
  createdAt: Date;
}

export interface BookingDoc extends BookingCreated {
  _id: string;
  /** Number of the last event applied. */
  version: number;
  /** Providers who confirmed so far; the booking is confirmed once every required one has. */
  confirmedBy?: string[];
  contractAmountFen?: number;
  reportNumber?: string;
  contract?: ContractDoc;
  history: HistoryDoc[];
  updatedAt: Date;
}
const bookingSchema = new Schema<BookingDoc>(
  {
    _id: String,
    version: { type: Number, required: true },
    kind: { type: String, enum: BOOKING_KINDS, required: true },
    status: { type: String, enum: BOOKING_STATUSES, required: true },
    enterpriseId: { type: String, required: true, index: true },
    enterpriseName: { type: String, required: true },
    providerIds: { type: [String], index: true },
    actingProviderId: { type: String, required: true },
    instrumentIds: { type: [String], index: true },
    instrumentId: String,
    packageId: String,
    title: { type: String, required: true },
    number: String,
    items: [
      {
        _id: false,
        instrumentId: String,
        instrumentName: String,
        providerId: String,
        start: Date,
        end: Date,
        parts: { type: [{ _id: false, start: Date, end: Date }], default: undefined },
        unit: Number,
        requiresConfirmation: Boolean,
        checkedInAt: Date,
        completedAt: Date,
        contractAmountFen: Number,
        reportNumber: String,
        extrasFen: Number,
        extrasReason: String,
      },
    ],
    confirmationsRequired: { type: [String], default: undefined },
    confirmedBy: { type: [String], default: undefined },
    claimIds: [String],
    samples: Number,
    priceFen: { type: Number, required: true },
    useVoucher: { type: Boolean, required: true },
    note: String,
    holdExpiresAt: Date,
    cancelDeadline: { type: Date, required: true },
    cancelDeadlineHours: { type: Number, required: true },
    firstStart: { type: Date, required: true },
    lastEnd: { type: Date, required: true },
    contractAmountFen: Number,
    reportNumber: String,
    contract: { type: Schema.Types.Mixed, default: undefined },
    history: { type: Schema.Types.Mixed, default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  opts,
);
bookingSchema.index({ status: 1, holdExpiresAt: 1 });

export interface IdempotencyDoc {
  _id: string; // `<orgId>:<key>`
  bookingId: string;
  /** sha256 of the request body: the same key with another request is refused. */
  fingerprint: string;
  createdAt: Date;
}
const idempotencySchema = new Schema<IdempotencyDoc>(
  {
    _id: String,
    bookingId: { type: String, required: true },
    fingerprint: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  opts,
);

export function schedulingModels(conn: Connection) {
  return {
    claims: conn.model<ClaimDoc>("SlotClaim", claimSchema, "slot_claims"),
    bookings: conn.model<BookingDoc>("Booking", bookingSchema, "bookings"),
    idempotency: conn.model<IdempotencyDoc>("IdempotencyRecord", idempotencySchema, "idempotency_records"),
    numbers: bookingNumberModel(conn),
  };
}
export type SchedulingModels = ReturnType<typeof schedulingModels>;

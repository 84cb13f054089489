// Availability, bookings (预约单) and their lifecycle. Times are ISO 8601 with an offset on the
// wire and UTC in the database; each instrument's own IANA zone defines its open hours.
import { BOOKING_KINDS, BOOKING_STATUSES } from "../enums";
import { DateTime, Fen, Id, MAX_PAGE_SIZE, Page, StringEnum, Type, type Static } from "./common";
import { BookingSubsidy } from "./vouchers";
import { ProviderContact } from "./accounts";
import { exactlyOne, notAbove } from "./cross-field";

/** Per-instrument booking rules; every field optional, defaults in BOOKING_RULE_DEFAULTS. */
export const BookingRules = Type.Object(
  {
    minNoticeMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 * 24 * 30 })),
    maxAdvanceDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    minDurationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 * 24 * 14 })),
    maxDurationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 * 24 * 14 })),
    bufferMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 * 24 })),
    requiresConfirmation: Type.Optional(Type.Boolean()),
    holdHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })),
    cancelDeadlineHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 90 })),
  },
  { additionalProperties: false, ...notAbove(["minDurationMinutes", "maxDurationMinutes"]) },
);
export type BookingRules = Static<typeof BookingRules>;

/** Defaults from the issue; `minDurationMinutes` null means one slot. */
export const BOOKING_RULE_DEFAULTS = {
  minNoticeMinutes: 120,
  maxAdvanceDays: 90,
  minDurationMinutes: null as number | null,
  maxDurationMinutes: 8 * 60,
  bufferMinutes: 0,
  requiresConfirmation: true,
  holdHours: 48,
  cancelDeadlineHours: 24,
};

export const MAX_AVAILABILITY_DAYS = 31;

export const AvailabilityQuery = Type.Object({ from: DateTime, to: DateTime }, { additionalProperties: false });
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const Slot = Type.Object({ start: DateTime, end: DateTime, free: Type.Integer({ minimum: 0 }) });
export type Slot = Static<typeof Slot>;

export const Availability = Type.Object({
  instrumentId: Id,
  timezone: Type.String(),
  slotMinutes: Type.Integer(),
  capacity: Type.Integer(),
  slots: Type.Array(Slot),
});
export type Availability = Static<typeof Availability>;

/** Instrument time: instrumentId + start + end. A package: packageId + start (earliest feasible on or after). */
export const BookingCreateBody = Type.Object(
  {
    instrumentId: Type.Optional(Id),
    packageId: Type.Optional(Id),
    start: DateTime,
    end: Type.Optional(DateTime),
    /** Per-sample instruments: how many samples (price × samples). */
    samples: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    useVoucher: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, ...exactlyOne("instrumentId", "packageId") },
);
export type BookingCreateBody = Static<typeof BookingCreateBody>;

export const PackageScheduleQuery = Type.Object({ start: DateTime }, { additionalProperties: false });
/** A stretch of back-to-back slots of one item. */
export const ItemPart = Type.Object({ start: DateTime, end: DateTime });
export type ItemPart = Static<typeof ItemPart>;
export const BookingItem = Type.Object({
  instrumentId: Id,
  instrumentName: Type.String(),
  providerId: Id,
  /** The first part's start and the last part's end. */
  start: DateTime,
  end: DateTime,
  /**
   * When the item runs: one part, or several when a long measurement runs over consecutive open
   * blocks of the instrument (e.g. 3 Dec 08:00–12:00, 13:30–17:30; 4 Dec 08:00–12:00).
   */
  parts: Type.Array(ItemPart, { minItems: 1 }),
  /** Capacity unit held (0-based). */
  unit: Type.Integer({ minimum: 0 }),
});
export type BookingItem = Static<typeof BookingItem>;
export const PackageSchedule = Type.Object({
  packageId: Id,
  items: Type.Array(Type.Omit(BookingItem, ["unit"])),
});
export type PackageSchedule = Static<typeof PackageSchedule>;

/**
 * A booked item with its progress. In a package each item is acted on by its instrument's own
 * provider: confirmed (per provider, see Booking.confirmationsRequired), checked in, completed.
 */
export const BookedItem = Type.Object({
  ...BookingItem.properties,
  /** The instrument's provider must confirm before the booking is confirmed. */
  requiresConfirmation: Type.Optional(Type.Boolean()),
  checkedInAt: Type.Optional(DateTime),
  completedAt: Type.Optional(DateTime),
  contractAmountFen: Type.Optional(Fen),
  reportNumber: Type.Optional(Type.String()),
});
export type BookedItem = Static<typeof BookedItem>;

export const BookingHistoryEntry = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  type: Type.String(),
  status: StringEnum(BOOKING_STATUSES),
  actorId: Type.Union([Id, Type.Null()]),
  at: DateTime,
  reason: Type.Optional(Type.String()),
  /** The provider a confirmation is from; the item index of a check-in or completion. */
  providerId: Type.Optional(Id),
  item: Type.Optional(Type.Integer({ minimum: 0 })),
});

// The contract amount of a completed booking (issue 10): recorded by the provider, acknowledged or
// disputed by the enterprise; a dispute returns it to the provider, who records it again.
export const CONTRACT_STATUSES = ["recorded", "acknowledged", "disputed"] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const BookingContract = Type.Object({
  status: StringEnum(CONTRACT_STATUSES),
  amountFen: Fen,
  extrasFen: Fen,
  extrasReason: Type.Optional(Type.String()),
  recordedAt: DateTime,
  disputeReason: Type.Optional(Type.String()),
  decidedAt: Type.Optional(DateTime),
});
export type BookingContract = Static<typeof BookingContract>;

export const Booking = Type.Object({
  id: Id,
  kind: StringEnum(BOOKING_KINDS),
  status: StringEnum(BOOKING_STATUSES),
  enterpriseId: Id,
  enterpriseName: Type.String(),
  providerIds: Type.Array(Id),
  /** The instrument's provider, or the package's (it may reject, record a no-show, cancel with a reason). */
  actingProviderId: Type.Optional(Id),
  instrumentId: Type.Optional(Id),
  packageId: Type.Optional(Id),
  title: Type.String(),
  /** Readable number, e.g. YY-20261203-0042 (absent on bookings made before numbers: show the id). */
  number: Type.Optional(Type.String()),
  items: Type.Array(BookedItem),
  /** Providers whose confirmation the booking waits for (each item's own provider), and those given. */
  confirmationsRequired: Type.Optional(Type.Array(Id)),
  confirmedBy: Type.Optional(Type.Array(Id)),
  samples: Type.Optional(Type.Integer()),
  priceFen: Fen,
  useVoucher: Type.Boolean(),
  note: Type.Optional(Type.String()),
  holdExpiresAt: Type.Optional(DateTime),
  cancelDeadline: Type.Optional(DateTime),
  contractAmountFen: Type.Optional(Fen),
  reportNumber: Type.Optional(Type.String()),
  /** The contract amount's acknowledgement state, once the booking is completed. */
  contract: Type.Optional(BookingContract),
  history: Type.Array(BookingHistoryEntry),
  /** With useVoucher: the voucher's split once issued, else the expected one (issue 10). */
  subsidy: Type.Optional(BookingSubsidy),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Booking = Static<typeof Booking>;

export const BookingListQuery = Type.Object(
  {
    /** enterprise: my organization's bookings; provider: bookings on my instruments (default by role). */
    scope: Type.Optional(StringEnum(["enterprise", "provider", "all"] as const)),
    instrumentId: Type.Optional(Id),
    /** A booking number (YY-20261203-0042, case and spaces aside): that booking, if in scope. */
    number: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(StringEnum(BOOKING_STATUSES)),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })),
  },
  { additionalProperties: false },
);
export type BookingListQuery = Static<typeof BookingListQuery>;
export const BookingPage = Page(Booking);

/** Which item of a package a check-in or completion is for (default: the caller's next one). */
const ItemIndex = Type.Integer({ minimum: 0, maximum: 999 });
export const ReasonBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })), item: Type.Optional(ItemIndex) },
  { additionalProperties: false },
);
export type ReasonBody = Static<typeof ReasonBody>;
/** Work beyond the booked price the provider declares with a contract amount, and why (issue 10). */
const Extras = { extrasFen: Type.Optional(Fen), extrasReason: Type.Optional(Type.String({ maxLength: 500 })) };
export const CompleteBody = Type.Object(
  { contractAmountFen: Fen, reportNumber: Type.String({ minLength: 1, maxLength: 64 }), item: Type.Optional(ItemIndex), ...Extras },
  { additionalProperties: false },
);
export type CompleteBody = Static<typeof CompleteBody>;

export const ContractAmountBody = Type.Object({ contractAmountFen: Fen, ...Extras }, { additionalProperties: false });
export type ContractAmountBody = Static<typeof ContractAmountBody>;
export const DisputeBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type DisputeBody = Static<typeof DisputeBody>;
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/**
 * Who a booking brings together (issue 11): the enterprise, each provider with its address and
 * contact for delivering samples (null until its admin gives one), and each instrument with its
 * location and zone (the booking slip shows times in the instrument's zone).
 */
export const BookingParties = Type.Object({
  bookingId: Id,
  enterprise: Type.Object({ id: Id, name: Type.String() }),
  providers: Type.Array(Type.Object({ id: Id, name: Type.String(), contact: Type.Union([ProviderContact, Type.Null()]) })),
  instruments: Type.Array(Type.Object({ id: Id, name: Type.String(), location: Type.Optional(Type.String()), timezone: Type.String() })),
});
export type BookingParties = Static<typeof BookingParties>;

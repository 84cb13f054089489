// Live utilization (issue 12): utilization per group over a day range, and the live view's snapshot
// pushed as `utilization:update`. Definitions: docs/stats.md "Live utilization".
import { BOOKING_STATUSES } from "../enums";
import { DateTime, Fen, Id, StringEnum, Type, type Static } from "./common";
import { StatsDay } from "./stats";

export const UTILIZATION_GROUPS = ["instrument", "provider", "category", "county"] as const;
export type UtilizationGroup = (typeof UTILIZATION_GROUPS)[number];

/** Instruments listed per page when grouping by instrument. */
export const UTILIZATION_MAX_LIMIT = 500;

export const UtilizationQuery = Type.Object(
  {
    from: Type.Optional(StatsDay),
    to: Type.Optional(StatsDay),
    groupBy: Type.Optional(StringEnum(UTILIZATION_GROUPS, { default: "instrument" })),
    /** Bureau only: one provider's instruments. A provider member always sees its own. */
    providerId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: UTILIZATION_MAX_LIMIT, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
    /** Adds each item's figures per day of the range (`days`), for the dashboard's heat map. */
    perDay: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type UtilizationQuery = Static<typeof UtilizationQuery>;

const Hours = Type.Number({ minimum: 0 });
/** booked / open, 4 decimals; null when nothing was open. */
const Rate = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

export const UtilizationFigures = Type.Object({ instruments: Type.Integer({ minimum: 0 }), openHours: Hours, bookedHours: Hours, rate: Rate });
export type UtilizationFigures = Static<typeof UtilizationFigures>;

/** One day of an item (each instrument's own local day); the days add up to the item's figures. */
export const UtilizationDay = Type.Object({ day: StatsDay, openHours: Hours, bookedHours: Hours, rate: Rate });
export type UtilizationDay = Static<typeof UtilizationDay>;

export const UtilizationItem = Type.Object({
  /** Instrument id, provider id, category code or county code. */
  key: Type.String(),
  /** Instrument or provider name; absent for categories and counties (the client names them). */
  name: Type.Optional(Type.String()),
  instruments: Type.Integer({ minimum: 0 }),
  openHours: Hours,
  bookedHours: Hours,
  rate: Rate,
  /** Only with `perDay=true`: every day of the range, in order. */
  days: Type.Optional(Type.Array(UtilizationDay)),
});
export type UtilizationItem = Static<typeof UtilizationItem>;

export const Utilization = Type.Object({
  from: StatsDay,
  to: StatsDay,
  groupBy: StringEnum(UTILIZATION_GROUPS),
  /** Groups in all (the page is `items`, from `offset`). */
  total: Type.Integer({ minimum: 0 }),
  offset: Type.Integer({ minimum: 0 }),
  limit: Type.Integer({ minimum: 1 }),
  items: Type.Array(UtilizationItem),
  /** Over every group, not only this page. */
  totals: UtilizationFigures,
});
export type Utilization = Static<typeof Utilization>;

/** Which live view: the whole platform (bureau) or one provider's instruments. */
export const LiveScopeQuery = Type.Object({ providerId: Type.Optional(Id) }, { additionalProperties: false });
export type LiveScopeQuery = Static<typeof LiveScopeQuery>;

export const LiveBooking = Type.Object({
  id: Id,
  number: Type.String(),
  title: Type.String(),
  enterpriseName: Type.String(),
  status: StringEnum(BOOKING_STATUSES),
  priceFen: Fen,
  createdAt: DateTime,
});
export type LiveBooking = Static<typeof LiveBooking>;

export const LIVE_TICKER_SIZE = 10;

export const LiveSnapshot = Type.Object({
  /** `bureau` or the provider's id. */
  scope: Type.String(),
  at: DateTime,
  /** The platform's day (Asia/Shanghai) that "today" means for bookings and vouchers. */
  today: StatsDay,
  /** Instruments not retired; each is in exactly one of the four states below. */
  instruments: Type.Integer({ minimum: 0 }),
  inMaintenance: Type.Integer({ minimum: 0 }),
  instrumentsInUse: Type.Integer({ minimum: 0 }),
  bookedToday: Type.Integer({ minimum: 0 }),
  idle: Type.Integer({ minimum: 0 }),
  bookingsToday: Type.Integer({ minimum: 0 }),
  bookingsTodayAmountFen: Fen,
  vouchersIssuedToday: Type.Integer({ minimum: 0 }),
  vouchersIssuedTodayFen: Fen,
  /** The newest bookings made today, newest first (at most LIVE_TICKER_SIZE). */
  latest: Type.Array(LiveBooking, { maxItems: LIVE_TICKER_SIZE }),
});
export type LiveSnapshot = Static<typeof LiveSnapshot>;

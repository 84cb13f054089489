// The notification centre (issue 11): what a user is told about their bookings and registration,
// stored per user (nothing is missed while offline) and pushed live as `notification:new`.
import { BOOKING_STATUSES } from "../enums";
import { DateTime, Id, StringEnum, Type, type Static } from "./common";

export const NOTIFICATION_KINDS = [
  /** A new booking on the provider's instruments (pending: it waits for their confirmation). */
  "booking_requested",
  "booking_confirmed",
  "booking_rejected",
  "booking_cancelled",
  /** A pending request whose hold lapses within 12 hours (to the booker, once per booking). */
  "booking_expiring",
  /** The bureau approved or rejected the organization's registration (to its members). */
  "registration_reviewed",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** `<userId>:<seq>`: the user's n-th notification (see docs/database.md, "Notifications"). */
export const NotificationId = Type.String({ minLength: 3, maxLength: 80, pattern: "^[A-Za-z0-9_-]+:[1-9][0-9]{0,9}$" });

export const Notification = Type.Object({
  id: NotificationId,
  /** Position in the user's list, newest highest; `before` pages by it. */
  seq: Type.Integer({ minimum: 1 }),
  kind: StringEnum(NOTIFICATION_KINDS),
  read: Type.Boolean(),
  createdAt: DateTime,
  bookingId: Type.Optional(Id),
  /** The booking's title (instrument or package name) when the notification was written. */
  title: Type.Optional(Type.String()),
  bookingStatus: Type.Optional(StringEnum(BOOKING_STATUSES)),
  /** booking_expiring: when the pending request lapses. */
  expiresAt: Type.Optional(DateTime),
  /** registration_reviewed: the organization and the decision. */
  organizationId: Type.Optional(Id),
  decision: Type.Optional(StringEnum(["approved", "rejected"] as const)),
});
export type Notification = Static<typeof Notification>;

export const NOTIFICATION_PAGE_MAX = 50;
export const NotificationListQuery = Type.Object(
  {
    /** true: only unread ones. */
    unread: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: NOTIFICATION_PAGE_MAX, default: 20 })),
    /** Only notifications with a lower `seq` (the previous page's `nextBefore`). */
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_999_999_999 })),
  },
  { additionalProperties: false },
);
export type NotificationListQuery = Static<typeof NotificationListQuery>;

export const NotificationList = Type.Object({
  items: Type.Array(Notification),
  /** Pass as `before` for the next (older) page; absent on the last page. */
  nextBefore: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type NotificationList = Static<typeof NotificationList>;

/** Unread notifications among the newest UNREAD_COUNT_CAP; the client shows "99+" above 99. */
export const UNREAD_COUNT_CAP = 100;
export const UnreadCount = Type.Object({
  unread: Type.Integer({ minimum: 0, maximum: UNREAD_COUNT_CAP }),
  /** The newest notification's seq (0: none yet): a pushed one at or below it is already counted. */
  latestSeq: Type.Integer({ minimum: 0 }),
});
export type UnreadCount = Static<typeof UnreadCount>;

export const NotificationParams = Type.Object({ id: NotificationId }, { additionalProperties: false });

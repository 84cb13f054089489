// Notifications, stored per user. Every read and write goes by `_id` (the only index FerretDB uses):
//   notifications        `<userId>:<seq>`       the user's seq-th notification (1, 2, 3, … without gaps)
//   notification_keys    `<userId>:<eventKey>`  "this user was told about this event": the insert that
//                                               decides it, so a replay or a second process adds nothing
//   notification_heads   `<userId>`             a hint of the user's highest seq (probed forward on read)
//   notification_reads   `<userId>`             "read all" up to this seq
// docs/database.md ("Notifications") explains the choice.
import { Schema, type Connection } from "mongoose";
import { BOOKING_STATUSES, type BookingStatus } from "../../../shared/enums";
import { NOTIFICATION_KINDS, type NotificationKind } from "../../../shared/schemas/notifications";

const opts = { versionKey: false, minimize: false } as const;

/** What a notification says; the client words it from `kind` in the reader's language. */
export interface NotificationContent {
  kind: NotificationKind;
  bookingId?: string;
  title?: string;
  bookingStatus?: BookingStatus;
  expiresAt?: Date;
  organizationId?: string;
  decision?: "approved" | "rejected";
}

export interface NotificationDoc extends NotificationContent {
  _id: string;
  userId: string;
  seq: number;
  /** The event it tells about (its key in notification_keys). */
  key: string;
  createdAt: Date;
  readAt?: Date;
}
const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: String,
    userId: { type: String, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    bookingId: String,
    title: String,
    bookingStatus: { type: String, enum: BOOKING_STATUSES },
    expiresAt: Date,
    organizationId: String,
    decision: String,
    createdAt: { type: Date, required: true },
    readAt: Date,
  },
  opts,
);

export interface NotificationKeyDoc {
  _id: string;
  createdAt: Date;
}
const keySchema = new Schema<NotificationKeyDoc>({ _id: String, createdAt: { type: Date, required: true } }, opts);

export interface NotificationHeadDoc {
  _id: string;
  seq: number;
}
const headSchema = new Schema<NotificationHeadDoc>({ _id: String, seq: { type: Number, required: true } }, opts);

export interface NotificationReadsDoc {
  _id: string;
  through: number;
  at: Date;
}
const readsSchema = new Schema<NotificationReadsDoc>({ _id: String, through: { type: Number, required: true }, at: { type: Date, required: true } }, opts);

export function notificationModels(conn: Connection) {
  return {
    notifications: conn.model<NotificationDoc>("Notification", notificationSchema, "notifications"),
    keys: conn.model<NotificationKeyDoc>("NotificationKey", keySchema, "notification_keys"),
    heads: conn.model<NotificationHeadDoc>("NotificationHead", headSchema, "notification_heads"),
    reads: conn.model<NotificationReadsDoc>("NotificationReads", readsSchema, "notification_reads"),
  };
}
export type NotificationModels = ReturnType<typeof notificationModels>;

// Socket.IO events, one map shared by the server's emitter and the client. Payloads carry ids and
// minimal state; clients refetch what they show.
import { BOOKING_STATUSES, ORG_STATUSES, ORG_TYPES } from "./enums";
import { Id, StringEnum, Type, type Static } from "./schemas/common";
import { Notification } from "./schemas/notifications";
import { Slot } from "./schemas/scheduling";
import { LiveSnapshot } from "./schemas/stats-live";

export const OrganizationReviewed = Type.Object({
  organizationId: Id,
  type: StringEnum(ORG_TYPES),
  status: StringEnum(ORG_STATUSES),
});
export type OrganizationReviewed = Static<typeof OrganizationReviewed>;

/** Slots of one instrument whose free count changed (a booking, cancellation, blackout or expiry). */
export const AvailabilityChanged = Type.Object({ instrumentId: Id, changes: Type.Array(Slot) });
export type AvailabilityChanged = Static<typeof AvailabilityChanged>;

/** A booking was created or changed state; clients refetch it by id. */
export const BookingChanged = Type.Object({
  bookingId: Id,
  status: StringEnum(BOOKING_STATUSES),
  enterpriseId: Id,
  providerIds: Type.Array(Id),
  instrumentIds: Type.Array(Id),
});
export type BookingChanged = Static<typeof BookingChanged>;

/** Server → client event payload schemas. */
export const SERVER_EVENTS = {
  "organization:reviewed": OrganizationReviewed,
  "availability:changed": AvailabilityChanged,
  "booking:created": BookingChanged,
  "booking:updated": BookingChanged,
  /** A notification stored for the user (the whole notification, as GET /api/notifications lists it). */
  "notification:new": Notification,
  /** The live view's snapshot of the subscribed scope (issue 12), coalesced. */
  "utilization:update": LiveSnapshot,
} as const;

export interface ServerToClientEvents {
  "organization:reviewed": (payload: OrganizationReviewed) => void;
  "availability:changed": (payload: AvailabilityChanged) => void;
  "booking:created": (payload: BookingChanged) => void;
  "booking:updated": (payload: BookingChanged) => void;
  "notification:new": (payload: Notification) => void;
  "utilization:update": (payload: LiveSnapshot) => void;
}

export const SubscribeInstrument = Type.Object({ instrumentId: Id }, { additionalProperties: false });
export type SubscribeInstrument = Static<typeof SubscribeInstrument>;

/** The acknowledgement of a client → server event: ok, or an error in the API's shape. */
export type Ack = (answer: { ok: true } | { ok: false; error: { code: string; message: string } }) => void;

/** The live view (issue 12): the whole platform (bureau; or one provider, `providerId`) or the provider's own. */
export const SubscribeUtilization = Type.Object({ providerId: Type.Optional(Id) }, { additionalProperties: false });
export type SubscribeUtilization = Static<typeof SubscribeUtilization>;
export const UnsubscribeUtilization = Type.Object({}, { additionalProperties: false });
export type UnsubscribeUtilization = Static<typeof UnsubscribeUtilization>;

/** Client → server event payload schemas. */
export const CLIENT_EVENTS = {
  subscribe: SubscribeInstrument,
  unsubscribe: SubscribeInstrument,
  "utilization:subscribe": SubscribeUtilization,
  "utilization:unsubscribe": UnsubscribeUtilization,
} as const;

export interface ClientToServerEvents {
  subscribe: (payload: SubscribeInstrument, ack?: Ack) => void;
  unsubscribe: (payload: SubscribeInstrument, ack?: Ack) => void;
  "utilization:subscribe": (payload: SubscribeUtilization, ack?: Ack) => void;
  "utilization:unsubscribe": (payload: UnsubscribeUtilization, ack?: Ack) => void;
}

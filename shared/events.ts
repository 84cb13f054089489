// Socket.IO events, one map shared by the server's emitter and the client. Payloads carry ids and
// minimal state; clients refetch what they show.
import { ORG_STATUSES, ORG_TYPES } from "./enums";
import { Id, StringEnum, Type, type Static } from "./schemas/common";

export const OrganizationReviewed = Type.Object({
  organizationId: Id,
  type: StringEnum(ORG_TYPES),
  status: StringEnum(ORG_STATUSES),
});
export type OrganizationReviewed = Static<typeof OrganizationReviewed>;

/** Server → client event payload schemas. */
export const SERVER_EVENTS = {
  "organization:reviewed": OrganizationReviewed,
} as const;

export interface ServerToClientEvents {
  "organization:reviewed": (payload: OrganizationReviewed) => void;
}

/** Client → server events (subscriptions arrive with the scheduling module). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}

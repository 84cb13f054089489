// Rooms, and the one place that maps domain events to them.
//
//   user:<userId>        every socket of a user
//   session:<sessionId>  the sockets opened with one session (disconnected when it logs out)
//   org:<orgId>          every member of an organization (the bureau's members share `org:bureau`)
//   instrument:<id>      sockets that subscribed to an instrument's availability
//   live:<scope>         sockets watching the live view (`bureau` or a provider id; live-stream.ts,
//                        which pushes coalesced snapshots to this process's sockets only)
//
// Each payload is checked against its schema in shared/events.ts and reduced to the properties the
// schema names before it leaves the process; an event that does not match is logged and dropped.
// With the Redis adapter, `io.to(rooms).emit` also reaches the sockets of every other process.
import { SERVER_EVENTS, type BookingChanged, type ServerToClientEvents } from "../../shared/events";
import { compile } from "../../shared/validation";
import type { DomainEventBus, DomainEvents } from "../events";
import type { Logger } from "../logger";
import { BUREAU_ORG_ID } from "../modules/accounts/service";
import type { RealtimeServer } from "./types";

export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const orgRoom = (orgId: string) => `org:${orgId}`;
export const instrumentRoom = (instrumentId: string) => `instrument:${instrumentId}`;
export const INSTRUMENT_ROOM_PREFIX = instrumentRoom("");

type ServerEvent = keyof ServerToClientEvents;
type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** Who hears a booking: the booker's enterprise, every provider involved, and the bureau (live utilization). */
const bookingRooms = (b: BookingChanged) => [orgRoom(b.enterpriseId), ...b.providerIds.map(orgRoom), orgRoom(BUREAU_ORG_ID)];

/** Domain event → socket event and rooms. */
const ROUTES: { [D in keyof DomainEvents]?: { event: ServerEvent; rooms(payload: DomainEvents[D]): string[] } } = {
  "organization.reviewed": { event: "organization:reviewed", rooms: (p) => [orgRoom(p.organizationId)] },
  "availability.changed": { event: "availability:changed", rooms: (p) => [instrumentRoom(p.instrumentId)] },
  "booking.created": { event: "booking:created", rooms: bookingRooms },
  "booking.updated": { event: "booking:updated", rooms: bookingRooms },
  // Only the user's own sockets; the schema drops `userId` from what leaves.
  "notification.created": { event: "notification:new", rooms: (p) => [userRoom(p.userId)] },
};

export function routeDomainEvents(io: RealtimeServer, bus: DomainEventBus, logger: Logger): () => void {
  const emit = <E extends ServerEvent>(rooms: string[], event: E, payload: Payload<E>) => {
    // A copy, because "response" mode strips unnamed properties in place and other listeners share the payload.
    const wire: unknown = structuredClone(payload);
    const valid = compile(SERVER_EVENTS[event], "response");
    if (!valid(wire)) {
      logger.error({ event, errors: valid.errors }, "socket payload does not match its schema");
      return;
    }
    (io.to(rooms).emit as (name: E, payload: unknown) => boolean)(event, wire);
  };

  const offs = (Object.keys(ROUTES) as (keyof DomainEvents)[]).map((name) => {
    const route = ROUTES[name] as { event: ServerEvent; rooms(p: unknown): string[] };
    return bus.on(name, (payload) => emit(route.rooms(payload), route.event, payload as Payload<ServerEvent>));
  });
  // Someone who joins an organization while connected starts receiving its events at once
  // (on every process: the adapter forwards socketsJoin).
  offs.push(bus.on("membership.created", (p) => io.in(userRoom(p.userId)).socketsJoin(orgRoom(p.orgId))));
  // A logged-out session keeps no live connection (on every process, through the adapter).
  offs.push(bus.on("session.ended", (p) => io.in(sessionRoom(p.sessionId)).disconnectSockets(true)));
  return () => offs.forEach((off) => off());
}

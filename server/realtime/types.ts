// The typed Socket.IO server and socket of this app, shared by the realtime files.
import type { Server, Socket } from "socket.io";
import type { Locale } from "../../shared/enums";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import type { Actor } from "../modules/accounts/actor";

export interface SocketData {
  actor: Actor;
  /** From the handshake: `auth.locale`, else `Accept-Language`; acks answer in it. */
  locale: Locale;
}

/** Between server processes (through the Redis adapter's serverSideEmit): what changed for the live view. */
export interface InterServerEvents {
  "live:changed": (change: { scopes: string[]; voucherBookingIds: string[] }) => void;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LabSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

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

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LabSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

// Socket.IO on the same HTTP server. A connection authenticates with the session token (handshake
// `auth.token` or the session cookie) and joins its rooms: `user:<id>` and `org:<orgId>`.
// Domain events are mapped to rooms here and nowhere else.
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { SERVER_EVENTS, type ClientToServerEvents, type ServerToClientEvents } from "../../shared/events";
import { compile } from "../../shared/validation";
import type { DomainEventBus } from "../events";
import { cookieValue, SESSION_COOKIE } from "../http/auth";
import type { Logger } from "../logger";
import type { Actor } from "../modules/accounts/actor";
import type { AccountsService } from "../modules/accounts/service";

interface SocketData {
  actor: Actor;
}
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LabSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;
export const orgRoom = (orgId: string) => `org:${orgId}`;

function handshakeToken(socket: LabSocket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === "string") return auth.token;
  return cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
}

export function attachRealtime(
  httpServer: HttpServer,
  deps: { accounts: AccountsService; bus: DomainEventBus; logger: Logger },
): { io: RealtimeServer; close(): Promise<void> } {
  const io: RealtimeServer = new Server(httpServer, { serveClient: false, connectionStateRecovery: {} });

  io.use(async (socket, next) => {
    const token = handshakeToken(socket);
    const actor = token ? await deps.accounts.actorForToken(token).catch(() => null) : null;
    if (!actor) {
      const err = new Error("UNAUTHENTICATED") as Error & { data?: unknown };
      err.data = { code: "UNAUTHENTICATED" };
      return next(err);
    }
    socket.data.actor = actor;
    next();
  });

  io.on("connection", (socket) => {
    const { actor } = socket.data;
    void socket.join([userRoom(actor.userId), ...(actor.membership ? [orgRoom(actor.membership.orgId)] : [])]);
  });

  const emit = <K extends keyof ServerToClientEvents>(room: string, name: K, payload: Parameters<ServerToClientEvents[K]>[0]) => {
    const valid = compile(SERVER_EVENTS[name], "strict");
    if (!valid(payload)) {
      deps.logger.error({ name, errors: valid.errors }, "socket payload does not match its schema");
      return;
    }
    (io.to(room).emit as (n: K, p: unknown) => boolean)(name, payload);
  };

  const unsubscribe = [
    deps.bus.on("organization.reviewed", (p) => emit(orgRoom(p.organizationId), "organization:reviewed", p)),
    // Someone who joins an organization while connected starts receiving its events at once.
    deps.bus.on("membership.created", (p) => io.in(userRoom(p.userId)).socketsJoin(orgRoom(p.orgId))),
  ];

  return {
    io,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe.forEach((off) => off());
        io.disconnectSockets(true);
        // io.close() also closes the HTTP server; the caller owns that, so only end the engine here.
        io.engine.close();
        resolve();
      }),
  };
}

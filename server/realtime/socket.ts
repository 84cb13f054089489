// Socket.IO on the same HTTP server. A connection authenticates with the session token (auth.ts),
// joins `user:<id>` and `org:<orgId>`, and may subscribe to instruments (subscriptions.ts); domain
// events reach rooms through rooms.ts, the only place that maps them.
//
// After a reconnect clients refetch what they show and subscribe again. Without Redis, connection-
// state recovery also restores a briefly lost socket's rooms and missed events; the Redis adapter
// does not support recovery (only the Redis Streams adapter does), so with REDIS_URL it is off.
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import type { DomainEventBus } from "../events";
import type { Logger } from "../logger";
import type { AccountsService } from "../modules/accounts/service";
import type { LiveUtilization } from "../modules/stats/live";
import type { RedisAdapter } from "./adapter";
import { authenticate } from "./auth";
import { limitEventRate } from "./event-rate";
import { attachLiveStream } from "./live-stream";
import { orgRoom, routeDomainEvents, sessionRoom, userRoom } from "./rooms";
import { handleSubscriptions, type SubscriptionDeps } from "./subscriptions";
import type { RealtimeServer } from "./types";

export type { RealtimeServer } from "./types";

export interface RealtimeDeps {
  accounts: AccountsService;
  bus: DomainEventBus;
  logger: Logger;
  findInstrument: SubscriptionDeps["findInstrument"];
  /** The live view's snapshots (issue 12: `utilization:subscribe`). */
  live: LiveUtilization;
  /** Connected Redis adapter (REDIS_URL), or none for a single process. */
  redis?: RedisAdapter;
}

export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): { io: RealtimeServer; close(): Promise<void> } {
  const options: Partial<ServerOptions> = deps.redis
    ? { serveClient: false, adapter: deps.redis.adapter }
    : { serveClient: false, connectionStateRecovery: {} };
  const io: RealtimeServer = new Server(httpServer, options);

  io.use(authenticate(deps.accounts));
  const liveStream = attachLiveStream(io, { bus: deps.bus, live: deps.live, logger: deps.logger, clustered: !!deps.redis });
  io.on("connection", (socket) => {
    const { actor } = socket.data;
    void socket.join([
      userRoom(actor.userId),
      ...(actor.sessionId ? [sessionRoom(actor.sessionId)] : []),
      ...(actor.membership ? [orgRoom(actor.membership.orgId)] : []),
    ]);
    limitEventRate(socket, deps.logger);
    handleSubscriptions(socket, { findInstrument: deps.findInstrument, logger: deps.logger });
    liveStream.handle(socket);
  });

  const stopRouting = routeDomainEvents(io, deps.bus, deps.logger);

  return {
    io,
    async close() {
      stopRouting();
      liveStream.close();
      // Only this process's sockets: with Redis, disconnectSockets() would reach the other processes.
      io.local.disconnectSockets(true);
      // io.close() also closes the HTTP server; the caller owns that, so end the engine and adapter here.
      io.engine.close();
      await io.of("/").adapter.close();
      await deps.redis?.close();
    },
  };
}

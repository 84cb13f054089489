// App + HTTP server + Socket.IO (with the Redis adapter when REDIS_URL is set), ready to listen.
// Shared by main.ts and the tests.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type AppDeps, type Services } from "./app";
import { answerClientErrors } from "./http/client-errors";
import { connectRedisAdapter } from "./realtime/adapter";
import { attachRealtime, type RealtimeServer } from "./realtime/socket";

export interface RunningServer {
  url: string;
  services: Services;
  io: RealtimeServer;
  /** Stops accepting, lets in-flight requests finish, closes sockets and Redis. The database is the caller's. */
  close(): Promise<void>;
}

export async function startServer(deps: AppDeps, port: number, host = "127.0.0.1"): Promise<RunningServer> {
  // Connected before listening: a process that cannot reach the other processes' events (and
  // their rate-limit counts) must not serve.
  const redis = deps.config.redisUrl ? await connectRedisAdapter(deps.config.redisUrl, deps.logger) : undefined;
  const { app, services } = createApp({ ...deps, redisCommand: redis?.sendCommand });
  const server = http.createServer(app);
  answerClientErrors(server);
  const realtime = attachRealtime(server, {
    accounts: services.accounts,
    bus: services.bus,
    logger: deps.logger,
    findInstrument: (id) => services.instruments.get(id),
    live: services.live,
    redis,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    await realtime.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    services,
    io: realtime.io,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await realtime.close();
      // In-flight requests get a grace period; then whatever is left is cut.
      const timer = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(timer);
      await services.scheduling.announcementsSent();
      await services.notificationFollower.idle();
    },
  };
}

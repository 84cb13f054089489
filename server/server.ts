// App + HTTP server + Socket.IO, ready to listen. Shared by main.ts and the tests.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type AppDeps, type Services } from "./app";
import { attachRealtime, type RealtimeServer } from "./realtime/socket";

export interface RunningServer {
  url: string;
  services: Services;
  io: RealtimeServer;
  /** Stops accepting, lets in-flight requests finish, closes sockets. The database is the caller's. */
  close(): Promise<void>;
}

export async function startServer(deps: AppDeps, port: number, host = "127.0.0.1"): Promise<RunningServer> {
  const { app, services } = createApp(deps);
  const server = http.createServer(app);
  const realtime = attachRealtime(server, { accounts: services.accounts, bus: services.bus, logger: deps.logger });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
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
    },
  };
}

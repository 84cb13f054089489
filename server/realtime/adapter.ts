// The Socket.IO Redis adapter (REDIS_URL): several server processes behind a load balancer share
// rooms, so an event emitted by the process that handled a write reaches sockets on all of them.
// One client publishes, a duplicate subscribes (a subscribed Redis connection can do nothing else).
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { Logger } from "../logger";

/** At start a missing Redis is a configuration error, reported after this long; once running, reconnect forever. */
const STARTUP_RETRIES = 20;
const STARTUP_RETRY_MS = 250;
const MAX_RECONNECT_MS = 5_000;

export interface RedisAdapter {
  adapter: ReturnType<typeof createAdapter>;
  /** One raw command on the publishing connection (rate-limit counters; http/rate-limit.ts). */
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function connectRedisAdapter(url: string, logger: Logger): Promise<RedisAdapter> {
  let started = false;
  const pub = createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        started ? Math.min(100 * 2 ** retries, MAX_RECONNECT_MS) : retries < STARTUP_RETRIES ? STARTUP_RETRY_MS : cause,
    },
  });
  const sub = pub.duplicate();
  // Without a listener an "error" event would end the process; the client reconnects by itself.
  // At start the retries are quiet: if they all fail, connect() below says so once.
  pub.on("error", (err: unknown) => started && logger.warn({ err }, "redis (publish) connection error"));
  sub.on("error", (err: unknown) => started && logger.warn({ err }, "redis (subscribe) connection error"));
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    for (const client of [pub, sub]) if (client.isOpen) client.destroy();
    throw new Error(`Cannot connect to Redis at REDIS_URL (${redact(url)}): ${(err as Error).message}`, { cause: err });
  }
  started = true;
  return {
    adapter: createAdapter(pub, sub),
    sendCommand: (args) => pub.sendCommand(args),
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "an invalid URL";
  }
}

// One mongoose connection per app/test: never the global default connection, so models are
// registered per connection and several apps/tests can share one process.
import mongoose from "mongoose";
import { isDatabaseUnavailableError } from "./errors";

// While the server is down (e.g. the embedded one restarting), a request must fail fast with
// 503 rather than hang: no Mongoose command buffering (its timeout error has no class of its
// own, and it waited 10 s), and the driver gives up selecting a server after this long.
export const SERVER_SELECTION_TIMEOUT_MS = 1_500;
// The first connection may take longer (a replica set electing, a server still starting).
const INITIAL_CONNECT_MS = 30_000;

export async function connectDatabase(uri: string, dbName: string): Promise<mongoose.Connection> {
  const deadline = Date.now() + INITIAL_CONNECT_MS;
  for (;;) {
    const conn = mongoose.createConnection(uri, {
      dbName,
      autoIndex: true,
      bufferCommands: false,
      serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
      // Notices a dead or restarted server within 2 s even when no request is waiting.
      heartbeatFrequencyMS: 2_000,
    });
    try {
      return await conn.asPromise();
    } catch (err) {
      await conn.close().catch(() => {});
      if (!isDatabaseUnavailableError(err) || Date.now() >= deadline) throw err;
    }
  }
}

/** For the health endpoint: true if the server answers a ping within timeoutMs. */
export async function pingDatabase(conn: mongoose.Connection, timeoutMs = 2_000): Promise<boolean> {
  const db = conn.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("ping timeout")), timeoutMs);
    });
    const res = await Promise.race([db.admin().command({ ping: 1 }), timeout]);
    return res?.ok === 1;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

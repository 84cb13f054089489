// One mongoose connection per app/test: never the global default connection, so models are
// registered per connection and several apps/tests can share one process.
import mongoose from "mongoose";

export async function connectDatabase(uri: string, dbName: string): Promise<mongoose.Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    autoIndex: true,
    serverSelectionTimeoutMS: 10_000,
  });
  return conn.asPromise();
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

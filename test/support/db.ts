// A private database per test file on the shared test server (see test/support/global.ts).
import { randomBytes } from "node:crypto";
import type mongoose from "mongoose";
import { connectDatabase } from "../../server/db/connection";

export interface TestDatabase {
  conn: mongoose.Connection;
  uri: string;
  dbName: string;
  drop(): Promise<void>;
}

export function testServerUri(): string {
  const uri = process.env.LABSHARE_TEST_MONGODB_URI ?? process.env.MONGODB_URI;
  if (!uri) throw new Error("No test database: mocha global setup (test/support/global.ts) did not run");
  return uri;
}

export async function openTestDatabase(label: string): Promise<TestDatabase> {
  const uri = testServerUri();
  // Short, safe names: MongoDB limits database names to 63 bytes and forbids /\. "$ etc.
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 24);
  const dbName = `t_${safe}_${randomBytes(4).toString("hex")}`;
  const conn = await connectDatabase(uri, dbName);
  return {
    conn,
    uri,
    dbName,
    async drop() {
      try {
        await conn.dropDatabase();
      } finally {
        await conn.close();
      }
    },
  };
}

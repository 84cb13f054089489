// The real app on port 0 over its own fresh database, with a bureau admin, for integration and
// browser tests.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../server/config";
import { createLogger } from "../../server/logger";
import { startServer, type RunningServer } from "../../server/server";
import { openTestDatabase, type TestDatabase } from "./db";

export interface TestServer {
  baseUrl: string;
  admin: { email: string; password: string };
  server: RunningServer;
  db: TestDatabase;
  config: Config;
  stop(): Promise<void>;
}

export async function startTestServer(label: string, env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const db = await openTestDatabase(label);
  // Files the app keeps (uploads) go to a temporary data directory, not the project's `.data`.
  const dataDir = env.LABSHARE_DATA_DIR ? undefined : await mkdtemp(path.join(os.tmpdir(), "labshare-data-"));
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", LOGIN_ATTEMPTS_PER_15_MIN: "1000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000", ...(dataDir ? { LABSHARE_DATA_DIR: dataDir } : {}), ...env });
  const server = await startServer({ config, conn: db.conn, logger: createLogger(config.logLevel) }, 0, "127.0.0.1");
  const admin = { email: `admin-${randomBytes(3).toString("hex")}@bureau.test`, password: "bureau-admin-pass" };
  await server.services.accounts.ensureBureauAdmin(admin.email, admin.password);
  return {
    baseUrl: server.url,
    admin,
    server,
    db,
    config,
    async stop() {
      await server.close();
      await db.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

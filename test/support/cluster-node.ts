// One server process of a test cluster: the real app on a loopback port 0 over MONGODB_URI +
// MONGODB_DB (the test's database) and, when set, REDIS_URL. Prints `{"url": …}` as one JSON line
// on stdout once listening; stops on SIGTERM, or when its parent closes stdin (so a crashed test
// run leaves no server behind). Started by test/support/cluster.ts.
import { loadConfig } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { createLogger } from "../../server/logger";
import { startServer } from "../../server/server";

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: "warn", LOGIN_ATTEMPTS_PER_15_MIN: "1000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000", ...process.env });
  if (!config.mongodbUri) throw new Error("cluster-node needs MONGODB_URI");
  const logger = createLogger(config.logLevel);
  const conn = await connectDatabase(config.mongodbUri, config.mongodbDb);
  const server = await startServer({ config, conn, logger }, 0, "127.0.0.1");
  if (config.admin) await server.services.accounts.ensureBureauAdmin(config.admin.email, config.admin.password);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await conn.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
  process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + "\n");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

// Process entry: config, database (embedded unless MONGODB_URI), HTTP + sockets, sweeper,
// bootstrap admin, demo data, graceful shutdown on SIGINT/SIGTERM.
import type { Connection } from "mongoose";
import { ConfigError, loadConfig } from "./config";
import { connectDatabase } from "./db/connection";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded";
import { createLogger } from "./logger";
import { seedDemo, DEMO_PASSWORD, type DemoLogin } from "./demo";
import { startServer } from "./server";
import type { Services } from "./app";

const SWEEP_INTERVAL_MS = 10 * 60_000;
const DEMO_ADMIN = "admin@demo.labshare";

async function bootstrap(services: Services, config: ReturnType<typeof loadConfig>, conn: Connection) {
  const admin = config.admin ?? (config.demo ? { email: DEMO_ADMIN, password: DEMO_PASSWORD } : undefined);
  const empty = (await conn.collection("users").estimatedDocumentCount()) === 0;
  if (admin) await services.accounts.ensureBureauAdmin(admin.email, admin.password);
  const logins: DemoLogin[] = [];
  if (config.demo && empty && admin) {
    const actor = await services.accounts.actorForToken((await services.accounts.login(admin.email, admin.password)).token);
    logins.push({ role: "bureau_admin", ...admin }, ...(await seedDemo(services, actor!)));
  }
  return { admin, logins };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const t0 = Date.now();

  let embedded: EmbeddedDatabase | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      toolsDir: config.toolsDir,
      log: (msg) => logger.info(msg),
    });
    uri = embedded.uri;
    logger.info({ kind: embedded.kind, dataDir: config.dataDir }, "embedded database started");
  }
  const conn = await connectDatabase(uri, config.mongodbDb);
  const server = await startServer({ config, conn, logger }, config.port, config.host);
  const { admin, logins } = await bootstrap(server.services, config, conn);

  const sweep = () =>
    server.services.accounts.sweep().then(
      (r) => logger.debug(r, "sweep done"),
      (err: unknown) => logger.warn({ err }, "sweep failed"),
    );
  void sweep();
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);

  logger.info({ ms: Date.now() - t0 }, "started");
  const lines = [`\n  labshare is running at ${server.url}\n`];
  if (admin && !config.admin) lines.push(`  bureau admin:  ${admin.email} / ${admin.password}`);
  for (const l of logins.filter((x) => x.role !== "bureau_admin" || !config.admin)) {
    if (l.role !== "bureau_admin") lines.push(`  ${l.role}:  ${l.email} / ${l.password}`);
  }
  if (!admin) lines.push("  No bureau admin: set LABSHARE_ADMIN_EMAIL and LABSHARE_ADMIN_PASSWORD.");
  process.stdout.write(lines.join("\n") + "\n\n");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    clearInterval(sweeper);
    await server.close();
    await conn.close();
    await embedded?.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});

// Process entry: config, database (embedded unless MONGODB_URI), HTTP + sockets, sweeper,
// bootstrap admin, demo data, graceful shutdown on SIGINT/SIGTERM. /api/health answers 503
// "starting" until the admin, the demo data and the search index are ready.
import type { Connection } from "mongoose";
import { ConfigError, loadConfig, type Config } from "./config";
import { connectDatabase } from "./db/connection";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded";
import { createLogger, type Logger } from "./logger";
import { seedProgressReporter } from "./demo/progress";
import { DEMO_PASSWORD, existingDemoLogins, seedDemoCity, type DemoLogin } from "./demo/seed";
import { startServer, type RunningServer } from "./server";
import { BootstrapAdminError } from "./modules/accounts/service";
import type { Services } from "./app";
import { Readiness } from "./http/system-routes";
import { repairJournal } from "./modules/audit/repair";

const SWEEP_INTERVAL_MS = 10 * 60_000;
const SCHEDULING_SWEEP_INTERVAL_MS = 60_000;
/** "Expires within 12 hours" reminders: a few minutes late at most. */
const LAPSING_REMINDER_INTERVAL_MS = 5 * 60_000;
const VOUCHER_REPAIR_INTERVAL_MS = 5 * 60_000;
/** The audit journal's repair pass: after start-up (what a dead process left unwritten), then hourly. */
const AUDIT_REPAIR_INTERVAL_MS = 60 * 60_000;
const DEMO_ADMIN = "admin@demo.labshare";

/**
 * The configured bureau admin (LABSHARE_ADMIN_EMAIL) is ensured on every start. With
 * LABSHARE_DEMO=1 an empty database gets the demo city, including admin@demo.labshare unless an
 * admin is configured; a database that already has users is left as it is.
 */
async function bootstrap(services: Services, config: Config, conn: Connection, logger: Logger) {
  const empty = (await conn.collection("users").estimatedDocumentCount()) === 0;
  if (config.admin) await services.accounts.ensureBureauAdmin(config.admin.email, config.admin.password);
  if (!config.demo) return { logins: [] as DemoLogin[] };
  const includeBureauAdmin = !config.admin;
  if (empty) {
    const progress = seedProgressReporter();
    try {
      const result = await seedDemoCity(conn, { includeBureauAdmin, onProgress: (p) => progress.onProgress(p) });
      progress.stop();
      logger.info({ ms: result.ms, ...result.counts }, "demo city loaded");
      return { logins: result.logins };
    } catch (err) {
      progress.stop();
      throw err;
    }
  }
  if (includeBureauAdmin) await services.accounts.ensureBureauAdmin(DEMO_ADMIN, DEMO_PASSWORD);
  return { logins: await existingDemoLogins(conn, includeBureauAdmin) };
}

// Set once SIGINT/SIGTERM arrived: start-up steps failing after that are the shutdown's doing.
let stopping = false;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const t0 = Date.now();

  // Whatever is running so far is stopped on SIGINT/SIGTERM, also in the middle of start-up
  // (`npm start` execs this process, so npm's signals reach it directly).
  const running: { embedded?: EmbeddedDatabase; conn?: Connection; server?: RunningServer } = {};
  const timers: NodeJS.Timeout[] = [];
  const inFlight = new Set<Promise<void>>();
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    timers.forEach(clearInterval);
    await Promise.all(inFlight); // a sweep half-done is harmless, but let it end before the DB closes
    await running.server?.close();
    // Audit entries of the last requests (at most a few seconds; the next start's repair pass would write them anyway).
    await Promise.race([running.server?.services.auditRecorder.idle(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    await running.conn?.close();
    await running.embedded?.stop();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  let uri = config.mongodbUri;
  if (!uri) {
    const embedded = (running.embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      toolsDir: config.toolsDir,
      log: (msg, level = "info") => logger[level](msg),
    }));
    uri = embedded.uri;
    logger.info({ kind: embedded.kind, dataDir: config.dataDir }, "embedded database started");
  }
  const conn = (running.conn = await connectDatabase(uri, config.mongodbDb));
  const readiness = new Readiness(false);
  const server = (running.server = await startServer({ config, conn, logger, readiness }, config.port, config.host));
  const services = server.services;
  const { logins } = await bootstrap(services, config, conn, logger);

  // Periodic maintenance: expired sessions and dangling memberships; lapsed holds and claims
  // orphaned by a crash (see the services' sweep()). Each runs once now, then on its interval.
  const every = (name: string, ms: number, task: () => Promise<unknown>) => {
    const run = () => {
      const p = task().then(
        (r) => logger.debug({ r }, `${name} done`),
        (err: unknown) => logger.warn({ err }, `${name} failed`),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };
    run();
    timers.push(setInterval(run, ms));
  };
  if (stopping) return;
  every("accounts sweep", SWEEP_INTERVAL_MS, () => services.accounts.sweep());
  every("scheduling sweep", SCHEDULING_SWEEP_INTERVAL_MS, () => services.scheduling.sweep());
  every("voucher repair", VOUCHER_REPAIR_INTERVAL_MS, async () => ({ vouchers: await services.vouchers.repair(), claims: await services.claims.repair() }));
  every("uploads sweep", SWEEP_INTERVAL_MS, () => services.uploads.sweep());
  every("lapsing-request reminders", LAPSING_REMINDER_INTERVAL_MS, () => services.notificationFollower.remindLapsing());
  every("photos sweep", SWEEP_INTERVAL_MS, () => services.photos.sweep());
  every("audit journal repair", AUDIT_REPAIR_INTERVAL_MS, () => repairJournal(conn, services.journal, () => stopping));
  // Load the catalog search index now rather than on the first visitor's search (~1 s on FerretDB).
  await services.instruments.search({}).catch((err: unknown) => logger.warn({ err }, "catalog warm-up failed"));
  // The statistics' stocks and usual ranges into memory (docs/stats.md); not waited for past 10 s
  // (rolling up an imported history the first time can take minutes: it goes on in the background).
  const statsWarm = services.stats.warm().catch((err: unknown) => logger.warn({ err }, "statistics warm-up failed"));
  await Promise.race([statsWarm, new Promise((r) => setTimeout(r, 10_000).unref())]);
  if (stopping) return;

  readiness.markReady();
  // Under `npm run cluster` (scripts/cluster/run.ts) the primary counts a worker as up from here.
  process.send?.({ labshare: "ready" });
  logger.info({ ms: Date.now() - t0 }, "started");
  const lines = [`\n  labshare is running at ${server.url}\n`];
  for (const l of logins) {
    const about = [l.organization, l.note].filter(Boolean).join(", ");
    lines.push(`  ${l.role}:  ${l.email} / ${l.password}  (${about})`);
  }
  if (!config.admin && !config.demo) lines.push("  No bureau admin: set LABSHARE_ADMIN_EMAIL and LABSHARE_ADMIN_PASSWORD.");
  process.stdout.write(lines.join("\n") + "\n\n");
}

main().catch((err: unknown) => {
  if (stopping) return; // the shutdown closed what this start-up step was using; it exits by itself
  if (err instanceof ConfigError || err instanceof BootstrapAdminError) console.error(err.message);
  else if ((err as { code?: string }).code === "EADDRINUSE") {
    console.error(`Port ${(err as { port?: number }).port} is in use: stop the other server or set PORT.`);
  }
  else console.error(err);
  process.exit(1);
});

// `npm run cluster [-- --workers=N]` (or LABSHARE_WORKERS=N; default 2): N server processes
// (server/main.ts, unchanged) on one port through Node's cluster module, sharing one database and
// the Socket.IO Redis adapter. The primary only supervises:
//   - without MONGODB_URI it runs the embedded database itself (one owner) and hands its URI to the
//     workers; without REDIS_URL it starts a local Redis (redis-server, else redis-lite; development
//     only — production gives REDIS_URL);
//   - it starts one worker first and waits until it is healthy (it seeds the demo city or ensures
//     the bureau admin on an empty database), then the others;
//   - it starts a replacement for any worker that dies, backing off if replacements die at once
//     and stopping everything (exit 1) when ten in a row do: that is a configuration error;
//   - it keeps `<LABSHARE_DATA_DIR>/cluster.json` (status.ts: the ready workers) current;
//   - SIGINT/SIGTERM: each worker gets SIGTERM (main.ts's graceful shutdown), then Redis and the
//     database stop.
// Connections are spread by the primary (round robin, one whole TCP connection at a time), so a
// Socket.IO client must connect with the websocket transport (the web client tries it first; see
// docs/scaling.md "Load balancer and sticky sessions").
import cluster, { type Worker } from "node:cluster";
import { rm } from "node:fs/promises";
import path from "node:path";
import { loadConfig, PROJECT_ROOT } from "../../server/config";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../server/db/embedded";
import { createLogger } from "../../server/logger";
import { startRedis, type TestRedis } from "../../test/support/redis";
import { statusFile, writeClusterStatus, type ClusterStatus } from "./status";

const HEALTHY_WITHIN_MS = 120_000;
const STOP_WITHIN_MS = 15_000;
/** A worker that lived shorter than this died "at once": the next replacement waits longer. */
const QUICK_DEATH_MS = 10_000;
const RESPAWN_DELAYS_MS = [0, 500, 2_000, 5_000];
/** Replacements dying at once this many times in a row: a configuration error, not a crash; stop. */
const GIVE_UP_AFTER_QUICK_DEATHS = 10;

function workerCount(): number {
  const arg = process.argv.slice(2).find((a) => a.startsWith("--workers="));
  const n = Number(arg ? arg.slice("--workers=".length) : (process.env.LABSHARE_WORKERS ?? 2));
  if (!Number.isInteger(n) || n < 1) throw new Error("--workers (LABSHARE_WORKERS) must be a positive integer");
  return n;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const workers = workerCount();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const probeHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const healthUrl = `http://${probeHost}:${config.port}/api/health`;

  let stopping = false;
  let embedded: EmbeddedDatabase | undefined;
  let redis: TestRedis | undefined;
  const status: ClusterStatus = { primary: process.pid, port: config.port, workers: {}, started: 0 };
  let writing = Promise.resolve();
  const publish = () => (writing = writing.then(() => writeClusterStatus(config.dataDir, status)).catch((err: unknown) => logger.warn({ err }, "cluster status not written")));

  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "cluster shutting down");
    await Promise.all(Object.values(cluster.workers ?? {}).map((w) => w && stopWorker(w)));
    await redis?.stop();
    await embedded?.stop();
    await writing;
    await rm(statusFile(config.dataDir), { force: true });
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!config.mongodbUri) {
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir, toolsDir: config.toolsDir, log: (msg, level = "info") => logger[level](msg) });
    env.MONGODB_URI = embedded.uri;
    logger.info({ kind: embedded.kind, dataDir: config.dataDir }, "embedded database started for the cluster");
  }
  if (!config.redisUrl) {
    redis = await startRedis();
    env.REDIS_URL = redis.url;
    logger.warn({ server: redis.server, url: redis.url }, "no REDIS_URL: started a local Redis for this cluster (development only)");
  }
  if (stopping) return;

  cluster.setupPrimary({ exec: path.join(PROJECT_ROOT, "server", "main.ts"), execArgv: ["--import", "tsx"], args: [] });
  const bornAt = new Map<number, number>();
  let quickDeaths = 0;
  const fork = () => {
    status.started++;
    const w = cluster.fork(env);
    bornAt.set(w.id, Date.now());
    return w;
  };
  // server/main.ts says when it is ready (admin ensured, search index loaded). It listens before
  // that and answers 503 "starting" meanwhile, so a replacement may answer a few requests with 503.
  cluster.on("message", (w, m: { labshare?: string }) => {
    if (m?.labshare !== "ready") return;
    status.workers[w.id] = w.process.pid!;
    logger.info({ worker: w.id, pid: w.process.pid }, "cluster worker ready");
    void publish();
  });
  cluster.on("exit", (w, code, signal) => {
    delete status.workers[w.id];
    void publish();
    if (stopping) return;
    const lived = Date.now() - (bornAt.get(w.id) ?? 0);
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    if (quickDeaths >= GIVE_UP_AFTER_QUICK_DEATHS) {
      logger.error({ worker: w.id, code, signal }, `${quickDeaths} workers in a row died within ${QUICK_DEATH_MS} ms of starting; stopping the cluster`);
      void shutdown("workers keep dying", 1);
      return;
    }
    const delay = RESPAWN_DELAYS_MS[Math.min(quickDeaths, RESPAWN_DELAYS_MS.length - 1)]!;
    logger.warn({ worker: w.id, pid: w.process.pid, code, signal, livedMs: lived, restartInMs: delay }, "cluster worker died; starting a replacement");
    setTimeout(() => !stopping && fork(), delay);
  });

  // The first worker alone: on an empty database it creates the admin and the demo city, which
  // several workers at once would each try.
  fork();
  await waitHealthy(healthUrl, () => stopping);
  // The others in parallel; each is ready by itself.
  for (let i = 1; i < workers && !stopping; i++) fork();
  logger.info({ workers, port: config.port, url: `http://${probeHost}:${config.port}` }, "cluster started");
  process.stdout.write(`\n  labshare cluster: ${workers} workers at http://${probeHost}:${config.port} (status: ${statusFile(config.dataDir)})\n\n`);
}

/** SIGTERM, and SIGKILL if the graceful shutdown takes too long. */
async function stopWorker(w: Worker): Promise<void> {
  if (w.isDead()) return;
  const exited = new Promise((resolve) => w.once("exit", resolve));
  w.process.kill("SIGTERM");
  const timer = setTimeout(() => w.process.kill("SIGKILL"), STOP_WITHIN_MS);
  await exited;
  clearTimeout(timer);
}

async function waitHealthy(url: string, stopping: () => boolean): Promise<void> {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  while (Date.now() < deadline && !stopping()) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  if (!stopping()) throw new Error(`the first worker was not healthy at ${url} within ${HEALTHY_WITHIN_MS} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

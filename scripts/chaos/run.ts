// `npm run chaos [-- --seconds=60 --clients=50 --seed=1 --fault-every=6]`: a randomized mixed
// workload against the real server (a child process on its own embedded database) while faults
// are injected in turn: the server SIGKILLed and started again, the database SIGKILLed (its
// launcher restarts it), the database frozen for 3 s, every socket dropped. Afterwards every
// invariant holds (checker.ts), nothing a 2xx accepted is lost, every 5xx was a fast 503, no request
// hung, and a socket gets a booking's availability:changed again. Exit 1 when any of that fails.
// `--cluster=N` runs the same against `npm run cluster` with N workers and a Redis: the server fault
// is then `kill-worker` (one worker SIGKILLed at a time; the primary starts a replacement).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { freeLoopbackPort } from "../../server/db/embedded-process";
import { startRedis, type TestRedis } from "../../test/support/redis";
import { ClusterProcess } from "../cluster/process";
import { apiClient, firstBookableSlot, hourSlot, setUpMarketAs, type Market } from "../bench/support";
import { DatabaseProcess, ServerProcess, sleep } from "./processes";
import { verifyAfterChaos, type Verification } from "./verify";
import { newRecord, runWorkload, seeded, type WorkloadRecord } from "./workload";

export interface ChaosOptions {
  seconds: number;
  clients: number;
  seed: number;
  /** Mean time between faults. */
  faultEveryMs: number;
  /** Workers of `npm run cluster` to run against; 0 or absent: the single server process. */
  cluster?: number;
  log?: (line: string) => void;
}

const FAULTS = ["kill-server", "kill-database", "freeze-database", "drop-sockets"] as const;
type Fault = (typeof FAULTS)[number] | "kill-worker";
/** A 5xx slower than this counts as a hang, not a fast failure. */
export const FAST_FAILURE_MS = 5_000;
const SOCKETS = 20;

export interface ChaosResult {
  record: WorkloadRecord;
  faults: { fault: Fault; ms: number }[];
  verification: Verification;
  realtimeAfter: boolean;
  /** What failed; empty when the run passed. */
  failures: string[];
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => {});
  const rnd = seeded(o.seed);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "labshare-chaos-"));
  const port = await freeLoopbackPort();
  const admin = { email: `chaos-${randomBytes(3).toString("hex")}@bureau.test`, password: "chaos-admin-pass" };
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: "127.0.0.1", LABSHARE_DATA_DIR: dataDir, LABSHARE_DEMO: "0", MONGODB_URI: undefined,
    LABSHARE_ADMIN_EMAIL: admin.email, LABSHARE_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn", LOGIN_ATTEMPTS_PER_15_MIN: "10000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000",
  };
  const url = `http://127.0.0.1:${port}`;
  const redis: TestRedis | undefined = o.cluster ? await startRedis() : undefined;
  if (redis) env.REDIS_URL = redis.url;
  const server = o.cluster ? new ClusterProcess(url, o.cluster, env, process.env.CHAOS_SERVER_LOG) : new ServerProcess(url, env, process.env.CHAOS_SERVER_LOG);
  const database = new DatabaseProcess(dataDir);
  const sockets: Socket[] = [];
  try {
    log(`server started in ${await server.start()} ms on ${url}`);
    const market = await setUpMarketAs(apiClient(url), admin, { enterprises: o.clients, instruments: 10 });
    for (let i = 0; i < SOCKETS; i++) {
      const s = io(url, { transports: ["websocket"], auth: { token: market.enterprises[i % market.enterprises.length]!.token } });
      s.on("connect", () => s.emit("subscribe", { instrumentId: market.instruments[i % market.instruments.length]!.id }));
      sockets.push(s);
    }

    const record = newRecord();
    let running = true;
    const workload = runWorkload(url, market, record, rnd, () => running);
    const faults: ChaosResult["faults"] = [];
    const deadline = Date.now() + o.seconds * 1000;
    for (let k = 0; Date.now() < deadline; k++) {
      await sleep(o.faultEveryMs * (0.5 + rnd()));
      const planned = FAULTS[k % FAULTS.length]!;
      const fault: Fault = planned === "kill-server" && server instanceof ClusterProcess ? "kill-worker" : planned;
      const t0 = Date.now();
      if (server instanceof ClusterProcess && fault === "kill-worker") await server.killWorker();
      else if (fault === "kill-server") {
        await server.kill();
        await server.start();
      } else if (fault === "kill-database") await database.kill();
      else if (fault === "freeze-database") await database.freeze(3_000);
      else for (const s of sockets) s.disconnect().connect();
      faults.push({ fault, ms: Date.now() - t0 });
      log(`${fault} (${Date.now() - t0} ms); ${record.operations} operations so far, ${record.accepted.size} bookings accepted`);
    }
    running = false;
    await workload;
    const realtimeAfter = await realtimeWorks(url, market);
    await server.stop();
    for (const s of sockets) s.disconnect();
    const verification = await verifyAfterChaos(env, record.accepted.values());
    return { record, faults, verification, realtimeAfter, failures: judge(record, verification, realtimeAfter) };
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserver output:\n${server.tail.join("\n")}`);
  } finally {
    for (const s of sockets) s.disconnect();
    await server.kill();
    await redis?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function judge(record: WorkloadRecord, v: Verification, realtimeAfter: boolean): string[] {
  const failures = [...v.violations.map((x) => `invariant ${x.invariant}: ${x.subject}: ${x.detail}`), ...v.lost];
  if (record.hung > 0) failures.push(`${record.hung} request(s) got no answer within 10 s`);
  const slow = record.serverErrors.filter((e) => e.ms > FAST_FAILURE_MS);
  if (slow.length > 0) failures.push(`${slow.length} 5xx answer(s) took over ${FAST_FAILURE_MS} ms (slowest ${Math.max(...slow.map((e) => e.ms)).toFixed(0)} ms)`);
  const not503 = record.serverErrors.filter((e) => e.status !== 503);
  if (not503.length > 0) failures.push(`${not503.length} 5xx answer(s) other than 503: ${JSON.stringify(not503.slice(0, 3))}`);
  if (record.accepted.size === 0) failures.push("no booking was accepted: the workload did not run");
  if (!realtimeAfter) failures.push("after the faults, a booking's availability:changed did not reach a subscribed socket within 5 s");
  return failures;
}

/** A fresh socket subscribed to an instrument sees a new booking there within 5 s. */
async function realtimeWorks(url: string, market: Market): Promise<boolean> {
  const instrumentId = market.instruments[0]!.id;
  const s = io(url, { transports: ["websocket"], auth: { token: market.enterprises[0]!.token } });
  try {
    await new Promise<void>((resolve, reject) => {
      s.on("connect", () => s.emit("subscribe", { instrumentId }, () => resolve()));
      setTimeout(() => reject(new Error("socket did not connect")), 5_000);
    });
    const changed = new Promise<boolean>((resolve) => {
      s.on("availability:changed", () => resolve(true));
      setTimeout(() => resolve(false), 5_000);
    });
    // An hour far from the workload's 20 days, so it is free.
    const res = await apiClient(url)("POST", "/api/bookings", { instrumentId, ...hourSlot(firstBookableSlot(), 24 * 40) }, market.enterprises[0]!.token);
    return res.status === 201 && (await changed);
  } catch {
    return false;
  } finally {
    s.disconnect();
  }
}

function arg(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
}

async function main(): Promise<number> {
  const o: ChaosOptions = { seconds: arg("seconds", 60), clients: arg("clients", 50), seed: arg("seed", Date.now() % 100_000), faultEveryMs: arg("fault-every", 6) * 1000, cluster: arg("cluster", 0), log: (l) => console.log(`  ${l}`) };
  console.log(`chaos: ${o.seconds} s, ${o.clients} clients, a fault every ~${o.faultEveryMs / 1000} s, seed ${o.seed}${o.cluster ? `, against a cluster of ${o.cluster} workers` : ""}`);
  const r = await runChaos(o);
  const rec = r.record;
  console.log(`\n${rec.operations} operations, answers ${JSON.stringify(rec.statuses)}, ${rec.unanswered} refused while the server was down, ${rec.hung} hung`);
  console.log(`faults: ${r.faults.map((f) => `${f.fault} ${f.ms} ms`).join(", ")}`);
  const e = rec.serverErrors;
  if (e.length > 0) console.log(`5xx: ${e.length}, slowest ${Math.max(...e.map((x) => x.ms)).toFixed(0)} ms`);
  console.log(`checked ${r.verification.checkedBookings} accepted bookings; realtime after the faults: ${r.realtimeAfter ? "yes" : "NO"}`);
  for (const f of r.failures) console.log(`FAILED: ${f}`);
  console.log(r.failures.length === 0 ? "chaos run passed" : "chaos run FAILED");
  return r.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}

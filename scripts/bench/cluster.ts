// `npm run cluster` with 1 worker, then with 2, each on a fresh embedded database (run by the
// cluster's primary) and a local Redis: autocannon (http-load.ts, a child process) at CONNECTIONS
// connections on GET /api/categories (no database), GET availability (7 days) and POST /api/bookings
// (a distinct slot per request). For each: req/s, p50/p99, and the CPU time per request of the
// workers, the primary and the database (from /proc), so the single-process ceiling
// (1,000 ms of CPU ÷ worker CPU per request) can be read off, and 2 workers ÷ 1.
// On a shared machine the load of others moves req/s a lot between minutes: --workers=1,2,1,2
// alternates the clusters and reports the mean per worker count.
// With MONGODB_URI / REDIS_URL set the clusters use them (the database's CPU is then not measured).
// Run: npx tsx scripts/bench/cluster.ts [--seconds=8] [--connections=50] [--workers=1,2,1,2]
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freeLoopbackPort } from "../../server/db/embedded-process";
import { ClusterProcess } from "../cluster/process";
import { DatabaseProcess } from "../chaos/processes";
import type { ChildMessage, ParentMessage, Phase, PhaseResult } from "./http-load";
import {
  apiClient, bookSlot, cpuMsOf, expectStatus, firstBookableSlot, machine, ms, numberArg, ratio, runBench, setUpMarketAs, withTimeout,
} from "./support";

const SECONDS = numberArg("seconds", 8);
const CONNECTIONS = numberArg("connections", 50);
const WORKER_COUNTS = (process.argv.slice(2).find((a) => a.startsWith("--workers="))?.slice("--workers=".length) ?? "1,2,1,2").split(",").map(Number);
const ENTERPRISES = 20;
const INSTRUMENTS = 20;

interface Measured {
  result: PhaseResult;
  /** CPU ms per request: all workers, the primary, the database. */
  cpu: { workers: number; primary: number; db: number };
}

async function measureCluster(workers: number, run: (p: Phase) => Promise<PhaseResult>): Promise<Record<string, Measured>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "labshare-bench-cluster-"));
  const port = await freeLoopbackPort();
  const admin = { email: `bench-${randomBytes(3).toString("hex")}@bureau.test`, password: "bench-admin-pass" };
  const url = `http://127.0.0.1:${port}`;
  const cluster = new ClusterProcess(url, workers, {
    ...process.env, PORT: String(port), HOST: "127.0.0.1", LABSHARE_DATA_DIR: dataDir, LABSHARE_DEMO: "0",
    // With MONGODB_URI (a real MongoDB) each cluster gets a database of its own there; else the primary runs an embedded one.
    MONGODB_DB: process.env.MONGODB_URI ? `labshare_bench_cluster_${randomBytes(4).toString("hex")}` : undefined,
    LABSHARE_ADMIN_EMAIL: admin.email, LABSHARE_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "error",
    LOGIN_ATTEMPTS_PER_15_MIN: "10000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000",
  });
  try {
    await cluster.start();
    const call = apiClient(url);
    const market = await setUpMarketAs(call, admin, { enterprises: ENTERPRISES, instruments: INSTRUMENTS + 1 });
    const first = firstBookableSlot();
    const read = market.instruments[INSTRUMENTS]!.id;
    for (let i = 0; i < 24; i++) expectStatus("booking", await bookSlot(call, read, first, i * 7, market.enterprises[0]!.token), 201);
    const week = `from=${encodeURIComponent(first.toISO()!)}&to=${encodeURIComponent(first.plus({ days: 7 }).toISO()!)}`;
    const phases: Record<string, Partial<Phase>> = {
      "GET /api/categories": { path: "/api/categories" },
      "GET availability (7 days)": { path: `/api/instruments/${read}/availability?${week}` },
      "POST /api/bookings": {
        path: "/api/bookings", method: "POST",
        booking: { tokens: market.enterprises.map((e) => e.token), instruments: market.instruments.slice(0, INSTRUMENTS).map((i) => i.id), first: first.toISO()! },
      },
    };
    const status = (await cluster.status())!;
    const pids = Object.values(status.workers);
    const dbPid = (await new DatabaseProcess(dataDir).pid()) ?? undefined;
    const cpuNow = async () => ({
      workers: (await Promise.all(pids.map(cpuMsOf))).reduce<number>((s, x) => s + (x ?? 0), 0),
      primary: (await cpuMsOf(status.primary)) ?? 0,
      db: (await cpuMsOf(dbPid)) ?? 0,
    });
    const out: Record<string, Measured> = {};
    for (const [name, p] of Object.entries(phases)) {
      const phase: Phase = { url, path: "/", method: "GET", connections: CONNECTIONS, seconds: SECONDS, ...p };
      if (!p.booking) await run({ ...phase, seconds: 1, connections: 10 }); // warm-up
      const c0 = await cpuNow();
      const result = await run(phase);
      const c1 = await cpuNow();
      const per = (k: keyof typeof c0) => (c1[k] - c0[k]) / Math.max(1, result.requests);
      out[name] = { result, cpu: { workers: per("workers"), primary: per("primary"), db: per("db") } };
      console.log(`  ${workers} worker(s), ${name}: ${result.rps.toFixed(1)} req/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ` +
        `CPU per request: workers ${out[name].cpu.workers.toFixed(2)} ms, primary ${out[name].cpu.primary.toFixed(2)} ms, database ${out[name].cpu.db.toFixed(2)} ms ` +
        `(${JSON.stringify(result.statuses)}; ${machine()})`);
    }
    return out;
  } finally {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runBench(async () => {
  console.log(`cluster benchmark: ${WORKER_COUNTS.join(" vs ")} workers, ${CONNECTIONS} connections, ${SECONDS} s per phase, ${machine()}`);
  const child = fork(fileURLToPath(new URL("./http-load.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"] });
  const run = (phase: Phase) =>
    withTimeout(`autocannon ${phase.path}`, new Promise<PhaseResult>((resolve, reject) => {
      child.once("message", (m: ChildMessage) => (m.type === "result" ? resolve(m.result) : reject(new Error(m.message))));
      child.send({ type: "run", phase } satisfies ParentMessage);
    }), (phase.seconds + 60) * 1000);
  try {
    const byCount = new Map<number, Record<string, Measured>[]>();
    for (const n of WORKER_COUNTS) byCount.set(n, [...(byCount.get(n) ?? []), await measureCluster(n, run)]);
    const mean = (n: number, name: string, f: (m: Measured) => number) => {
      const runs = byCount.get(n)!.map((r) => f(r[name]!));
      return runs.reduce((s, x) => s + x, 0) / runs.length;
    };
    console.log("\nmeans per worker count:");
    const counts = [...byCount.keys()].sort((a, b) => a - b);
    const one = counts[0]!;
    for (const name of Object.keys(byCount.get(one)![0]!)) {
      const cells = counts.map((n) => {
        const rps = mean(n, name, (m) => m.result.rps);
        const cpu = mean(n, name, (m) => m.cpu.workers);
        const vsOne = n === one ? "" : `, ${ratio(rps / mean(one, name, (m) => m.result.rps))} of ${one}`;
        return `${n} worker(s) ${rps.toFixed(1)} req/s (p50 ${ms(mean(n, name, (m) => m.result.p50))}, workers' CPU ${cpu.toFixed(2)} ms/request → one core's ceiling ≈ ${(1000 / cpu).toFixed(0)} req/s${vsOne})`;
      });
      console.log(`${name.padEnd(26)} ${cells.join("; ")}`);
    }
    console.log(`(${machine()} at the end)`);
  } finally {
    child.send({ type: "close" } satisfies ParentMessage);
  }
});

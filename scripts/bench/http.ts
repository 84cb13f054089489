// The HTTP API under autocannon (in a child process, http-load.ts) at 50 and 200 connections:
// requests/s and p50/p99 of catalog search, availability (7 days), booking creation and the
// statistics overview, each as a ratio to a plain JSON endpoint of the same server in the same run.
// The plain endpoint is `GET /api/categories` (a constant list through the whole route stack:
// helmet, session lookup skipped for public routes, validation, response check; no database), the
// framework's ceiling; `GET /api/health` (one database ping) is measured beside it. Each baseline is
// measured before and after the endpoints of its connection level and averaged. Beside req/s, the
// CPU time per request of the server (this process) and of the database: on a shared machine req/s
// moves with the others' load, CPU per request much less, and 1,000 ms ÷ the server's CPU per
// request is what one server process can do at most on one core.
// Booking creation: every request asks for another (instrument, hour) and comes from the next of
// ENTERPRISES enterprises (http-load.ts), so every 201 is a real new booking, none a conflict.
// Run: npx tsx scripts/bench/http.ts [--seconds=8] [--connections=50,200]
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage, Phase, PhaseResult } from "./http-load";
import {
  bookSlot, cpuMsOf, expectStatus, firstBookableSlot, machine, ms, numberArg, ratio, runBench, setUpMarket, withBenchServer, withTimeout,
} from "./support";

const SECONDS = numberArg("seconds", 8);
const LEVELS = (process.argv.slice(2).find((a) => a.startsWith("--connections="))?.slice("--connections=".length) ?? "50,200").split(",").map(Number);
const ENTERPRISES = 20;
const BOOKING_INSTRUMENTS = 20;
/** Catalog size for the search (the bench market's instruments, all matching the query's word). */
const CATALOG = 60;

function loadChild(): { child: ChildProcess; run(phase: Phase): Promise<PhaseResult> } {
  const child = fork(fileURLToPath(new URL("./http-load.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"] });
  const run = (phase: Phase) =>
    withTimeout(`autocannon ${phase.method} ${phase.path}`, new Promise<PhaseResult>((resolve, reject) => {
      child.once("message", (m: ChildMessage) => (m.type === "result" ? resolve(m.result) : reject(new Error(m.message))));
      child.send({ type: "run", phase } satisfies ParentMessage);
    }), (phase.seconds + 60) * 1000);
  return { child, run };
}

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`HTTP benchmark (autocannon): embedded ${env.dbKind}, ${SECONDS} s per phase, ${machine()}`);
    const market = await setUpMarket(env, { enterprises: ENTERPRISES, instruments: CATALOG });
    const bookable = market.instruments.slice(0, BOOKING_INSTRUMENTS).map((i) => i.id);
    const read = market.instruments[CATALOG - 1]!.id;
    const first = firstBookableSlot();
    // The availability instrument has a booked week (one slot in seven), as in availability.ts.
    for (let i = 0; i < 24; i++) expectStatus("booking", await bookSlot(env.call, read, first, i * 7, market.enterprises[0]!.token), 201);
    const bureau = { email: `bench-stats-${randomBytes(3).toString("hex")}@bureau.test`, password: "bench-admin-pass" };
    await env.server.services.accounts.ensureBureauAdmin(bureau.email, bureau.password);
    const login = await env.call<{ token: string }>("POST", "/api/auth/login", bureau);
    expectStatus("bureau login", login, 200);

    const week = `from=${encodeURIComponent(first.toISO()!)}&to=${encodeURIComponent(first.plus({ days: 7 }).toISO()!)}`;
    const endpoints: { name: string; path: string; method: "GET" | "POST"; token?: string; booking?: Phase["booking"] }[] = [
      { name: "catalog search", path: `/api/instruments?q=${encodeURIComponent("电镜")}&page=1&pageSize=20`, method: "GET" },
      { name: "availability (7 days)", path: `/api/instruments/${read}/availability?${week}`, method: "GET" },
      { name: "stats overview", path: "/api/stats/overview", method: "GET", token: login.body.token },
      {
        name: "booking creation", path: "/api/bookings", method: "POST",
        booking: { tokens: market.enterprises.map((e) => e.token), instruments: bookable, first: first.toISO()! },
      },
    ];
    for (const e of endpoints.filter((x) => x.method === "GET")) {
      expectStatus(e.name, await env.call("GET", e.path, undefined, e.token), 200);
    }

    const load = loadChild();
    const rows: string[] = [];
    interface Timed extends PhaseResult {
      serverCpuMs: number;
      dbCpuMs?: number;
    }
    const timed = async (phase: Phase): Promise<Timed> => {
      const [cpu0, db0] = [process.cpuUsage(), await cpuMsOf(env.dbPid())];
      const r = await load.run(phase);
      const cpu = process.cpuUsage(cpu0);
      const db1 = await cpuMsOf(env.dbPid());
      const n = Math.max(1, r.requests);
      return { ...r, serverCpuMs: (cpu.user + cpu.system) / 1000 / n, dbCpuMs: db0 !== undefined && db1 !== undefined ? (db1 - db0) / n : undefined };
    };
    const line = (name: string, c: number, r: Timed, base?: number) => {
      const other = Object.entries(r.statuses).filter(([s]) => !s.startsWith("2")).map(([s, n]) => `${s}×${n}`);
      const text = `${name.padEnd(24)} ${String(c).padStart(4)}  ${r.rps.toFixed(1).padStart(8)} req/s  p50 ${ms(r.p50).padStart(9)}  p99 ${ms(r.p99).padStart(10)}` +
        `${base ? `  ${ratio(r.rps / base).padStart(6)} of baseline` : ""}` +
        `  CPU/request: server ${r.serverCpuMs.toFixed(2)} ms (≤ ${(1000 / r.serverCpuMs).toFixed(0)}/s per core)${r.dbCpuMs !== undefined ? `, database ${r.dbCpuMs.toFixed(2)} ms` : ""}` +
        `  (n=${r.requests}${other.length ? `, ${other.join(" ")}` : ""}${r.errors ? `, ${r.errors} errors` : ""})`;
      rows.push(text);
      console.log(text);
    };
    try {
      const phase = (path: string, connections: number, extra: Partial<Phase> = {}): Phase =>
        ({ url: env.server.url, path, method: "GET", connections, seconds: SECONDS, ...extra });
      // Warm-up: JIT, the search index, the first availability read.
      for (const e of endpoints.filter((x) => x.method === "GET")) await load.run(phase(e.path, 10, { seconds: 1, token: e.token }));
      await load.run(phase("/api/categories", 10, { seconds: 1 }));
      for (const c of LEVELS) {
        console.log(`\n${c} connections (${machine()}):`);
        const before = await timed(phase("/api/categories", c));
        line("GET /api/categories", c, before);
        const health = await timed(phase("/api/health", c));
        const measured: [string, Timed][] = [];
        for (const e of endpoints) {
          measured.push([e.name, await timed(phase(e.path, c, { method: e.method, token: e.token, booking: e.booking }))]);
          console.log(`  ${e.name} done`);
        }
        const after = await timed(phase("/api/categories", c));
        line("GET /api/categories", c, after);
        const base = (before.rps + after.rps) / 2;
        console.log(`baseline (mean of the two): ${base.toFixed(1)} req/s`);
        line("GET /api/health", c, health, base);
        for (const [name, r] of measured) line(name, c, r, base);
      }
    } finally {
      load.child.send({ type: "close" } satisfies ParentMessage);
    }
    console.log(`\n(${machine()} at the end)`);
  }),
);

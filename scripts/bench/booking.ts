// Booking under load on the embedded database (the "done when"): a fresh FerretDB (or
// mongod) in a temp dir, the real server on a loopback port, an approved provider with instruments
// open around the clock and approved enterprises, all made through the API. Reports
//   1. booking throughput: bookings/s with CLIENTS parallel clients on distinct slots;
//   2. contention: CLIENTS parallel requests for one slot → exactly one 201, the rest 409;
//   3. live updates: from a booking's HTTP 201 to `availability:changed` at SOCKETS subscribed sockets;
//   4. GET /api/instruments/:id/availability throughput as a ratio to GET /api/health.
// The sockets run in this process, next to the server, so the latencies include their own parsing.
// Every loop is bounded in count and time. Run: npx tsx scripts/bench/booking.ts
import { randomBytes, randomInt } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { io as connect, type Socket } from "socket.io-client";
import { creditCodeCheckChar } from "../../shared/credit-code";
import type { AvailabilityChanged, ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import type { Availability, Booking, BookingCreateBody } from "../../shared/schemas/scheduling";
import { loadConfig } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase } from "../../server/db/embedded";
import { createLogger } from "../../server/logger";
import { startServer } from "../../server/server";

const CLIENTS = 20;
const BOOKINGS_PER_CLIENT = 15;
const INSTRUMENTS = 10;
const SOCKETS = 500;
const LIVE_BOOKINGS = 30;
const READ_CLIENTS = 10;
const READS_PER_CLIENT = 100;
/** Upper bound for any one phase; a phase that takes longer is reported as failed, not waited for. */
const PHASE_TIMEOUT_MS = 120_000;
const EVENT_TIMEOUT_MS = 5_000;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Answer<T = unknown> {
  status: number;
  body: T;
}

function client(baseUrl: string) {
  return async function call<T = unknown>(method: string, url: string, body?: unknown, token?: string): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

function expectStatus(what: string, res: Answer, status: number): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

function withTimeout<T>(what: string, promise: Promise<T>, ms = PHASE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function creditCode(): string {
  let body = "91371500";
  for (let i = 0; i < 9; i++) body += CREDIT_ALPHABET[randomInt(CREDIT_ALPHABET.length)];
  return body + creditCodeCheckChar(body);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: "silent", LOGIN_ATTEMPTS_PER_15_MIN: "10000" });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-bench-"));
  const db = await startEmbeddedDatabase({ dataDir: dir, toolsDir: config.toolsDir, log: () => {} });
  const conn = await connectDatabase(db.uri, "bench");
  const sockets: ClientSocket[] = [];
  try {
    const server = await startServer({ config, conn, logger: createLogger("silent") }, 0, "127.0.0.1");
    try {
      const call = client(server.url);
      const probe = await call("POST", "/api/bookings", {});
      if (probe.status === 404) throw new Error("POST /api/bookings does not exist yet (server/modules/scheduling is not wired into app.ts)");

      // ── setup through the API ────────────────────────────────────────────────────────────────
      const admin = { email: `bench-${randomBytes(3).toString("hex")}@bureau.test`, password: "bench-admin-pass" };
      await server.services.accounts.ensureBureauAdmin(admin.email, admin.password);
      const bureauLogin = await call<{ token: string }>("POST", "/api/auth/login", admin);
      expectStatus("bureau login", bureauLogin, 200);
      const bureau = bureauLogin.body.token;

      const register = async (prefix: string) => {
        const res = await call<{ token: string }>("POST", "/api/auth/register", {
          email: `${prefix}-${randomBytes(5).toString("hex")}@bench.test`,
          password: "correct horse battery",
          name: "压测用户",
        });
        expectStatus("register", res, 201);
        return res.body.token;
      };
      const organization = async (type: "enterprise" | "provider", i: number) => {
        const token = await register(type);
        const body =
          type === "enterprise"
            ? { name: `压测轴承有限公司 ${i} ${randomBytes(2).toString("hex")}`, creditCode: creditCode(), county: "linqing", industry: "bearings", size: "small" }
            : { name: `压测检测中心 ${i} ${randomBytes(2).toString("hex")}`, kind: "municipal_lab", county: "dongchangfu" };
        const created = await call<{ id: string }>("POST", `/api/${type}s`, body, token);
        expectStatus(`register ${type}`, created, 201);
        expectStatus(`approve ${type}`, await call("POST", `/api/${type}s/${created.body.id}/review`, { decision: "approve" }, bureau), 200);
        return { token, orgId: created.body.id };
      };

      const provider = await organization("provider", 0);
      const enterprises = await withTimeout("creating enterprises", Promise.all(Array.from({ length: CLIENTS }, (_, i) => organization("enterprise", i))));
      const publish = async (i: number) => {
        const res = await call<{ id: string }>(
          "POST",
          "/api/instruments",
          {
            name: `压测扫描电镜 ${i}`,
            category: "analytical",
            priceFen: 50000,
            priceUnit: "hour",
            timezone: "UTC",
            slotMinutes: 60,
            openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
            originalValueFen: 300_000_000,
          },
          provider.token,
        );
        expectStatus("publish instrument", res, 201);
        return res.body.id;
      };
      const instruments = await Promise.all(Array.from({ length: INSTRUMENTS + 2 }, (_, i) => publish(i)));
      const contended = instruments[INSTRUMENTS]!;
      const live = instruments[INSTRUMENTS + 1]!;

      // Slots from the day after tomorrow on: past the default minimum notice, well inside the 90-day window.
      const firstSlot = DateTime.utc().plus({ days: 2 }).startOf("day");
      const slot = (hour: number): BookingCreateBody => {
        const start = firstSlot.plus({ hours: hour });
        return { start: start.toISO()!, end: start.plus({ hours: 1 }).toISO()! };
      };
      const book = (instrumentId: string, hour: number, token: string) =>
        call<Booking>("POST", "/api/bookings", { instrumentId, ...slot(hour) }, token);

      console.log(`booking benchmark: embedded ${db.kind}, Node ${process.version}, ${os.cpus().length} CPUs`);
      console.log("");

      // ── 1. throughput on distinct slots ─────────────────────────────────────────────────────
      // Client c books BOOKINGS_PER_CLIENT one-hour slots in a row on instrument c % INSTRUMENTS; no two requests share a slot.
      const statuses = new Map<number, number>();
      const t0 = performance.now();
      await withTimeout(
        "throughput phase",
        Promise.all(
          enterprises.map(async (e, c) => {
            for (let j = 0; j < BOOKINGS_PER_CLIENT; j++) {
              const hour = Math.floor(c / INSTRUMENTS) * BOOKINGS_PER_CLIENT + j;
              const res = await book(instruments[c % INSTRUMENTS]!, hour, e.token);
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              if (res.status !== 201 && (statuses.get(res.status) ?? 0) === 1) console.log(`  first ${res.status}: ${JSON.stringify(res.body)}`);
            }
          }),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      const created = statuses.get(201) ?? 0;
      console.log(`1. throughput: ${CLIENTS} parallel clients × ${BOOKINGS_PER_CLIENT} bookings on distinct slots of ${INSTRUMENTS} instruments`);
      console.log(`   ${created} created in ${seconds.toFixed(2)} s → ${(created / seconds).toFixed(1)} bookings/s; answers ${JSON.stringify(Object.fromEntries(statuses))}`);

      // ── 2. contention on one slot ────────────────────────────────────────────────────────────
      const race = await withTimeout("contention phase", Promise.all(enterprises.map((e) => book(contended, 10, e.token))));
      const raceStatuses = race.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
      const winners = race.filter((r) => r.status === 201).length;
      const codes = [...new Set(race.filter((r) => r.status !== 201).map((r) => (r.body as { error?: { code?: string } }).error?.code))];
      console.log(`2. contention: ${CLIENTS} parallel requests for one slot → ${winners} success of ${CLIENTS} (${winners === 1 ? "correct" : "WRONG"}); answers ${JSON.stringify(raceStatuses)}, codes ${codes.join(", ")}`);

      // ── 3. 201 → availability:changed at SOCKETS subscribed sockets ──────────────────────────
      const watcherTokens = await Promise.all(Array.from({ length: 10 }, () => register("watcher")));
      const arrivals = new Map<number, number[]>(); // slot start (ms) → arrival times
      await withTimeout(
        "connecting sockets",
        Promise.all(
          Array.from({ length: SOCKETS }, async (_, i) => {
            const s: ClientSocket = connect(server.url, { transports: ["websocket"], reconnection: false, forceNew: true, auth: { token: watcherTokens[i % watcherTokens.length] } });
            sockets.push(s);
            await new Promise<void>((resolve, reject) => {
              s.once("connect", () => resolve());
              s.once("connect_error", reject);
            });
            const ack = await s.timeout(10_000).emitWithAck("subscribe", { instrumentId: live });
            if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
            s.on("availability:changed", (p: AvailabilityChanged) => {
              const at = performance.now();
              for (const c of p.changes) arrivals.get(Date.parse(c.start))?.push(at);
            });
          }),
        ),
      );
      const afterResponse: number[] = [];
      const afterRequest: number[] = [];
      const lastSocket: number[] = [];
      let missing = 0;
      for (let i = 0; i < LIVE_BOOKINGS; i++) {
        const start = firstSlot.plus({ hours: i }).toMillis();
        const seen: number[] = [];
        arrivals.set(start, seen);
        const sent = performance.now();
        const res = await book(live, i, enterprises[i % CLIENTS]!.token);
        const answered = performance.now();
        expectStatus("live booking", res, 201);
        const until = Date.now() + EVENT_TIMEOUT_MS;
        while (seen.length < SOCKETS && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
        missing += SOCKETS - seen.length;
        for (const at of seen) {
          afterResponse.push(at - answered);
          afterRequest.push(at - sent);
        }
        if (seen.length > 0) lastSocket.push(Math.max(...seen) - answered);
        arrivals.delete(start);
      }
      afterResponse.sort((a, b) => a - b);
      afterRequest.sort((a, b) => a - b);
      lastSocket.sort((a, b) => a - b);
      console.log(`3. live updates: ${LIVE_BOOKINGS} bookings, ${SOCKETS} sockets subscribed to the instrument, ${afterResponse.length} deliveries, ${missing} missing`);
      console.log(`   201 → availability:changed, per delivery: p50 ${ms(percentile(afterResponse, 0.5))}, p99 ${ms(percentile(afterResponse, 0.99))} (negative: the event beat the 201)`);
      console.log(`   201 → last of ${SOCKETS} sockets:          p50 ${ms(percentile(lastSocket, 0.5))}, p99 ${ms(percentile(lastSocket, 0.99))}`);
      console.log(`   request sent → event, per delivery:   p50 ${ms(percentile(afterRequest, 0.5))}, p99 ${ms(percentile(afterRequest, 0.99))}`);
      sockets.splice(0).forEach((s) => s.disconnect());

      // ── 4. availability reads against a plain JSON endpoint ──────────────────────────────────
      const week = `from=${encodeURIComponent(firstSlot.toISO()!)}&to=${encodeURIComponent(firstSlot.plus({ days: 7 }).toISO()!)}`;
      const check = await call<Availability>("GET", `/api/instruments/${instruments[0]}/availability?${week}`);
      expectStatus("availability", check, 200);
      const rate = async (what: string, url: string) => {
        for (let i = 0; i < 20; i++) await call("GET", url); // warm-up
        const started = performance.now();
        await withTimeout(
          what,
          Promise.all(
            Array.from({ length: READ_CLIENTS }, async () => {
              for (let i = 0; i < READS_PER_CLIENT; i++) expectStatus(what, await call("GET", url), 200);
            }),
          ),
        );
        return (READ_CLIENTS * READS_PER_CLIENT) / ((performance.now() - started) / 1000);
      };
      const health = await rate("GET /api/health", "/api/health");
      const availability = await rate("GET availability", `/api/instruments/${instruments[0]}/availability?${week}`);
      console.log(`4. reads with ${READ_CLIENTS} parallel clients × ${READS_PER_CLIENT}: GET /api/health ${health.toFixed(0)} req/s, GET /api/instruments/:id/availability (7 days, ${check.body.slots.length} slots) ${availability.toFixed(0)} req/s`);
      console.log(`   availability / health: ${(availability / health).toFixed(2)}×`);
    } finally {
      sockets.forEach((s) => s.disconnect());
      await server.close();
    }
  } finally {
    await conn.close();
    await db.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

// Shared by the benchmarks in scripts/bench/: a fresh embedded database and the real server on a
// loopback port, an API client, a market set up through the API (approved provider with instruments
// open around the clock, approved enterprises), a fixed-pool HTTP load generator and the statistics
// every bench prints. Nothing here mocks the product: it is driven over HTTP like a browser would.
import { randomBytes, randomInt } from "node:crypto";
import { promises as fs } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Connection } from "mongoose";
import { DateTime } from "luxon";
import { creditCodeCheckChar } from "../../shared/credit-code";
import type { Booking, BookingCreateBody } from "../../shared/schemas/scheduling";
import { loadConfig, type Config } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase } from "../../server/db/embedded";
import { createLogger } from "../../server/logger";
import { startServer, type RunningServer } from "../../server/server";

/** Upper bound for any one phase; a phase that takes longer is reported as failed, not waited for. */
export const PHASE_TIMEOUT_MS = 180_000;

export interface Answer<T = unknown> {
  status: number;
  body: T;
}
export type Call = <T = unknown>(method: string, url: string, body?: unknown, token?: string, headers?: Record<string, string>) => Promise<Answer<T>>;

export function apiClient(baseUrl: string): Call {
  return async function call<T = unknown>(method: string, url: string, body?: unknown, token?: string, extra: Record<string, string> = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

export function expectStatus(what: string, res: Answer, status: number): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

export function withTimeout<T>(what: string, promise: Promise<T>, ms = PHASE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
export function creditCode(): string {
  let body = "91371500";
  for (let i = 0; i < 9; i++) body += CREDIT_ALPHABET[randomInt(CREDIT_ALPHABET.length)];
  return body + creditCodeCheckChar(body);
}

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
}
export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;
export const ratio = (x: number) => `${x.toFixed(2)}×`;
export const verdict = (met: boolean) => (met ? "met" : "NOT MET");

/** CPUs, load average and Node version: the machine is shared, so every bench says how busy it was. */
/** CPU time (user + system) another process has used so far, from /proc; undefined where there is none. */
export async function cpuMsOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th (clock ticks of 10 ms).
    const fields = (await fs.readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export function machine(): string {
  const [one, five] = os.loadavg();
  return `${os.cpus().length} CPUs, load ${one!.toFixed(1)} (5 min ${five!.toFixed(1)}), Node ${process.version}`;
}

/** `--name=value` from the command line, as a number. */
export function numberArg(name: string, fallback: number): number {
  const raw = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  const value = raw === undefined ? fallback : Number(raw.slice(name.length + 3));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

export interface BenchEnv {
  config: Config;
  conn: Connection;
  server: RunningServer;
  call: Call;
  dbKind: string;
  /** The database server's process id (for its CPU time, `cpuMsOf`). */
  dbPid: () => number | undefined;
}

/** A fresh embedded database in a temp dir and the real server on a loopback port; all removed after `run`. */
export async function withBenchServer(run: (env: BenchEnv) => Promise<void>): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: "silent", LOGIN_ATTEMPTS_PER_15_MIN: "10000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000" });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-bench-"));
  const db = await startEmbeddedDatabase({ dataDir: dir, toolsDir: config.toolsDir, log: () => {} });
  try {
    const conn = await connectDatabase(db.uri, "bench");
    try {
      const server = await startServer({ config, conn, logger: createLogger("silent") }, 0, "127.0.0.1");
      try {
        await run({ config, conn, server, call: apiClient(server.url), dbKind: db.kind, dbPid: () => db.pid() });
      } finally {
        await server.close();
      }
    } finally {
      await conn.close();
    }
  } finally {
    await db.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface Org {
  token: string;
  orgId: string;
}
export interface Instrument {
  id: string;
  name: string;
}
export interface Market {
  provider: Org;
  enterprises: Org[];
  instruments: Instrument[];
  /** A new approved-nothing user's session token (watchers, readers). */
  register(prefix: string): Promise<string>;
}

/** An approved provider with `instruments` hourly instruments open 24/7 and `enterprises` approved enterprises, all through the API. */
export async function setUpMarket(env: BenchEnv, counts: { enterprises: number; instruments: number }): Promise<Market> {
  const admin = { email: `bench-${randomBytes(3).toString("hex")}@bureau.test`, password: "bench-admin-pass" };
  await env.server.services.accounts.ensureBureauAdmin(admin.email, admin.password);
  return setUpMarketAs(env.call, admin, counts);
}

/** The same through the API only, as a bureau admin that exists (a server in another process). */
export async function setUpMarketAs(call: Call, admin: { email: string; password: string }, counts: { enterprises: number; instruments: number }): Promise<Market> {
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
  const organization = async (type: "enterprise" | "provider", i: number): Promise<Org> => {
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
  const enterprises = await withTimeout("creating enterprises", Promise.all(Array.from({ length: counts.enterprises }, (_, i) => organization("enterprise", i))));
  const publish = async (i: number): Promise<Instrument> => {
    const name = `压测扫描电镜 ${i}`;
    const res = await call<{ id: string }>(
      "POST",
      "/api/instruments",
      {
        name,
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
    return { id: res.body.id, name };
  };
  // At most 10 at a time: hundreds of instruments must not queue hundreds of requests at once.
  const instruments: Instrument[] = [];
  await withTimeout(
    "publishing instruments",
    Promise.all(
      Array.from({ length: Math.min(10, counts.instruments) }, async (_, lane) => {
        for (let i = lane; i < counts.instruments; i += 10) instruments[i] = await publish(i);
      }),
    ),
  );
  return { provider, enterprises, instruments, register };
}

/** Hourly slots from the day after tomorrow on (past the default minimum notice, inside the 90-day window). */
export function firstBookableSlot(): DateTime {
  return DateTime.utc().plus({ days: 2 }).startOf("day");
}

/** The one-hour slot `hour` hours after `first`. */
export function hourSlot(first: DateTime, hour: number): BookingCreateBody {
  const start = first.plus({ hours: hour });
  return { start: start.toISO()!, end: start.plus({ hours: 1 }).toISO()! };
}

export function bookSlot(call: Call, instrumentId: string, first: DateTime, hour: number, token: string): Promise<Answer<Booking>> {
  return call<Booking>("POST", "/api/bookings", { instrumentId, ...hourSlot(first, hour) }, token);
}

export interface LoadResult extends Latency {
  rps: number;
  statuses: Record<number, number>;
}

/**
 * GETs `url` over exactly `connections` keep-alive connections (one request in flight on each),
 * `requests` in all or until `maxMs` has passed; req/s and per-request latency.
 */
export async function loadTest(baseUrl: string, url: string, opts: { connections: number; requests: number; maxMs: number; token?: string }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const target = new URL(url, baseUrl);
  const headers = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(target, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      });
      req.on("error", reject);
    });
  const samples: number[] = [];
  const statuses: Record<number, number> = {};
  let left = opts.requests;
  const started = performance.now();
  const deadline = started + opts.maxMs;
  try {
    await Promise.all(
      Array.from({ length: opts.connections }, async () => {
        while (left > 0 && performance.now() < deadline) {
          left--;
          const t0 = performance.now();
          const status = await get();
          samples.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  return { ...latency(samples), rps: samples.length / seconds, statuses };
}

export function describeLoad(label: string, r: LoadResult): string {
  return `${label.padEnd(34)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${ms(r.p50).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  (n=${r.n}, ${JSON.stringify(r.statuses)})`;
}

/** Runs a bench's main: exit 0 when it printed its figures (met or not), 1 when it could not measure. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}

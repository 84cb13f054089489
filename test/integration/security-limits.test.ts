// Rate limits that hold under abuse (issue 13): a socket flooding `subscribe` is throttled and then
// disconnected while /api/health keeps answering; with REDIS_URL the login and registration limits
// are shared by every server process (real, separate Node processes over one Redis).
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { expect } from "chai";
import { io as connect, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import { PROJECT_ROOT } from "../../server/config";
import { EVENT_RATE } from "../../server/realtime/event-rate";
import { registerUser, uniqueEmail } from "../factories/accounts";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startRedis, type TestRedis } from "../support/redis";
import { startTestServer, type TestServer } from "../support/server";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Answer = Parameters<Ack>[0];

async function healthP50(api: ApiClient, n = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    expectStatus(await api.get("/api/health"), 200);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

describe("socket event rate limit", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;

  before(async () => {
    t = await startTestServer("security_socket_flood");
    api = apiClient(t.baseUrl);
  });
  after(() => t?.stop());

  it("answers events beyond the bucket with SOCKET_RATE_LIMITED, disconnects a socket that keeps flooding, and /api/health keeps answering", async () => {
    const user = await registerUser(api);
    const socket: ClientSocket = connect(t.baseUrl, { transports: ["websocket"], reconnection: false, auth: { token: user.token } });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const idle = await healthP50(api);

    // "none": no answer (a lookup still running when the server disconnected the socket).
    const answers: string[] = Array.from({ length: 5_000 }, () => "none");
    const disconnected = new Promise<string>((resolve) => socket.on("disconnect", (reason) => resolve(reason)));
    const t0 = performance.now();
    for (let i = 0; i < 5_000; i++) {
      // Unknown instruments: every subscribe that gets through costs a database lookup.
      const instrumentId = i.toString(16).padStart(24, "0");
      socket.emit("subscribe", { instrumentId }, (a: Answer) => (answers[i] = a.ok ? "ok" : a.error.code));
    }
    const flooded = await healthP50(api);
    const reason = await disconnected;
    const elapsedS = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 200));

    const counts = answers.reduce<Record<string, number>>((acc, code) => ((acc[code] = (acc[code] ?? 0) + 1), acc), {});
    console.log(`      /api/health p50: ${idle.toFixed(1)} ms idle, ${flooded.toFixed(1)} ms under 5,000 subscribes; answers ${JSON.stringify(counts)}; disconnected after ${elapsedS.toFixed(2)} s`);
    expect(reason).to.equal("io server disconnect");
    expect(answers.indexOf("SOCKET_RATE_LIMITED"), "the first burst is let through").to.be.at.least(EVENT_RATE.burst);
    expect(counts.NOT_FOUND ?? 0, "looked up: at most the burst plus 20 a second").to.be.at.most(EVENT_RATE.burst + Math.ceil(EVENT_RATE.perSecond * elapsedS) + 5);
    expect(counts.SOCKET_RATE_LIMITED).to.equal(EVENT_RATE.disconnectAfter);
    expectStatus(await api.get("/api/health"), 200);
  });

  it(`serves a well-behaved client: a burst of ${EVENT_RATE.burst} and then ${EVENT_RATE.perSecond} a second all answered`, async () => {
    const user = await registerUser(api);
    const socket: ClientSocket = connect(t.baseUrl, { transports: ["websocket"], reconnection: false, auth: { token: user.token } });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const ask = () => new Promise<Answer>((resolve) => socket.emit("unsubscribe", { instrumentId: "0".repeat(24) }, resolve));
    const burst = await Promise.all(Array.from({ length: EVENT_RATE.burst }, ask));
    expect(burst.every((a) => a.ok)).to.equal(true);
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 60)); // ~16 a second, under the 20 refilled
      expect((await ask()).ok, `event ${i} after the burst`).to.equal(true);
    }
    socket.disconnect();
  });
});

/** One server process (test/support/cluster-node.ts), resolved with its URL. */
async function startNode(env: Record<string, string>): Promise<{ api: ApiClient; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "test", "support", "cluster-node.ts")], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...env },
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith("{\"url\"")) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return { api: apiClient(url), stop };
}

describe("rate limits shared through Redis (REDIS_URL)", function () {
  this.timeout(120_000);
  let redis: TestRedis | undefined;
  let db: TestDatabase;
  type Node = { api: ApiClient; stop(): Promise<void> };
  let a: Node;
  let b: Node;

  before(async function () {
    this.timeout(180_000); // a first run may build redis-lite
    [redis, db] = await Promise.all([startRedis(), openTestDatabase("security_redis_limits")]);
    const env = { MONGODB_URI: db.uri, MONGODB_DB: db.dbName, REDIS_URL: redis.url, LOGIN_ATTEMPTS_PER_15_MIN: "3", REGISTRATIONS_PER_IP_PER_HOUR: "2" };
    [a, b] = await Promise.all([startNode(env), startNode(env)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await db?.drop();
  });

  it("counts failed logins of two processes together: the fourth failure, on either, answers 429 RATE_LIMITED", async () => {
    const email = uniqueEmail("target");
    const attempt = (n: { api: ApiClient }) => n.api.post("/api/auth/login", { email, password: "wrong-wrong" });
    expectStatus(await attempt(a), 401, "INVALID_CREDENTIALS");
    expectStatus(await attempt(b), 401, "INVALID_CREDENTIALS");
    expectStatus(await attempt(a), 401, "INVALID_CREDENTIALS");
    const fourth = await attempt(b);
    expectStatus(fourth, 429, "RATE_LIMITED");
    expect(Number(fourth.headers.get("retry-after"))).to.be.greaterThan(0);
  });

  it("counts registrations of two processes together: the third from one address answers 429 REGISTRATION_RATE_LIMITED", async () => {
    await registerUser(a.api);
    await registerUser(b.api);
    const third = await a.api.post("/api/auth/register", { email: uniqueEmail(), password: "correct horse battery", name: "第三个" });
    expectStatus(third, 429, "REGISTRATION_RATE_LIMITED");
  });
});

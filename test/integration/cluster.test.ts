// `npm run cluster` (scripts/cluster/run.ts) as the real thing: two worker processes on one port
// behind Node's cluster module, this file's database and a Redis. Which worker holds a connection
// is read from /proc (test/support/tcp-owner.ts), not asked of the server.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Socket as NetSocket } from "node:net";
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { expect } from "chai";
import { DateTime } from "luxon";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import { ClusterProcess } from "../../scripts/cluster/process";
import { freeLoopbackPort } from "../../server/db/embedded-process";
import { login, orgAdmin, registerUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { apiClient, type ApiClient } from "../support/http";
import { startRedis, type TestRedis } from "../support/redis";
import { ownersOfConnections } from "../support/tcp-owner";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const SOCKETS = 6;
/** One-hour slots all day, so any hour three days ahead is bookable. */
const AROUND_THE_CLOCK_UTC = { timezone: "UTC", slotMinutes: 60, openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })) };

/** An HTTP client on exactly one keep-alive connection, whose local port is known. */
function pinnedClient(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let local: NetSocket | undefined;
  const request = (method: string, pathname: string, body?: unknown, token?: string) =>
    new Promise<{ status: number; body: { id?: string } }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(new URL(pathname, url), {
        method, agent,
        headers: { ...(payload ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      });
      req.on("socket", (s: NetSocket) => (local = s));
      req.on("error", reject);
      req.end(payload);
    });
  return { request, localPort: () => local?.localPort, close: () => agent.destroy() };
}

describe("npm run cluster: two workers on one port", function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let db: TestDatabase;
  let dataDir: string;
  let cluster: ClusterProcess;
  let port: number;
  let api: ApiClient;
  const admin = { email: `admin-${randomBytes(3).toString("hex")}@bureau.test`, password: "bureau-admin-pass" };
  const open: ClientSocket[] = [];

  before(async function () {
    this.timeout(180_000);
    [redis, db, dataDir, port] = await Promise.all([startRedis(), openTestDatabase("cluster"), mkdtemp(path.join(os.tmpdir(), "labshare-cluster-")), freeLoopbackPort()]);
    cluster = new ClusterProcess(`http://127.0.0.1:${port}`, 2, {
      PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: "127.0.0.1", LABSHARE_DATA_DIR: dataDir, LABSHARE_DEMO: "0",
      MONGODB_URI: db.uri, MONGODB_DB: db.dbName, REDIS_URL: redis.url, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
      LABSHARE_ADMIN_EMAIL: admin.email, LABSHARE_ADMIN_PASSWORD: admin.password, LOGIN_ATTEMPTS_PER_15_MIN: "1000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000",
    });
    await cluster.start();
    api = apiClient(cluster.url);
  });
  afterEach(() => open.splice(0).forEach((s) => s.disconnect()));
  after(async () => {
    await cluster?.stop();
    await redis?.stop();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Sockets subscribed to an instrument (again after every reconnect), with their client ports. */
  async function watchers(instrumentId: string, token: string) {
    const ports: number[] = [];
    await Promise.all(Array.from({ length: SOCKETS }, async (_, i) => {
      const agent = new http.Agent();
      const create = (agent as unknown as { createConnection: (...a: unknown[]) => NetSocket }).createConnection.bind(agent);
      (agent as unknown as { createConnection: (...a: unknown[]) => NetSocket }).createConnection = (...a) => {
        const s = create(...a);
        s.once("connect", () => (ports[i] = s.localPort!));
        return s;
      };
      const s: ClientSocket = connect(cluster.url, { transports: ["websocket"], agent: agent as never, reconnectionDelay: 100, auth: { token } });
      open.push(s);
      const subscribed = new Promise<void>((resolve) => s.on("connect", () => void s.emitWithAck("subscribe", { instrumentId }).then(() => resolve())));
      await subscribed;
    }));
    return { sockets: open.slice(-SOCKETS), ports };
  }

  const changedAt = (s: ClientSocket, startMs: number, ms = 5_000) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      s.on("availability:changed", (p) => {
        if (p.changes.some((c) => Date.parse(c.start) === startMs)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });

  async function market() {
    const bureau = await login(api, admin.email, admin.password);
    const [enterprise, provider] = await Promise.all([orgAdmin(api, "enterprise", bureau), orgAdmin(api, "provider", bureau)]);
    const inst = await publishInstrument(api, provider, AROUND_THE_CLOCK_UTC);
    return { enterprise, instrumentId: inst.id, watcher: (await registerUser(api)).token };
  }

  const slot = (hour: number) => {
    const start = DateTime.utc().plus({ days: 3 }).startOf("day").plus({ hours: hour });
    return { start: start.toISO()!, end: start.plus({ hours: 1 }).toISO()!, ms: start.toMillis() };
  };

  it("spreads sockets over both workers, and a booking made through one worker reaches the sockets on the other", async () => {
    const m = await market();
    const { sockets, ports } = await watchers(m.instrumentId, m.watcher);
    const pids = Object.values((await cluster.status())!.workers);
    expect(pids).to.have.length(2);
    const socketOwners = await ownersOfConnections(port, ports, pids);
    expect(new Set(socketOwners).size, `sockets per worker: ${JSON.stringify(socketOwners)}`).to.equal(2);

    const booker = pinnedClient(cluster.url);
    try {
      expect((await booker.request("GET", "/api/health")).status).to.equal(200);
      const [bookingWorker] = await ownersOfConnections(port, [booker.localPort()!], pids);
      expect(pids).to.include(bookingWorker);
      const onOtherWorker = sockets.filter((_, i) => socketOwners[i] !== bookingWorker);
      expect(onOtherWorker.length).to.be.greaterThan(0);

      const { ms, ...body } = slot(10);
      const arrived = sockets.map((s) => changedAt(s, ms));
      const res = await booker.request("POST", "/api/bookings", { instrumentId: m.instrumentId, ...body }, m.enterprise.token);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(await Promise.all(arrived)).to.deep.equal(sockets.map(() => true));
    } finally {
      booker.close();
    }
  });

  it("replaces a worker killed with SIGKILL; its sockets reconnect to a live worker and hear the next booking", async () => {
    const m = await market();
    const { sockets } = await watchers(m.instrumentId, m.watcher);
    const { killed, replacement } = await cluster.killWorker();
    expect(replacement).to.not.equal(killed);
    expect(Object.values((await cluster.status())!.workers)).to.have.length(2).and.not.include(killed);
    // The cut sockets reconnect (reconnectionDelay 100 ms) and subscribe again.
    const deadline = Date.now() + 10_000;
    while (sockets.some((s) => !s.connected) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));

    const { ms, ...body } = slot(11);
    const arrived = sockets.map((s) => changedAt(s, ms));
    const res = await api.post("/api/bookings", { instrumentId: m.instrumentId, ...body }, { token: m.enterprise.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(await Promise.all(arrived)).to.deep.equal(sockets.map(() => true));
  });
});

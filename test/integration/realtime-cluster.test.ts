// Several server processes behind one Redis: an event emitted by the process that handled a write
// reaches sockets connected to another process (the Socket.IO Redis adapter, REDIS_URL). Real,
// separate Node processes (test/support/cluster-node.ts) over this file's database; and, as the
// control, two processes without Redis, between which nothing crosses.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { DateTime } from "luxon";
import { io as connect, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import { login, orgAdmin, registerUser } from "../factories/accounts";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { apiClient, type ApiClient } from "../support/http";
import { startRedis, type TestRedis } from "../support/redis";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE_ENTRY = path.join(PROJECT_ROOT, "test", "support", "cluster-node.ts");
const NODE_START_TIMEOUT_MS = 30_000;

interface ClusterNode {
  url: string;
  api: ApiClient;
  stop(): Promise<void>;
}

/** `node --import tsx test/support/cluster-node.ts`, resolved once it announces its URL. */
async function startNode(env: Record<string, string>): Promise<ClusterNode> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", NODE_ENTRY], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn", ...env },
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no server within ${NODE_START_TIMEOUT_MS} ms: ${stderr}`)), NODE_START_TIMEOUT_MS);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`server process exited with ${code}: ${stderr}`));
      });
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const announced = (() => {
          try {
            return (JSON.parse(line) as { url?: unknown }).url;
          } catch {
            return undefined; // a log line
          }
        })();
        if (typeof announced === "string") {
          clearTimeout(timer);
          resolve(announced);
        }
      });
    });
    return { url, api: apiClient(url), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

describe("realtime across server processes (Socket.IO Redis adapter)", function () {
  this.timeout(60_000);
  let redis: TestRedis | undefined;
  let db: TestDatabase;
  const admin = { email: `admin-${randomBytes(3).toString("hex")}@bureau.test`, password: "bureau-admin-pass" };
  const nodes: ClusterNode[] = [];
  let a: ClusterNode; // with Redis
  let b: ClusterNode; // with Redis
  let c: ClusterNode; // without
  let d: ClusterNode; // without
  let bureau: string;
  const open: ClientSocket[] = [];

  before(async function () {
    this.timeout(180_000); // a first run may build redis-lite (test/support/redis.ts)
    [redis, db] = await Promise.all([startRedis(), openTestDatabase("realtime_cluster")]);
    const env = { MONGODB_URI: db.uri, MONGODB_DB: db.dbName, LABSHARE_ADMIN_EMAIL: admin.email, LABSHARE_ADMIN_PASSWORD: admin.password };
    // One at a time: each ensures the same bureau admin, and the first creates it.
    a = await startNode({ ...env, REDIS_URL: redis.url });
    nodes.push(a);
    const rest = await Promise.all([
      startNode({ ...env, REDIS_URL: redis.url }),
      startNode(env),
      startNode(env),
    ]);
    nodes.push(...rest);
    [b, c, d] = rest as [ClusterNode, ClusterNode, ClusterNode];
    bureau = await login(a.api, admin.email, admin.password);
  });
  afterEach(() => open.splice(0).forEach((s) => s.disconnect()));
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
    await db?.drop();
  });

  const socket = (node: ClusterNode, token: string) => {
    const s: ClientSocket = connect(node.url, { transports: ["websocket"], reconnection: false, auth: { token } });
    open.push(s);
    return new Promise<ClientSocket>((resolve, reject) => {
      s.once("connect", () => resolve(s));
      s.once("connect_error", reject);
    });
  };

  const next = <K extends keyof ServerToClientEvents>(s: ClientSocket, name: K, ms = 3000) =>
    new Promise<Parameters<ServerToClientEvents[K]>[0] | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ms);
      (s.once as (n: string, f: (p: never) => void) => void)(name, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });

  const subscribe = (s: ClientSocket, instrumentId: string) =>
    s.timeout(5000).emitWithAck("subscribe", { instrumentId }) as Promise<Parameters<Ack>[0]>;

  it("a review made on process A reaches the enterprise's socket on process B", async () => {
    const enterprise = await orgAdmin(a.api, "enterprise");
    const onB = await socket(b, enterprise.token);
    const got = next(onB, "organization:reviewed");
    const res = await a.api.post(`/api/enterprises/${enterprise.orgId}/review`, { decision: "approve" }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await got).to.deep.equal({ organizationId: enterprise.orgId, type: "enterprise", status: "approved" });
  });

  it("a user who joins an organization on A joins its room on B too, and hears its next event", async () => {
    const providerAdmin = await orgAdmin(a.api, "provider");
    const staff = await registerUser(a.api);
    const onB = await socket(b, staff.token);
    const inv = await a.api.post("/api/organization/invitations", { email: staff.email, role: "provider_staff" }, { token: providerAdmin.token });
    await a.api.post(`/api/invitations/${inv.body.token}/accept`, undefined, { token: staff.token });
    const got = next(onB, "organization:reviewed");
    await a.api.post(`/api/providers/${providerAdmin.orgId}/review`, { decision: "approve" }, { token: bureau });
    expect(await got).to.deep.include({ organizationId: providerAdmin.orgId, status: "approved" });
  });

  it("without Redis, an event stays in the process that emitted it", async () => {
    const enterprise = await orgAdmin(c.api, "enterprise");
    const [onC, onD] = await Promise.all([socket(c, enterprise.token), socket(d, enterprise.token)]);
    const here = next(onC, "organization:reviewed");
    const there = next(onD, "organization:reviewed", 1500);
    const res = await c.api.post(`/api/enterprises/${enterprise.orgId}/review`, { decision: "approve" }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await here, "same process").to.deep.include({ organizationId: enterprise.orgId });
    expect(await there, "other process").to.equal(null);
  });

  it("a socket on B subscribes to an instrument published on A", async () => {
    const provider = await orgAdmin(a.api, "provider", bureau);
    const user = await registerUser(b.api);
    const res = await a.api.post("/api/instruments", instrumentBody(), { token: provider.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const onB = await socket(b, user.token);
    expect(await subscribe(onB, res.body.id)).to.deep.equal({ ok: true });
  });

  it("a maintenance window added on A reaches the instrument's subscribers on B", async () => {
    const provider = await orgAdmin(a.api, "provider", bureau);
    const inst = await a.api.post("/api/instruments", instrumentBody(), { token: provider.token });
    expect(inst.status, JSON.stringify(inst.body)).to.equal(201);
    const onB = await socket(b, (await registerUser(b.api)).token);
    expect(await subscribe(onB, inst.body.id)).to.deep.equal({ ok: true });
    const got = next(onB, "availability:changed");
    const start = DateTime.utc().plus({ days: 5 }).startOf("day").set({ hour: 8 });
    const res = await a.api.post(
      `/api/instruments/${inst.body.id}/blackouts`,
      { start: start.toISO(), end: start.plus({ hours: 1 }).toISO(), reason: "更换灯丝" },
      { token: provider.token },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const change = await got;
    expect(change?.instrumentId).to.equal(inst.body.id);
    expect(change!.changes.find((c) => Date.parse(c.start) === start.toMillis())).to.deep.include({ free: 0 });
  });

  it("a booking made on A reaches the instrument's subscribers and the parties' sockets on B", async () => {
    const [enterprise, provider] = await Promise.all([orgAdmin(a.api, "enterprise", bureau), orgAdmin(a.api, "provider", bureau)]);
    const inst = await a.api.post("/api/instruments", instrumentBody(), { token: provider.token });
    expect(inst.status, JSON.stringify(inst.body)).to.equal(201);
    const watcher = await registerUser(b.api);
    const [w, p, e] = await Promise.all([socket(b, watcher.token), socket(b, provider.token), socket(b, enterprise.token)]);
    expect(await subscribe(w, inst.body.id)).to.deep.equal({ ok: true });
    const changed = next(w, "availability:changed");
    const toProvider = next(p, "booking:created");
    const toEnterprise = next(e, "booking:created");
    const start = DateTime.utc().plus({ days: 3 }).startOf("day").set({ hour: 10 });
    const res = await a.api.post(
      "/api/bookings",
      { instrumentId: inst.body.id, start: start.toISO(), end: start.plus({ hours: 1 }).toISO() },
      { token: enterprise.token },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(await changed).to.deep.include({ instrumentId: inst.body.id });
    expect(await toProvider).to.deep.include({ bookingId: res.body.id });
    expect(await toEnterprise).to.deep.include({ bookingId: res.body.id });
  });

  // Issue 12 (i12-live): the live view's snapshots are computed where the viewer is connected.
  it("a booking made on A reaches a provider's live view on B as a fresh utilization snapshot", async () => {
    const [enterprise, provider] = await Promise.all([orgAdmin(a.api, "enterprise", bureau), orgAdmin(a.api, "provider", bureau)]);
    const inst = await a.api.post("/api/instruments", instrumentBody(), { token: provider.token });
    expect(inst.status, JSON.stringify(inst.body)).to.equal(201);
    const onB = await socket(b, provider.token);
    const first = next(onB, "utilization:update");
    expect(await onB.timeout(5000).emitWithAck("utilization:subscribe", {})).to.deep.equal({ ok: true });
    expect(await first).to.deep.include({ scope: provider.orgId, bookingsToday: 0, instruments: 1 });
    const update = next(onB, "utilization:update", 5000);
    const start = DateTime.utc().plus({ days: 3 }).startOf("day").set({ hour: 11 });
    const res = await a.api.post("/api/bookings", { instrumentId: inst.body.id, start: start.toISO(), end: start.plus({ hours: 1 }).toISO() }, { token: enterprise.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const snapshot = await update;
    expect(snapshot, "a snapshot on B").to.not.equal(null);
    expect(snapshot).to.deep.include({ scope: provider.orgId, bookingsToday: 1 });
    expect(snapshot!.latest.map((l) => l.id)).to.deep.equal([res.body.id]);
  });
});

/** An instrument open around the clock in UTC with one-hour slots. */
function instrumentBody() {
  return {
    name: `工业CT ${randomBytes(3).toString("hex")}`,
    category: "special_testing",
    priceFen: 120000,
    priceUnit: "hour",
    timezone: "UTC",
    slotMinutes: 60,
    openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
    originalValueFen: 500_000_000,
  };
}

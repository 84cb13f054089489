// The embedded database is supervised: when its process dies the app answers 503 fast, the
// launcher restarts it on the same port and data, and the app recovers without a restart.
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Connection } from "mongoose";
import { loadConfig, PROJECT_ROOT } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../server/db/embedded";
import { createLogger } from "../../server/logger";
import { startServer, type RunningServer } from "../../server/server";
import { registerUser } from "../factories/accounts";
import { apiClient } from "../support/http";

const TOOLS = path.join(PROJECT_ROOT, ".tools");

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function killServer(db: EmbeddedDatabase): Promise<void> {
  const pid = db.pid();
  expect(pid, "embedded server pid").to.be.a("number");
  process.kill(pid!, "SIGKILL");
  await until("the launcher to notice the exit", 5_000, async () => (db.pid() === undefined ? true : undefined));
}

describe("the embedded database process dies under a running app", function () {
  this.timeout(60_000);
  let dataDir: string;
  let db: EmbeddedDatabase;
  let conn: Connection;
  let server: RunningServer;
  const logs: string[] = [];

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-restart-"));
    // A long first delay keeps the server down long enough to observe the fast 503, even on a loaded machine.
    db = await startEmbeddedDatabase({ dataDir, toolsDir: TOOLS, log: (m) => logs.push(m), restartDelaysMs: [15_000] });
    conn = await connectDatabase(db.uri, "restart");
    const config = loadConfig({ LOG_LEVEL: "silent" });
    server = await startServer({ config, conn, logger: createLogger(config.logLevel) }, 0, "127.0.0.1");
  });

  after(async () => {
    await server?.close();
    await conn?.close();
    await db?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("answers 503 DB_UNAVAILABLE within 2 s while it is down, then 200 once the launcher restarted it on the same data, without restarting the app", async () => {
    const api = apiClient(server.url);
    const user = await registerUser(api);
    expect((await api.get("/api/me", { token: user.token })).status).to.equal(200);
    const pidBefore = db.pid();

    await killServer(db);
    // Mongoose marks the connection disconnected at the driver's next heartbeat; from then on
    // it used to queue commands for 10 s (bufferCommands) instead of failing.
    await until("mongoose to see the server down", 10_000, async () => (conn.readyState === 0 ? true : undefined));
    for (let i = 0; i < 2; i++) {
      const t0 = Date.now();
      const res = await api.get("/api/me", { token: user.token });
      const ms = Date.now() - t0;
      expect(res.status, JSON.stringify(res.body)).to.equal(503);
      expect(res.body.error.code).to.equal("DB_UNAVAILABLE");
      expect(ms, "time to answer while the database is down").to.be.below(2_000);
    }
    const health = await api.get("/api/health");
    expect(health.status).to.equal(503);
    expect(health.body).to.deep.equal({ status: "degraded", db: "down" });

    // The same session (stored in the database) works again: same port, same data directory.
    const me = await until("a 200 after the restart", 30_000, async () => {
      const res = await api.get("/api/me", { token: user.token });
      return res.status === 200 ? res : undefined;
    });
    expect(me.body.user.email).to.equal(user.email);
    expect(db.pid()).to.be.a("number").and.not.equal(pidBefore);
    expect((await api.get("/api/health")).status).to.equal(200);
    expect(logs.join("\n")).to.match(/exited unexpectedly \(code null, signal SIGKILL\).*restarting in 15000 ms \(attempt 1 of 1\)/);
    // The launcher logs once its own ping succeeds, which may come just after the app's first 200.
    await until("the restart to be logged", 5_000, async () => (/restarted on 127\.0\.0\.1:\d+/.test(logs.join("\n")) ? true : undefined));
  });

  it("gives up with an error log once every restart delay is used, and stop() still succeeds", async () => {
    // The previous test used the one restart; a crash within a minute of it is not forgiven.
    await killServer(db);
    await until("the give-up log", 5_000, async () => (logs.some((l) => /giving up after 1 restarts/.test(l)) ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(db.pid(), "no further restart").to.equal(undefined);
  });
});

describe("the embedded database server of a SIGKILLed app", function () {
  this.timeout(30_000);

  it("is killed by the next start on the same data directory, found through its pidfile", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-stale-"));
    const logs: string[] = [];
    // No restarts: a SIGKILLed app would not restart its server either.
    const first = await startEmbeddedDatabase({ dataDir, toolsDir: TOOLS, log: (m) => logs.push(m), restartDelaysMs: [] });
    const stalePid = first.pid()!;
    // Pretend our process was SIGKILLed: the pidfile stays, and so does the server.
    const second = await startEmbeddedDatabase({ dataDir, toolsDir: TOOLS, log: (m) => logs.push(m) });
    try {
      expect(logs.join("\n")).to.include(`Killing embedded database server pid ${stalePid} left running`);
      expect(() => process.kill(stalePid, 0), "the stale server is gone").to.throw();
      expect(second.pid()).to.be.a("number").and.not.equal(stalePid);
    } finally {
      await second.stop();
      await first.stop(); // its process is already dead: must not hang or throw
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

// `npm start` as a user runs it: a real npm process tree on a temp data directory. /api/health
// says "starting" until the demo data and search index are ready; stopping npm (SIGTERM, or
// Ctrl-C to the process group) stops the server and its database; a SIGKILLed server does not
// leave its database running.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../server/config";
import { startEmbeddedDatabase } from "../../server/db/embedded";

interface Started {
  npm: ChildProcess;
  url: string;
  nodePid: number;
  dbPid: number;
  healthSeen: { status: number; body: unknown }[];
  exited: Promise<void>;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function npmStart(dataDir: string): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, LABSHARE_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" };
  delete env.MONGODB_URI;
  // Own process group, like a terminal's foreground job: -pid reaches npm and what it started.
  const npm = spawn("npm", ["start"], { cwd: PROJECT_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  npm.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  npm.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
  let done = false;
  void exited.then(() => (done = true));

  const base = `http://127.0.0.1:${port}`;
  const healthSeen: Started["healthSeen"] = [];
  const url = await (async () => {
    for (const deadline = Date.now() + 150_000; Date.now() < deadline; ) {
      const printed = /labshare is running at (\S+)/.exec(output);
      if (printed) return printed[1]!;
      if (done) throw new Error(`npm start exited:\n${output}`);
      const res = await fetch(`${base}/api/health`).catch(() => undefined);
      if (res) healthSeen.push({ status: res.status, body: await res.json() });
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no URL printed:\n${output}`);
  })();
  // `exec`: npm's child is the server itself, not a shell or a tsx wrapper.
  const children = (await fs.readFile(`/proc/${npm.pid}/task/${npm.pid}/children`, "utf8")).trim().split(/\s+/).map(Number);
  expect(children, output).to.have.length(1);
  const nodePid = children[0]!;
  expect(await fs.readFile(`/proc/${nodePid}/cmdline`, "utf8")).to.include("server/main.ts");
  const dbPid = Number((await fs.readFile(path.join(dataDir, "ferretdb", "server.pid"), "utf8")).split(" ")[0]);
  expect(isAlive(dbPid)).to.equal(true);
  return { npm, url, nodePid, dbPid, healthSeen, exited };
}

async function expectAllGone(s: Started) {
  await waitFor("npm, the server and the database to exit", 15_000, () => ![s.npm.pid!, s.nodePid, s.dbPid].some(isAlive));
  await s.exited;
}

describe("npm start", function () {
  // The first start loads the demo city; the client is built only if client/dist is stale.
  this.timeout(240_000);
  let dataDir: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-npm-start-"));
  });
  after(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("answers /api/health 503 {status: starting} until the demo data is loaded, then 200; SIGTERM to npm stops the server and the database", async () => {
    const s = await npmStart(dataDir);
    try {
      expect(s.healthSeen.map((h) => h.status), "health answers while starting").to.include(503);
      // "starting" until ready, then "ok" (ready can come just before the URL is printed).
      const firstOk = s.healthSeen.findIndex((h) => h.status === 200);
      const starting = firstOk === -1 ? s.healthSeen : s.healthSeen.slice(0, firstOk);
      for (const h of starting) expect(h).to.deep.equal({ status: 503, body: { status: "starting", db: "ok" } });
      for (const h of s.healthSeen.slice(starting.length)) expect(h).to.deep.equal({ status: 200, body: { status: "ok", db: "ok" } });
      const health = await fetch(`${s.url}/api/health`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({ status: "ok", db: "ok" });
      // A second app on the same data would put two servers on one SQLite directory.
      let refused: unknown;
      await startEmbeddedDatabase({ dataDir, toolsDir: path.join(PROJECT_ROOT, ".tools"), log: () => {} }).then(
        (db) => db.stop(),
        (err: unknown) => (refused = err),
      );
      expect(String(refused)).to.match(/in use by another running labshare \(pid \d+\)/);
    } finally {
      process.kill(s.npm.pid!, "SIGTERM");
    }
    await expectAllGone(s);
    await fs.access(path.join(dataDir, "ferretdb", "server.pid")).then(
      () => expect.fail("pidfile left behind"),
      () => {},
    );
  });

  it("stops the server and the database on Ctrl-C (SIGINT to npm's process group)", async () => {
    const s = await npmStart(dataDir);
    process.kill(-s.npm.pid!, "SIGINT");
    await expectAllGone(s);
  });

  it("does not leave the database running when the server process is SIGKILLed", async () => {
    const s = await npmStart(dataDir);
    process.kill(s.nodePid, "SIGKILL");
    await expectAllGone(s);
  });
});

// One run of the embedded database server as a child process: spawn, readiness probe, stop,
// and the pidfile that lets the next start kill a server left behind by a SIGKILLed parent.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import net from "node:net";
import mongoose from "mongoose";
import { ConfigError } from "../config";

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
// util-linux: sets PR_SET_PDEATHSIG, so the kernel kills the server when our process dies, even by SIGKILL.
const SETPRIV = "/usr/bin/setpriv";

export interface Launched {
  child: ChildProcess;
  startedAt: number;
  exited(): boolean;
  exitPromise: Promise<void>;
  outputTail(): string;
  stop(): Promise<void>;
}

export function launch(bin: string, args: string[]): Launched {
  const withDeathSignal = process.platform === "linux" && existsSync(SETPRIV);
  // Own process group: a Ctrl-C in the terminal reaches only the app, which then finishes its
  // in-flight requests before it stops the database (see main.ts shutdown).
  const child = withDeathSignal
    ? spawn(SETPRIV, ["--pdeathsig", "KILL", "--", bin, ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true })
    : spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  let exited = false;
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // Never leave an orphan server behind when the parent exits (normally or via process.exit).
  const killOnExit = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);
  const exitPromise = new Promise<void>((resolve) => {
    const done = () => {
      exited = true;
      process.off("exit", killOnExit);
      resolve();
    };
    child.once("error", (err) => {
      output += `\n${err.message}`;
      done();
    });
    child.once("exit", done);
  });

  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exitPromise;
    clearTimeout(timer);
  };
  return {
    child,
    startedAt: Date.now(),
    exited: () => exited,
    exitPromise,
    outputTail: () => output.trim().split("\n").slice(-20).join("\n"),
    stop,
  };
}

export function describeExit(server: Launched): string {
  return `code ${server.child.exitCode}, signal ${server.child.signalCode}`;
}

export async function waitForPing(uri: string, server: Launched): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const describe = () => `${server.child.spawnfile} ${server.child.spawnargs.slice(1).join(" ")}`;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    if (server.exited()) {
      throw new Error(
        `Embedded database exited during start-up (${describeExit(server)}).\n` +
          `Command: ${describe()}\nLast output:\n${server.outputTail()}`,
      );
    }
    // Cheap TCP probe first: a driver connect to a closed port costs ~500 ms before it retries.
    if (!(await acceptsTcp(uri))) {
      lastErr = new Error("port not accepting connections");
      await Promise.race([server.exitPromise, new Promise((r) => setTimeout(r, 50))]);
      continue;
    }
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    try {
      await client.connect();
      await client.db("admin").command({ ping: 1 });
      // If our child died (e.g. port taken), the answer came from some other server.
      if (!server.exited()) return;
    } catch (err) {
      lastErr = err;
    } finally {
      await client.close().catch(() => {});
    }
    await Promise.race([server.exitPromise, new Promise((r) => setTimeout(r, 100))]);
  }
  throw new Error(
    `Embedded database did not answer ping within ${READY_TIMEOUT_MS / 1000} s ` +
      `(last error: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}).\n` +
      `Command: ${describe()}\nLast output:\n${server.outputTail()}`,
  );
}

function acceptsTcp(uri: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(uri).port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("could not pick a free port"))));
    });
  });
}

/**
 * `<dbDir>/server.pid` holds "<server pid> <app pid>". Where the death signal is not available
 * (no setpriv, not Linux) a SIGKILLed app leaves its server running on the data; the next start
 * kills it. A server whose app is still alive means another app uses this data directory: that
 * is refused (two servers on one SQLite directory would corrupt it). A pid counts only if its
 * command line still names this data directory (pids get reused).
 */
export async function writePidFile(pidFile: string, serverPid: number | undefined): Promise<void> {
  if (serverPid) await fs.writeFile(pidFile, `${serverPid} ${process.pid}\n`);
}

export async function killStaleServer(pidFile: string, dbDir: string, log: (msg: string) => void): Promise<void> {
  const [pid = NaN, appPid = NaN] = (await fs.readFile(pidFile, "utf8").catch(() => "")).trim().split(/\s+/).map(Number);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (!cmdline.split("\0").some((arg) => arg.includes(dbDir))) return;
  if (appPid !== process.pid && (await parentPid(pid)) === appPid && isAlive(appPid)) {
    throw new ConfigError(`The data directory ${dbDir} is in use by another running labshare (pid ${appPid}): stop it or set LABSHARE_DATA_DIR`);
  }
  log(`Killing embedded database server pid ${pid} left running by a previous start on ${dbDir}`);
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
}

async function parentPid(pid: number): Promise<number | undefined> {
  const status = await fs.readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const m = /^PPid:\s*(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

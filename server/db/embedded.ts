// Starts a local database server when no MONGODB_URI is given: mongod from PATH if present,
// otherwise FerretDB (SQLite backend), built on first use. See docs/database.md.
// The server is supervised: if it dies, it is restarted on the same port and data directory
// with backoff, so the app's connection recovers by itself.
import { promises as fs, constants as fsc } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config";
import { ensureFerretdb } from "./ferretdb-build";
import { describeExit, freeLoopbackPort, killStaleServer, launch, waitForPing, writePidFile, type Launched } from "./embedded-process";

export interface EmbeddedDatabase {
  uri: string;
  kind: "mongod" | "ferretdb";
  /** Process id of the running server; undefined while it is down between restarts. */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export type EmbeddedLog = (msg: string, level?: "info" | "warn" | "error") => void;

/** Waits before each restart after an unexpected exit; one more failure than entries and we give up. */
export const DEFAULT_RESTART_DELAYS_MS = [200, 1_000, 3_000, 10_000, 30_000];
// A server that ran this long counts as healthy again: the next crash starts the delays over.
const STABLE_RUN_MS = 60_000;

export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  toolsDir: string;
  log: EmbeddedLog;
  restartDelaysMs?: number[];
}): Promise<EmbeddedDatabase> {
  const mongod = await findOnPath("mongod");
  const kind = mongod ? "mongod" : "ferretdb";
  const bin = mongod ?? (await ensureFerretdb(opts.toolsDir, opts.log));
  const dbDir = path.join(opts.dataDir, kind);
  // FerretDB pastes the path into a SQLite URI unescaped: '#' or '?' would silently misplace data.
  if (kind === "ferretdb" && /[#?]/.test(dbDir)) {
    throw new ConfigError(`Data directory must not contain '#' or '?': ${dbDir} (set LABSHARE_DATA_DIR)`);
  }
  await fs.mkdir(dbDir, { recursive: true });
  const pidFile = path.join(dbDir, "server.pid");
  await killStaleServer(pidFile, dbDir, opts.log);

  const argsFor = (port: number) =>
    mongod
      ? ["--dbpath", dbDir, "--bind_ip", "127.0.0.1", "--port", String(port)]
      : [
          "--handler=sqlite",
          `--sqlite-url=file:${dbDir}/?_pragma=synchronous(normal)`,
          `--listen-addr=127.0.0.1:${port}`,
          "--debug-addr=-",
          `--state-dir=${dbDir}`,
          "--telemetry=disable",
          "--log-level=warn",
        ];
  const uriFor = (port: number) => `mongodb://127.0.0.1:${port}/?retryWrites=false&directConnection=true`;
  const startOn = async (port: number): Promise<Launched> => {
    const server = launch(bin, argsFor(port));
    await writePidFile(pidFile, server.child.pid);
    try {
      await waitForPing(uriFor(port), server);
      return server;
    } catch (err) {
      await server.stop();
      throw err;
    }
  };

  // The free port is released before the child binds it, so another process can win it
  // in between: retry with a fresh port if the child dies with "address already in use".
  let port = 0;
  let current: Launched | undefined;
  for (let attempt = 1; !current; attempt++) {
    port = await freeLoopbackPort();
    const started = Date.now();
    try {
      current = await startOn(port);
      opts.log(`Embedded ${kind} ready on 127.0.0.1:${port} in ${Date.now() - started} ms (data: ${dbDir})`);
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test(String(err))) throw err;
      opts.log(`Port ${port} was taken before ${kind} could bind it, retrying on another port`);
    }
  }

  const delays = opts.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
  let failures = 0;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  const supervise = (server: Launched) => {
    void server.exitPromise.then(() => {
      if (stopping || server !== current) return;
      current = undefined;
      const ranMs = Date.now() - server.startedAt;
      if (ranMs >= STABLE_RUN_MS) failures = 0;
      const why = `Embedded ${kind} on port ${port} exited unexpectedly (${describeExit(server)}) after ${ranMs} ms`;
      if (failures >= delays.length) {
        opts.log(`${why}; giving up after ${failures} restarts. Last output:\n${server.outputTail()}`, "error");
        return;
      }
      const delay = delays[failures++]!;
      opts.log(`${why}; restarting in ${delay} ms (attempt ${failures} of ${delays.length})`, "error");
      restartTimer = setTimeout(() => {
        restarting = restart().finally(() => (restarting = undefined));
      }, delay);
    });
  };
  const restart = async () => {
    if (stopping) return;
    const started = Date.now();
    const server = launch(bin, argsFor(port));
    current = server;
    supervise(server);
    await writePidFile(pidFile, server.child.pid).catch(() => {});
    try {
      await waitForPing(uriFor(port), server);
      opts.log(`Embedded ${kind} restarted on 127.0.0.1:${port} in ${Date.now() - started} ms`, "warn");
    } catch (err) {
      if (stopping) return;
      // Its exit (now, or after this stop) schedules the next attempt.
      opts.log(`Embedded ${kind} restart failed: ${err instanceof Error ? err.message : String(err)}`, "error");
      await server.stop();
    }
  };
  supervise(current);

  return {
    uri: uriFor(port),
    kind,
    pid: () => (current && !current.exited() ? current.child.pid : undefined),
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      await current?.stop(); // also ends a restart that is still waiting for its server
      await restarting;
      await fs.rm(pidFile, { force: true });
    },
  };
}

/** The first executable of this name on PATH. */
export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await fs.access(candidate, fsc.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

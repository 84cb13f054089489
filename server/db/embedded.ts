// Starts a local database server when no MONGODB_URI is given: mongod from PATH if present,
// otherwise FerretDB (SQLite backend), built on first use. See docs/database.md.
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs, constants as fsc } from "node:fs";
import net from "node:net";
import path from "node:path";
import mongoose from "mongoose";
import { ensureFerretdb } from "./ferretdb-build";

export interface EmbeddedDatabase {
  uri: string;
  kind: "mongod" | "ferretdb";
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  toolsDir: string;
  log: (msg: string) => void;
}): Promise<EmbeddedDatabase> {
  const mongod = await findOnPath("mongod");
  const kind = mongod ? "mongod" : "ferretdb";
  const bin = mongod ?? (await ensureFerretdb(opts.toolsDir, opts.log));
  const dbDir = path.join(opts.dataDir, kind);
  // FerretDB pastes the path into a SQLite URI unescaped: '#' or '?' would silently misplace data.
  if (kind === "ferretdb" && /[#?]/.test(dbDir)) {
    throw new Error(`Data directory must not contain '#' or '?': ${dbDir} (set LABSHARE_DATA_DIR)`);
  }
  await fs.mkdir(dbDir, { recursive: true });

  // The free port is released before the child binds it, so another process can win it
  // in between: retry with a fresh port if the child dies with "address already in use".
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const args = mongod
      ? ["--dbpath", dbDir, "--bind_ip", "127.0.0.1", "--port", String(port)]
      : [
          "--handler=sqlite",
          `--sqlite-url=file:${dbDir}/`,
          `--listen-addr=127.0.0.1:${port}`,
          "--debug-addr=-",
          `--state-dir=${dbDir}`,
          "--telemetry=disable",
          "--log-level=warn",
        ];
    const started = Date.now();
    const server = launch(bin, args);
    const uri = `mongodb://127.0.0.1:${port}/?retryWrites=false&directConnection=true`;
    try {
      await waitForPing(uri, server);
      opts.log(`Embedded ${kind} ready on 127.0.0.1:${port} in ${Date.now() - started} ms (data: ${dbDir})`);
      return { uri, kind, stop: server.stop };
    } catch (err) {
      const portTaken = server.exited() && /address already in use/i.test(server.outputTail());
      await server.stop();
      if (attempt >= 3 || !portTaken) throw err;
      opts.log(`Port ${port} was taken before ${kind} could bind it, retrying on another port`);
    }
  }
}

interface Launched {
  child: ChildProcess;
  exited(): boolean;
  exitPromise: Promise<void>;
  outputTail(): string;
  stop(): Promise<void>;
}

function launch(bin: string, args: string[]): Launched {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exited = false;
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exitPromise = new Promise<void>((resolve) => {
    child.once("error", (err) => {
      output += `\n${err.message}`;
      exited = true;
      resolve();
    });
    child.once("exit", () => {
      exited = true;
      resolve();
    });
  });
  // Never leave an orphan server behind when the parent exits (normally or via process.exit).
  const killOnExit = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.on("exit", killOnExit);

  const stop = async () => {
    process.off("exit", killOnExit);
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exitPromise;
    clearTimeout(timer);
  };
  return {
    child,
    exited: () => exited,
    exitPromise,
    outputTail: () => output.trim().split("\n").slice(-20).join("\n"),
    stop,
  };
}

async function waitForPing(uri: string, server: Launched): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const describe = () => `${server.child.spawnfile} ${server.child.spawnargs.slice(1).join(" ")}`;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    if (server.exited()) {
      throw new Error(
        `Embedded database exited during start-up (code ${server.child.exitCode}, signal ${server.child.signalCode}).\n` +
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

function freeLoopbackPort(): Promise<number> {
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

async function findOnPath(name: string): Promise<string | undefined> {
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

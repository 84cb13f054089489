// The chaos run's processes: the real server (`server/main.ts`) as a child it can SIGKILL and start
// again on the same port and data directory, and the embedded database that server launches (its
// pid from the pidfile), which the run kills or freezes (SIGSTOP) under it.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "../../server/config";

const HEALTHY_WITHIN_MS = 90_000;

export class ServerProcess {
  private child: ChildProcess | null = null;
  /** The server's last lines of output (errors at start-up are reported with them). */
  readonly tail: string[] = [];
  /** Lines the server logged at level error or worse (pino's 50+): a 500 comes with one. */
  readonly errors: string[] = [];

  constructor(
    readonly url: string,
    private readonly env: NodeJS.ProcessEnv,
    /** Where to append all the server's output, if anywhere. */
    private readonly logFile?: string,
  ) {}

  async start(): Promise<number> {
    const t0 = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: PROJECT_ROOT, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      const lines = chunk.toString().split("\n").filter(Boolean);
      this.tail.push(...lines);
      this.tail.splice(0, Math.max(0, this.tail.length - 30));
      this.errors.push(...lines.filter((l) => /"level":(5|6)\d/.test(l)));
      if (this.logFile) void appendFile(this.logFile, chunk);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    while (Date.now() - t0 < HEALTHY_WITHIN_MS) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${this.tail.join("\n")}`);
      const ok = await fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      if (ok) return Date.now() - t0;
      await sleep(100);
    }
    throw new Error(`server not healthy within ${HEALTHY_WITHIN_MS} ms:\n${this.tail.join("\n")}`);
  }

  /** SIGKILL: no shutdown hooks, requests in flight cut off wherever they are. */
  kill(): Promise<void> {
    return this.signal("SIGKILL");
  }

  /** SIGTERM: the graceful shutdown of main.ts. */
  stop(): Promise<void> {
    return this.signal("SIGTERM");
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(sig);
    await exited;
  }
}

/** The embedded database the server launched (`<data>/ferretdb/server.pid`). */
export class DatabaseProcess {
  constructor(private readonly dataDir: string) {}

  async pid(): Promise<number | null> {
    const text = await readFile(path.join(this.dataDir, "ferretdb", "server.pid"), "utf8").catch(() => "");
    const pid = Number(text.trim().split(/\s+/)[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  /** SIGKILL: the server's launcher starts it again on the same port and data. */
  async kill(): Promise<boolean> {
    return this.send("SIGKILL");
  }

  /** Frozen for `ms` (SIGSTOP … SIGCONT): connections stay open and nothing answers. */
  async freeze(ms: number): Promise<boolean> {
    if (!(await this.send("SIGSTOP"))) return false;
    await sleep(ms);
    return this.send("SIGCONT");
  }

  private async send(sig: NodeJS.Signals): Promise<boolean> {
    const pid = await this.pid();
    if (!pid) return false;
    try {
      process.kill(pid, sig);
      return true;
    } catch {
      return false;
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

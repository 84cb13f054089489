// `scripts/cluster/run.ts` as a child process, for the chaos run and the tests: start it and wait
// until all its workers listen and the port is healthy; SIGKILL one worker and wait for its
// replacement; stop it (SIGTERM: the workers' graceful shutdown, then Redis and the database).
import { spawn, type ChildProcess } from "node:child_process";
import { appendFile } from "node:fs/promises";
import { PROJECT_ROOT } from "../../server/config";
import { readClusterStatus, type ClusterStatus } from "./status";

const READY_WITHIN_MS = 120_000;
const REPLACED_WITHIN_MS = 60_000;
const STOP_WITHIN_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ClusterProcess {
  private child: ChildProcess | null = null;
  /** The last lines of output of the primary and its workers. */
  readonly tail: string[] = [];
  private nextVictim = 0;

  constructor(
    readonly url: string,
    readonly workers: number,
    /** Must hold PORT and LABSHARE_DATA_DIR (where the status file is). */
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile?: string,
  ) {}

  private get dataDir(): string {
    return this.env.LABSHARE_DATA_DIR!;
  }

  status(): Promise<ClusterStatus | null> {
    return readClusterStatus(this.dataDir);
  }

  /** Starts the cluster; resolves with the time until every worker is ready and health answers 200. */
  async start(): Promise<number> {
    const t0 = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cluster/run.ts", `--workers=${this.workers}`], {
      cwd: PROJECT_ROOT, env: this.env, stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString().split("\n").filter(Boolean));
      this.tail.splice(0, Math.max(0, this.tail.length - 40));
      if (this.logFile) void appendFile(this.logFile, chunk);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    await this.until(READY_WITHIN_MS, "all workers ready", async () => {
      if (child.exitCode !== null) throw new Error(`cluster exited with ${child.exitCode}:\n${this.tail.join("\n")}`);
      const s = await this.status();
      return !!s && s.primary === child.pid && Object.keys(s.workers).length >= this.workers && (await this.healthy());
    });
    return Date.now() - t0;
  }

  /** SIGKILL one worker (each call the next in turn); resolves once a replacement is ready and health answers 200. */
  async killWorker(): Promise<{ killed: number; replacement: number; ms: number }> {
    const t0 = Date.now();
    const before = await this.status();
    const pids = Object.values(before?.workers ?? {});
    if (!before || pids.length === 0) throw new Error("no cluster worker to kill");
    const killed = pids[this.nextVictim++ % pids.length]!;
    process.kill(killed, "SIGKILL");
    let replacement = 0;
    await this.until(REPLACED_WITHIN_MS, `a replacement for worker ${killed}`, async () => {
      const s = await this.status();
      const fresh = Object.values(s?.workers ?? {}).filter((p) => !pids.includes(p));
      replacement = fresh[0] ?? 0;
      return replacement > 0 && (await this.healthy());
    });
    return { killed, replacement, ms: Date.now() - t0 };
  }

  /** SIGTERM to the primary: a graceful stop of everything it runs. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => void this.kill(), STOP_WITHIN_MS);
    await exited;
    clearTimeout(timer);
  }

  /** SIGKILL to the workers and the primary (the database and redis-lite die with it: pdeathsig, stdin). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    for (const pid of Object.values((await this.status())?.workers ?? {})) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  private healthy(): Promise<boolean> {
    return fetch(`${this.url}/api/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
  }

  private async until(ms: number, what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await done()) return;
      await sleep(100);
    }
    throw new Error(`cluster: no ${what} within ${ms} ms:\n${this.tail.join("\n")}`);
  }
}

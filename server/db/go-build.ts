// Go programs the project builds for itself from the Go module proxy into .tools/bin: the embedded
// FerretDB (ferretdb-build.ts) and, for the multi-process tests, redis-lite (scripts/redis-lite).
// A binary is used only if it runs and the marker file beside it names what it was built from;
// otherwise it is rebuilt, under a lock so that parallel starts wait for one build. Long steps
// print a progress line every few seconds: a first FerretDB build is minutes of compiling on 2 CPUs.
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

const PROGRESS_EVERY_MS = 10_000;
const LOCK_STALE_MS = 15 * 60_000;

export type BuildLog = (msg: string) => void;

export interface GoBinary {
  /** For messages: "FerretDB". */
  name: string;
  bin: string;
  /** What the binary is built from (a version, a patch set, a source hash), kept in `marker`. */
  buildId: string;
  marker: string;
  /** Appended to every failure message: what the user can do instead. */
  hint: string;
  /** Said when the build starts: which version, how long it takes, when it happens. */
  expectedTime: string;
  /** True if the binary at this path starts (a leftover from a failed build may not). */
  works(bin: string): Promise<boolean>;
  /** Builds the binary at `out` (a temporary name, renamed into place when it works). */
  build(out: string, log: BuildLog): Promise<void>;
}

/** The path of a working binary built from `buildId`, building it first when there is none. */
export async function ensureGoBinary(target: GoBinary, log: BuildLog): Promise<string> {
  if (await isCurrent(target)) return target.bin;
  await fs.mkdir(path.dirname(target.bin), { recursive: true });
  const release = await acquireLock(`${target.bin}.lock`, target.name, log);
  try {
    // Another process may have finished the build while we waited for the lock.
    if (await isCurrent(target)) return target.bin;
    const started = Date.now();
    log(`Building ${target.name} (${target.expectedTime})…`);
    // Build to a temp name and rename, so a half-written binary is never picked up.
    const tmp = `${target.bin}.tmp-${process.pid}`;
    await target.build(tmp, log);
    await fs.rm(target.marker, { force: true });
    await fs.rename(tmp, target.bin);
    if (!(await target.works(target.bin))) {
      throw new Error(`${target.name} build failed at step "verify": ${target.bin} does not start. ${target.hint}`);
    }
    await fs.writeFile(target.marker, `${target.buildId}\n`);
    log(`${target.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${target.bin}`);
    return target.bin;
  } finally {
    await release();
  }
}

async function isCurrent(target: GoBinary): Promise<boolean> {
  const marker = await fs.readFile(target.marker, "utf8").catch(() => "");
  return marker.trim() === target.buildId && (await target.works(target.bin));
}

export interface GoStep {
  /** Names the step in the failure message: `FerretDB build failed at step "go build"`. */
  step: string;
  args: string[];
  cwd: string;
  target: Pick<GoBinary, "name" | "hint">;
  log: BuildLog;
  /** For `go build -v`: how many packages it may compile, so progress reads "120 of 380". */
  packages?: number;
}

/** Runs one `go` command, logging progress while it runs and its output's tail if it fails. */
export function runGo({ step, args, cwd, target, log, packages }: GoStep): Promise<string> {
  log(`  go ${args.join(" ")}`);
  const started = Date.now();
  const countsPackages = args[0] === "build" && args.includes("-v");
  let compiled = 0;
  let stdout = "";
  let tail = "";
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, {
      cwd,
      // -buildvcs=false: the build folders sit inside the project's git work tree.
      env: { ...process.env, GOFLAGS: "-buildvcs=false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const progress = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const count = countsPackages ? `, ${compiled}${packages ? ` of at most ${packages}` : ""} packages compiled` : "";
      log(`    … ${step}: ${seconds} s${count}`);
    }, PROGRESS_EVERY_MS);
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
      keep(b);
    });
    // `go build -v` names each package on stderr as it compiles it.
    child.stderr.on("data", (b: Buffer) => {
      keep(b);
      if (countsPackages) compiled += b.toString().split("\n").length - 1;
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      clearInterval(progress);
      const why = err.code === "ENOENT" ? `"go" is not installed or not on PATH (Go ≥ 1.22 is needed)` : err.message;
      reject(new Error(`${target.name} build failed at step "${step}": ${why}. ${target.hint}`));
    });
    child.on("close", (code, signal) => {
      clearInterval(progress);
      if (code === 0) return resolve(stdout);
      const lines = tail.trim().split("\n").slice(-15).join("\n");
      reject(new Error(`${target.name} build failed at step "${step}" (${signal ?? `exit code ${code}`}):\n${lines}\n${target.hint}`));
    });
  });
}

/** Exclusive-create lock file; waits while another process builds, breaks it when stale. */
async function acquireLock(lockPath: string, name: string, log: BuildLog): Promise<() => Promise<void>> {
  let announced = false;
  for (;;) {
    try {
      const fh = await fs.open(lockPath, "wx");
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return () => fs.rm(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const stat = await fs.stat(lockPath).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) {
      log(`Removing stale lock ${lockPath}`);
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (!announced) {
      log(`Waiting for another process building ${name} (lock: ${lockPath})…`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

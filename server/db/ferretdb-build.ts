// Builds the FerretDB binary used as the embedded database when no mongod is on PATH.
// `go install ...@v1.24.2` produces a binary that panics at start: the module zip lacks the
// generated build/version/version.txt. So we vendor the module, write that file, apply our
// patches (ferretdb-patches/, see docs/database.md "Patched FerretDB") and build.
import { spawn, execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { applyFerretdbPatches, PATCH_ID } from "./ferretdb-patches/apply";

export const FERRETDB_VERSION = "v1.24.2";
const FERRETDB_PKG = "github.com/FerretDB/FerretDB/cmd/ferretdb";
const LOCK_STALE_MS = 15 * 60_000;

const HINT =
  "To skip the embedded database, set MONGODB_URI to an existing MongoDB " +
  "(e.g. MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0').";

export interface FerretdbBuildOptions {
  /** Build upstream FerretDB without our patches (only to compare against, e.g. in benchmarks). */
  stock?: boolean;
}

export async function ensureFerretdb(
  toolsDir: string,
  log: (msg: string) => void,
  opts: FerretdbBuildOptions = {},
): Promise<string> {
  const bin = path.join(toolsDir, "bin", "ferretdb");
  const patchId = opts.stock ? STOCK_ID : PATCH_ID;
  if (await isCurrent(bin, patchId)) return bin;

  await fs.mkdir(toolsDir, { recursive: true });
  const release = await acquireLock(path.join(toolsDir, "ferretdb-build.lock"), log);
  try {
    // Another process may have finished the build while we waited for the lock.
    if (await isCurrent(bin, patchId)) return bin;
    await build(toolsDir, bin, patchId, log);
    return bin;
  } finally {
    await release();
  }
}

const STOCK_ID = "stock";

/** The file next to the binary that records which patches it was built with. */
const markerOf = (bin: string) => `${bin}.patches`;

/** The binary runs and was built with exactly these patches (an older build is rebuilt). */
async function isCurrent(bin: string, patchId: string): Promise<boolean> {
  const marker = await fs.readFile(markerOf(bin), "utf8").catch(() => "");
  return marker.trim() === patchId && (await binaryWorks(bin));
}

/** A leftover binary from a plain `go install` exists but panics, so "exists" is not enough. */
async function binaryWorks(bin: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(bin, ["--version"], { timeout: 15_000 }, (err, stdout) => {
      resolve(!err && stdout.includes(FERRETDB_VERSION));
    });
  });
}

async function build(toolsDir: string, bin: string, patchId: string, log: (msg: string) => void): Promise<void> {
  const started = Date.now();
  const dir = path.join(toolsDir, "ferretdb-build");
  log(`Building FerretDB ${FERRETDB_VERSION} (${patchId}; first start only, takes about a minute)…`);

  await fs.mkdir(dir, { recursive: true });
  await runStep("go version", "go", ["version"], dir, log);
  await fs.writeFile(path.join(dir, "go.mod"), "module labshare.local/ferretdb-build\n\ngo 1.22\n");
  await fs.writeFile(
    path.join(dir, "tools.go"),
    `//go:build tools\n\npackage tools\n\nimport _ "${FERRETDB_PKG}"\n`,
  );
  await runStep("go get", "go", ["get", `${FERRETDB_PKG}@${FERRETDB_VERSION}`], dir, log);
  await runStep("go mod tidy", "go", ["mod", "tidy"], dir, log);
  await runStep("go mod vendor", "go", ["mod", "vendor"], dir, log);

  log("  write vendor/github.com/FerretDB/FerretDB/build/version/version.txt");
  const moduleDir = path.join(dir, "vendor/github.com/FerretDB/FerretDB");
  await fs.writeFile(path.join(moduleDir, "build/version/version.txt"), `${FERRETDB_VERSION}\n`);
  if (patchId !== STOCK_ID) {
    try {
      await applyFerretdbPatches(moduleDir, log);
    } catch (err) {
      throw new Error(`FerretDB build failed at step "patch": ${(err as Error).message} ${HINT}`);
    }
  }

  // Build to a temp name and rename, so a half-written binary is never picked up.
  await fs.mkdir(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  await runStep("go build", "go", ["build", "-mod=vendor", "-o", tmp, FERRETDB_PKG], dir, log);
  await fs.rm(markerOf(bin), { force: true });
  await fs.rename(tmp, bin);

  if (!(await binaryWorks(bin))) {
    throw new Error(`FerretDB build failed at step "verify": ${bin} --version did not report ${FERRETDB_VERSION}. ${HINT}`);
  }
  await fs.writeFile(markerOf(bin), `${patchId}\n`);
  log(`FerretDB ${FERRETDB_VERSION} built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${bin}`);
}

function runStep(
  step: string,
  cmd: string,
  args: string[],
  cwd: string,
  log: (msg: string) => void,
): Promise<void> {
  log(`  ${cmd} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(cmd, args, {
      cwd,
      // -buildvcs=false: the build folder sits inside the project's git work tree.
      env: { ...process.env, GOFLAGS: "-buildvcs=false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "ENOENT" ? `"${cmd}" is not installed or not on PATH` : err.message;
      reject(new Error(`FerretDB build failed at step "${step}": ${why}. ${HINT}`));
    });
    child.on("close", (code, signal) => {
      if (code === 0) return resolve();
      const tail = output.trim().split("\n").slice(-15).join("\n");
      reject(
        new Error(
          `FerretDB build failed at step "${step}" (${signal ?? `exit code ${code}`}):\n${tail}\n${HINT}`,
        ),
      );
    });
  });
}

/** Exclusive-create lock file; waits while another process builds, breaks it when stale. */
async function acquireLock(lockPath: string, log: (msg: string) => void): Promise<() => Promise<void>> {
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
      log(`Waiting for another process building FerretDB (lock: ${lockPath})…`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

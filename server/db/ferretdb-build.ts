// Builds the FerretDB binary used as the embedded database when no mongod is on PATH.
// `go install ...@v1.24.2` produces a binary that panics at start: the module zip lacks the
// generated build/version/version.txt. So we vendor the module, write that file, apply our
// patches (ferretdb-patches/, see docs/database.md "Patched FerretDB") and build.
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { applyFerretdbPatches, PATCH_ID } from "./ferretdb-patches/apply";
import { ensureGoBinary, runGo, type BuildLog, type GoBinary } from "./go-build";

export const FERRETDB_VERSION = "v1.24.2";
const FERRETDB_PKG = "github.com/FerretDB/FerretDB/cmd/ferretdb";
const STOCK_ID = "stock";

const HINT =
  "To skip the embedded database, set MONGODB_URI to an existing MongoDB " +
  "(e.g. MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0').";

export interface FerretdbBuildOptions {
  /** Build upstream FerretDB without our patches (only to compare against, e.g. in benchmarks). */
  stock?: boolean;
}

export async function ensureFerretdb(toolsDir: string, log: BuildLog, opts: FerretdbBuildOptions = {}): Promise<string> {
  const bin = path.join(toolsDir, "bin", "ferretdb");
  const patchId = opts.stock ? STOCK_ID : PATCH_ID;
  const target: GoBinary = {
    name: "FerretDB",
    bin,
    buildId: patchId,
    // Records which patches the binary was built with (an older build is rebuilt).
    marker: `${bin}.patches`,
    hint: HINT,
    expectedTime: `${FERRETDB_VERSION}, ${patchId}; first start only: 2–4 minutes on 2 CPUs, ~15 s with a warm Go build cache`,
    works: binaryWorks,
    build: (out, buildLog) => build(path.join(toolsDir, "ferretdb-build"), out, patchId, target, buildLog),
  };
  return ensureGoBinary(target, log);
}

/** A leftover binary from a plain `go install` exists but panics, so "exists" is not enough. */
async function binaryWorks(bin: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(bin, ["--version"], { timeout: 15_000 }, (err, stdout) => {
      resolve(!err && stdout.includes(FERRETDB_VERSION));
    });
  });
}

async function build(dir: string, out: string, patchId: string, target: GoBinary, log: BuildLog): Promise<void> {
  const go = (step: string, args: string[], packages?: number) => runGo({ step, args, cwd: dir, target, log, packages });
  await fs.mkdir(dir, { recursive: true });
  await go("go version", ["version"]);
  await fs.writeFile(path.join(dir, "go.mod"), "module labshare.local/ferretdb-build\n\ngo 1.22\n");
  await fs.writeFile(
    path.join(dir, "tools.go"),
    `//go:build tools\n\npackage tools\n\nimport _ "${FERRETDB_PKG}"\n`,
  );
  await go("go get", ["get", `${FERRETDB_PKG}@${FERRETDB_VERSION}`]);
  await go("go mod tidy", ["mod", "tidy"]);
  await go("go mod vendor", ["mod", "vendor"]);

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

  // How many packages a build from an empty Go cache compiles (the standard library's among them).
  const deps = await go("go list", ["list", "-mod=vendor", "-deps", FERRETDB_PKG]);
  await go("go build", ["build", "-v", "-mod=vendor", "-o", out, FERRETDB_PKG], deps.trim().split("\n").length);
}

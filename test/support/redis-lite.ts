// redis-lite (scripts/redis-lite: miniredis behind a tiny Go main), built from the Go module proxy
// into .tools/bin like the embedded FerretDB, for machines without redis-server. Rebuilt when its
// Go sources change (their hash is the marker).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../server/config";
import { ensureGoBinary, runGo, type BuildLog, type GoBinary } from "../../server/db/go-build";

const SOURCE_DIR = path.join(PROJECT_ROOT, "scripts", "redis-lite");
const SOURCES = ["main.go", "go.mod", "go.sum"];

async function sourceHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of SOURCES) hash.update(file).update("\0").update(await fs.readFile(path.join(SOURCE_DIR, file)));
  return hash.digest("hex").slice(0, 16);
}

function answersVersion(bin: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(bin, ["--version"], { timeout: 10_000 }, (err, stdout) => resolve(!err && stdout.startsWith("redis-lite")));
  });
}

export async function ensureRedisLite(toolsDir: string, log: BuildLog): Promise<string> {
  const bin = path.join(toolsDir, "bin", "redis-lite");
  const target: GoBinary = {
    name: "redis-lite",
    bin,
    buildId: `source/${await sourceHash()}`,
    marker: `${bin}.source`,
    hint: "Or install redis-server, which the tests use when it is on PATH.",
    expectedTime: "first test run only, 5–30 s",
    works: answersVersion,
    build: (out, buildLog) => runGo({ step: "go build", args: ["build", "-v", "-o", out, "."], cwd: SOURCE_DIR, target, log: buildLog }).then(() => {}),
  };
  return ensureGoBinary(target, log);
}

// `npm start` / `npm run build:client`: builds the web client into client/dist, but only when its
// inputs changed since the last build (a build takes ~20 s on 2 CPUs). The inputs are hashed:
// client/ (minus dist), shared/ (imported by the client), package.json and the lockfile.
// The hash of the last successful build is kept in client/dist/.build-hash; `--force` rebuilds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../server/config";

const DIST = path.join(PROJECT_ROOT, "client", "dist");
const STAMP = path.join(DIST, ".build-hash");
const INPUTS = ["client", "shared", "package.json", "package-lock.json"];
const SKIP = new Set([DIST, path.join(PROJECT_ROOT, "client", "node_modules")]);

async function filesUnder(p: string): Promise<string[]> {
  if (SKIP.has(p)) return [];
  const stat = await fs.stat(p).catch(() => undefined);
  if (!stat) return [];
  if (!stat.isDirectory()) return [p];
  const entries = (await fs.readdir(p)).sort();
  return (await Promise.all(entries.map((e) => filesUnder(path.join(p, e))))).flat();
}

async function inputsHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    for (const file of await filesUnder(path.join(PROJECT_ROOT, input))) {
      hash.update(path.relative(PROJECT_ROOT, file)).update("\0").update(await fs.readFile(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

async function main(): Promise<void> {
  const force = process.argv.includes("--force");
  const hash = await inputsHash();
  const built = await fs.readFile(STAMP, "utf8").catch(() => "");
  if (!force && built.trim() === hash && existsSync(path.join(DIST, "index.html"))) {
    console.log("Client unchanged since its last build: skipping `vite build` (npm run build:client forces it)");
    return;
  }
  const vite = path.join(PROJECT_ROOT, "node_modules", "vite", "bin", "vite.js");
  const run = spawnSync(process.execPath, [vite, "build", "--config", "client/vite.config.ts"], {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  await fs.writeFile(STAMP, hash + "\n");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

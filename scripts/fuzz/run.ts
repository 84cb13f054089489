// `npm run fuzz -- --runs=200 --seed=7 --seconds=1800`: the long property-based fuzz of every
// OpenAPI operation (test/integration/route-property-fuzz.test.ts) on the embedded test database.
// --runs: cases per operation; --seconds: the time budget (an operation reached behind it gets one
// case); --seed: replays a run; --shrink: shrink a failure to its smallest request (slower).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../../server/config";

const args = new Map<string, string | undefined>(process.argv.slice(2).map((a) => {
  const [key, value] = a.replace(/^--/, "").split("=");
  return [key!, value];
}));
const runs = Number(args.get("runs") ?? 100);
const seconds = Number(args.get("seconds") ?? 600);
const seed = Number(args.get("seed") ?? Date.now() % 1_000_000);
if (![runs, seconds, seed].every(Number.isInteger)) {
  console.error("usage: npm run fuzz -- [--runs=N] [--seconds=T] [--seed=S] [--shrink]");
  process.exit(2);
}
console.log(`fuzz: ${runs} runs per operation, ${seconds} s budget, seed ${seed}`);
const mocha = path.join(PROJECT_ROOT, "node_modules", ".bin", "mocha");
const result = spawnSync(mocha, ["test/integration/route-property-fuzz.test.ts"], {
  cwd: PROJECT_ROOT,
  stdio: "inherit",
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SECONDS: String(seconds), FUZZ_SEED: String(seed), ...(args.has("shrink") ? { FUZZ_SHRINK: "1" } : {}) },
});
process.exit(result.status ?? 1);

// `npm run fuzz:schemathesis`: schemathesis (from PyPI) with its checks against GET /api/openapi.json,
// once per kind of caller, on a fresh server with the demo city on the embedded database.
//
//   npm run fuzz:schemathesis                       # full: every caller, examples + coverage + fuzzing, 25 cases per operation
//   npm run fuzz:schemathesis -- --quick            # short: every caller, fuzzing only, 5 cases per operation
//   npm run fuzz:schemathesis -- --max-examples=100 --seed=7 --roles=anonymous,bureau_admin
//
// Installs schemathesis into .tools/schemathesis-venv (git ignores .tools) on first use; needs python3
// with venv and pip reaching PyPI. Reports (JUnit, NDJSON) and each caller's output go to
// .data/schemathesis/<caller>/. Exit code 0 when no check failed, 1 on failures, 2 when it could not run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../../server/config";
import { DEMO_PASSWORD } from "../../server/demo/seed";

const SCHEMATHESIS = "schemathesis==4.32.5";
const VENV = path.join(PROJECT_ROOT, ".tools", "schemathesis-venv");
const ST = path.join(VENV, "bin", "st");
const REPORTS = path.join(PROJECT_ROOT, ".data", "schemathesis");

/** The callers: anonymous, and one demo login per role (the pending enterprise is another organization's admin). */
const CALLERS: Record<string, string | null> = {
  anonymous: null,
  bureau_admin: "admin@demo.labshare",
  bureau_reviewer: "reviewer@demo.labshare",
  enterprise_admin: "enterprise@demo.labshare",
  enterprise_member: "member@demo.labshare",
  pending_enterprise_admin: "newcomer@demo.labshare",
  provider_admin: "provider@demo.labshare",
  provider_staff: "staff@demo.labshare",
};

/**
 * Every check but positive_data_acceptance: a schema-valid request may still break a rule JSON
 * Schema cannot state (a credit code's check character, a common password, open hours on the slot
 * grid, minPriceFen ≤ maxPriceFen, times within 2000–2100). Those answer a documented 400/422 with a
 * field error; the OpenAPI descriptions name the cross-field rules.
 */
const EXCLUDED_CHECKS = ["positive_data_acceptance"];

const args = new Map<string, string | undefined>(process.argv.slice(2).map((a) => {
  const [key, value] = a.replace(/^--/, "").split("=");
  return [key!, value];
}));
const quick = args.has("quick");
const maxExamples = Number(args.get("max-examples") ?? (quick ? 5 : 25));
const seed = Number(args.get("seed") ?? 13);
const phases = args.get("phases") ?? (quick ? "fuzzing" : "examples,coverage,fuzzing");
const roles = (args.get("roles") ?? Object.keys(CALLERS).join(",")).split(",");
const unknownRole = roles.find((r) => !(r in CALLERS));
if (unknownRole || !Number.isInteger(maxExamples) || !Number.isInteger(seed)) {
  console.error(`usage: npm run fuzz:schemathesis -- [--quick] [--max-examples=N] [--seed=S] [--phases=a,b] [--roles=${Object.keys(CALLERS).join(",")}]`);
  process.exit(2);
}

function hasPython(): boolean {
  return spawnSync("python3", ["-c", "import venv, ensurepip"], { stdio: "ignore" }).status === 0;
}

function installSchemathesis(): void {
  if (existsSync(ST)) return;
  console.log(`installing ${SCHEMATHESIS} into ${path.relative(PROJECT_ROOT, VENV)} …`);
  const venv = spawnSync("python3", ["-m", "venv", VENV], { stdio: "inherit" });
  const pip = venv.status === 0 ? spawnSync(path.join(VENV, "bin", "pip"), ["install", "--quiet", SCHEMATHESIS], { stdio: "inherit" }) : venv;
  if (pip.status !== 0 || !existsSync(ST)) {
    console.error("could not install schemathesis (python3 -m venv, then pip install from PyPI)");
    process.exit(2);
  }
}

/** The real server (server/main.ts) on a free port, with the demo city in a fresh embedded database. */
async function startServer(dataDir: string, log: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env, PORT: "0", HOST: "127.0.0.1", LABSHARE_DATA_DIR: dataDir, LABSHARE_DEMO: "1", LOG_LEVEL: "warn",
      // The fuzzers log in and register far more than a person: limits would answer 429 instead of testing.
      LOGIN_ATTEMPTS_PER_15_MIN: "10000", REGISTRATIONS_PER_IP_PER_HOUR: "1000000",
      MONGODB_URI: "", LABSHARE_ADMIN_EMAIL: "", LABSHARE_ADMIN_PASSWORD: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 5 minutes; its output is in ${log}`)), 300_000);
    const poll = setInterval(() => {
      const m = output.match(/running at (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 200);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}; its output is in ${log}`));
    });
  }).catch(async (err: unknown) => {
    await writeFile(log, output);
    throw err;
  });
  return { url, child, output: () => output };
}

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login as ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

interface Outcome {
  caller: string;
  status: number;
  operations: string;
  cases: string;
  failures: Map<string, number>;
}

/** Runs schemathesis as one caller; its output goes to <reports>/<caller>/output.txt. */
async function runAs(caller: string, url: string, token: string | null): Promise<Outcome> {
  const dir = path.join(REPORTS, caller);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const st = [
    "run", `${url}/api/openapi.json`, "--checks", "all", "--exclude-checks", EXCLUDED_CHECKS.join(","),
    "--max-examples", String(maxExamples), "--seed", String(seed), "--phases", phases, "--no-color",
    "--workers", "2", "--request-timeout", "30", "--suppress-health-check", "all",
    "--report", "junit,ndjson", "--report-dir", dir,
    // Logging out would end the session the run uses; anonymous callers still get it.
    ...(token ? ["-H", `Authorization: Bearer ${token}`, "--exclude-path", "/api/auth/logout"] : []),
  ];
  const child = spawn(ST, st, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SCHEMATHESIS_HOOKS: "" } });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const status = await new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  await writeFile(path.join(dir, "output.txt"), out);
  const failures = new Map<string, number>();
  const section = out.split(/^Failures:$/m)[1]?.split(/^\S/m)[0] ?? "";
  for (const m of section.matchAll(/❌ (ST\d+ [^:]+): (\d+)/g)) failures.set(m[1]!, Number(m[2]));
  return {
    caller, status, failures,
    operations: out.match(/Operations:\s+(.+)/)?.[1]?.trim() ?? "?",
    cases: out.match(/^\s*(\d+ generated.*)$/m)?.[1]?.trim() ?? "?",
  };
}

/** Children to stop when the run is interrupted (Ctrl-C): the server, and the schemathesis of the moment. */
const children = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    children.forEach((c) => c.kill("SIGTERM"));
    process.exit(130);
  });
}

async function main(): Promise<number> {
  if (!hasPython()) {
    console.log("schemathesis: skipped, python3 with venv is not installed (it installs schemathesis from PyPI into .tools/)");
    return 0;
  }
  installSchemathesis();
  await mkdir(REPORTS, { recursive: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "labshare-schemathesis-"));
  const serverLog = path.join(REPORTS, "server.log");
  const started = Date.now();
  const server = await startServer(dataDir, serverLog);
  console.log(`server with the demo city at ${server.url} in ${((Date.now() - started) / 1000).toFixed(0)} s; ${maxExamples} cases per operation, phases ${phases}, seed ${seed}`);
  const outcomes: Outcome[] = [];
  try {
    for (const caller of roles) {
      const t0 = Date.now();
      const email = CALLERS[caller]!;
      const outcome = await runAs(caller, server.url, email ? await login(server.url, email) : null);
      outcomes.push(outcome);
      const failed = [...outcome.failures].map(([k, n]) => `${k}: ${n}`).join(", ") || (outcome.status === 0 ? "no failures" : `exit ${outcome.status}, see output.txt`);
      console.log(`  ${caller.padEnd(25)} ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  ${outcome.operations}; ${outcome.cases}; ${failed}`);
    }
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
    await writeFile(serverLog, server.output());
    await rm(dataDir, { recursive: true, force: true });
  }
  const total = new Map<string, number>();
  for (const o of outcomes) for (const [k, n] of o.failures) total.set(k, (total.get(k) ?? 0) + n);
  const failed = outcomes.filter((o) => o.status !== 0);
  console.log(`schemathesis: ${outcomes.length} callers in ${((Date.now() - started) / 1000).toFixed(0)} s; ${failed.length === 0 ? "0 failures" : `failures ${[...total].map(([k, n]) => `${k}: ${n}`).join(", ") || "(see output)"}`}; reports in ${path.relative(PROJECT_ROOT, REPORTS)}/`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);

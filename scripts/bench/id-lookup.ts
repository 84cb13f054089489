// Reads and writes by `_id` on the embedded FerretDB as a collection grows: labshare's patched
// build against stock FerretDB v1.24.2 (docs/database.md "Patched FerretDB"). Each build gets its
// own server and temp data dir; one collection of claim-like documents (`<instrument>:<slot>`
// ids, 168 hourly slots a week per instrument) grows to each size, and at each size we time
//   findOne by _id · updateOne by _id · deleteOne by _id (re-inserted, untimed) ·
//   find {_id: {$in: one instrument-week of 168 ids}} · findOne by a non-_id field (a scan on both).
// Loops are bounded by count and time. The stock build goes to .tools/ferretdb-stock (~1 min once).
// Run: npx tsx scripts/bench/id-lookup.ts [--patched-only] [--sizes=1000,10000,50000]
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import mongoose from "mongoose";
import { loadConfig } from "../../server/config";
import { ensureFerretdb } from "../../server/db/ferretdb-build";
import { random } from "./support";

const SLOTS_PER_WEEK = 168;
const MAX_ITERATIONS = 200;
/** Per operation and size; slow (stock) operations stop early but still run at least MIN_ITERATIONS. */
const TIME_BUDGET_MS = 3_000;
const MIN_ITERATIONS = 3;
const INSERT_BATCH = 1_000;
const OPS = ["findOne _id", "updateOne _id", "deleteOne _id", "find _id $in 168", "findOne other field"] as const;
type Op = (typeof OPS)[number];

interface Claim {
  _id: string;
  instrumentId: string;
  start: Date;
  end: Date;
  bookingId: string;
  seq: number;
  state: string;
}

const args = process.argv.slice(2);
const SIZES = (args.find((a) => a.startsWith("--sizes="))?.slice(8) ?? "1000,10000,50000").split(",").map(Number);
const PATCHED_ONLY = args.includes("--patched-only");

const WEEK_START = Date.UTC(2026, 0, 5);
function claim(seq: number): Claim {
  const instrumentId = `inst${Math.floor(seq / SLOTS_PER_WEEK)}`;
  const start = new Date(WEEK_START + (seq % SLOTS_PER_WEEK) * 3_600_000);
  return {
    _id: `${instrumentId}:${start.toISOString()}:0`,
    instrumentId,
    start,
    end: new Date(start.getTime() + 3_600_000),
    bookingId: `bk${seq.toString(36).padStart(8, "0")}`,
    seq,
    state: "held",
  };
}


/**
 * Median ms of `run` (or of the part it reports, if it returns a number), after one untimed
 * warm-up, within MAX_ITERATIONS and TIME_BUDGET_MS.
 */
async function time(run: () => Promise<number | void>): Promise<number> {
  await run();
  const samples: number[] = [];
  const deadline = performance.now() + TIME_BUDGET_MS;
  while (samples.length < MAX_ITERATIONS && (samples.length < MIN_ITERATIONS || performance.now() < deadline)) {
    const t0 = performance.now();
    const reported = await run();
    samples.push(reported ?? performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

function expect(what: string, ok: boolean): void {
  if (!ok) throw new Error(`benchmark sanity check failed: ${what}`);
}

async function measure(col: mongoose.mongo.Collection<Claim>, size: number): Promise<Record<Op, number>> {
  const rnd = random(size);
  const anySeq = () => Math.floor(rnd() * size);
  const weeks = Math.floor(size / SLOTS_PER_WEEK);
  return {
    "findOne _id": await time(async () => {
      const seq = anySeq();
      expect("findOne by _id", (await col.findOne({ _id: claim(seq)._id }))?.seq === seq);
    }),
    "updateOne _id": await time(async () => {
      const res = await col.updateOne({ _id: claim(anySeq())._id }, { $set: { state: "confirmed" } });
      expect("updateOne matched", res.matchedCount === 1);
    }),
    "deleteOne _id": await time(async () => {
      const doc = claim(anySeq());
      const t0 = performance.now();
      const deleted = (await col.deleteOne({ _id: doc._id })).deletedCount;
      const ms = performance.now() - t0;
      expect("deleteOne deleted", deleted === 1);
      await col.insertOne(doc); // keeps the size; not timed
      return ms;
    }),
    "find _id $in 168": await time(async () => {
      const week = Math.floor(rnd() * weeks);
      const ids = Array.from({ length: SLOTS_PER_WEEK }, (_, i) => claim(week * SLOTS_PER_WEEK + i)._id);
      expect("$in found the week", (await col.find({ _id: { $in: ids } }).toArray()).length === SLOTS_PER_WEEK);
    }),
    "findOne other field": await time(async () => {
      const seq = anySeq();
      expect("findOne by bookingId", (await col.findOne({ bookingId: claim(seq).bookingId }))?.seq === seq);
    }),
  };
}

/** Starts `bin` on a free loopback port with the flags server/db/embedded.ts uses. */
async function startFerretdb(bin: string, dataDir: string) {
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
  const child = spawn(
    bin,
    ["--handler=sqlite", `--sqlite-url=file:${dataDir}/`, `--listen-addr=127.0.0.1:${port}`, "--debug-addr=-",
      `--state-dir=${dataDir}`, "--telemetry=disable", "--log-level=warn"],
    { stdio: "ignore" },
  );
  const kill = () => child.kill("SIGKILL");
  process.on("exit", kill);
  const client = new mongoose.mongo.MongoClient(`mongodb://127.0.0.1:${port}/?retryWrites=false&directConnection=true`, {
    serverSelectionTimeoutMS: 30_000,
  });
  await client.connect();
  return {
    client,
    async stop() {
      await client.close();
      process.off("exit", kill);
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

async function runBuild(label: string, bin: string): Promise<Map<number, Record<Op, number>>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-bench-id-"));
  const server = await startFerretdb(bin, dir);
  const results = new Map<number, Record<Op, number>>();
  try {
    const col = server.client.db("bench").collection<Claim>("claims");
    let inserted = 0;
    console.log(`\n${label}\n${"docs".padStart(7)}${OPS.map((op) => op.padStart(22)).join("")}`);
    for (const size of SIZES) {
      while (inserted < size) {
        const n = Math.min(INSERT_BATCH, size - inserted);
        await col.insertMany(Array.from({ length: n }, (_, i) => claim(inserted + i)));
        inserted += n;
      }
      const r = await measure(col, size);
      results.set(size, r);
      console.log(`${size.toLocaleString("en").padStart(7)}${OPS.map((op) => `${r[op].toFixed(2)} ms`.padStart(22)).join("")}`);
    }
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
  return results;
}

function printRatios(title: string, rows: [string, (op: Op) => number][]): void {
  console.log(`\n${title}\n${"".padStart(18)}${OPS.map((op) => op.padStart(22)).join("")}`);
  for (const [label, ratio] of rows) {
    console.log(`${label.padStart(18)}${OPS.map((op) => `${ratio(op).toFixed(2)}×`.padStart(22)).join("")}`);
  }
}

async function main(): Promise<void> {
  const { toolsDir } = loadConfig({ LOG_LEVEL: "silent" });
  const log = (msg: string) => console.log(msg);
  const load = () => os.loadavg()[0]!.toFixed(1);
  console.log(`id-lookup: ${os.cpus().length} CPUs, load ${load()}, Node ${process.version}; median ms per operation, one client`);
  const patchedBin = await ensureFerretdb(toolsDir, log);
  const stockBin = PATCHED_ONLY ? undefined : await ensureFerretdb(path.join(toolsDir, "ferretdb-stock"), log, { stock: true });

  const patched = await runBuild("patched FerretDB v1.24.2 (labshare build)", patchedBin);
  const stock = stockBin ? await runBuild("stock FerretDB v1.24.2", stockBin) : undefined;

  console.log(`\n(load average at the end: ${load()})`);
  const [first, last] = [SIZES[0]!, SIZES[SIZES.length - 1]!];
  const growth = (r: Map<number, Record<Op, number>>) => (op: Op) => r.get(last)![op] / r.get(first)![op];
  printRatios(`growth, ${last.toLocaleString("en")} docs ÷ ${first.toLocaleString("en")} docs`, [
    ["patched", growth(patched)],
    ...(stock ? ([["stock", growth(stock)]] as [string, (op: Op) => number][]) : []),
  ]);
  if (stock) {
    printRatios(
      "speed-up, stock ms ÷ patched ms",
      SIZES.map((size) => [`${size.toLocaleString("en")} docs`, (op: Op) => stock.get(size)![op] / patched.get(size)![op]]),
    );
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

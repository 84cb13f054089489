// Package schedule preview latency on the demo city: a fresh FerretDB (or mongod) in a temp dir, the
// demo city seeded, the real server on port 0, then sequential GET /api/packages/:id/schedule for
// each of the 12 demo packages from next Monday 08:00 (Asia/Shanghai), against GET /api/health as the
// baseline; once on the empty calendar, once after every package was booked once (claims in place).
// Run: npx tsx scripts/bench/package-schedule.ts
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { loadConfig } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase } from "../../server/db/embedded";
import { createLogger } from "../../server/logger";
import { startServer } from "../../server/server";
import { seedDemoCity } from "../../server/demo/seed";
import { runBench } from "./support";

const ROUNDS = 20;
const WARM_UP = 3;
/** The target for one preview on the demo city. */
const TARGET_MS = 100;

function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1]! };
}

function line(label: string, ms: number[]): ReturnType<typeof stats> {
  const s = stats(ms);
  const f = (x: number) => x.toFixed(2).padStart(7);
  console.log(`${label.padEnd(44)} n=${String(ms.length).padEnd(4)} median ${f(s.median)} ms  p90 ${f(s.p90)} ms  max ${f(s.max)} ms`);
  return s;
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = await res.json();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms, body };
}

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: "silent" });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "labshare-bench-"));
  const db = await startEmbeddedDatabase({ dataDir: dir, toolsDir: config.toolsDir, log: () => {} });
  const conn = await connectDatabase(db.uri, "bench");
  try {
    const seeded = await seedDemoCity(conn);
    const packageIds = (await conn.collection("packages").find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((p) => String(p._id));
    const server = await startServer({ config, conn, logger: createLogger("silent") }, 0);
    try {
      const start = DateTime.now().setZone("Asia/Shanghai").startOf("week").plus({ weeks: 1 }).set({ hour: 8 }).toISO()!;
      const previewUrl = (id: string) => `${server.url}/api/packages/${id}/schedule?start=${encodeURIComponent(start)}`;
      console.log(`package schedule benchmark: demo city (${seeded.counts.instruments ?? "?"} instruments, ${packageIds.length} packages), from ${start}, embedded ${db.kind}, Node ${process.version}, ${os.cpus().length} CPUs`);

      const measure = async (title: string) => {
        for (let i = 0; i < WARM_UP; i++) for (const id of packageIds) await timed(previewUrl(id));
        const health: number[] = [];
        const per = new Map<string, number[]>(packageIds.map((id) => [id, []]));
        for (let i = 0; i < ROUNDS; i++) {
          health.push((await timed(`${server.url}/api/health`)).ms);
          for (const id of packageIds) per.get(id)!.push((await timed(previewUrl(id))).ms);
        }
        console.log(`\n${title}`);
        const h = line("GET /api/health (baseline)", health);
        for (const [id, ms] of per) line(`GET /api/packages/${id}/schedule`, ms);
        const all = line("all 12 packages", [...per.values()].flat());
        console.log(`preview / health: median ${(all.median / h.median).toFixed(1)}×, p90 ${(all.p90 / h.p90).toFixed(1)}×`);
        const worst = (key: "median" | "p90") => Math.max(...[...per.values()].map((ms) => stats(ms)[key]));
        const verdict = (key: "median" | "p90") => `${worst(key) <= TARGET_MS ? "met" : "NOT met"} (worst ${worst(key).toFixed(2)} ms)`;
        console.log(`target ≤ ${TARGET_MS} ms: every package's median → ${verdict("median")}; every package's p90 → ${verdict("p90")}`);
      };

      await measure("empty calendar");

      // Book every package once as the demo enterprise, so the previews read real claims.
      const ent = seeded.logins.find((l) => l.role === "enterprise_admin" && !l.note)!;
      const { body } = await timed(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ent.email, password: ent.password }) });
      const token = (body as { token: string }).token;
      let claims = 0;
      const bookMs: number[] = [];
      for (const id of packageIds) {
        const res = await timed(`${server.url}/api/bookings`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ packageId: id, start }),
        });
        bookMs.push(res.ms);
        claims += (res.body as { items: { parts: unknown[] }[] }).items.length;
      }
      console.log(`\nbooked all 12 packages once (${claims} items): ${bookMs.map((m) => m.toFixed(0)).join(", ")} ms; slot claims now ${await conn.collection("slot_claims").countDocuments({})}`);
      await measure("after booking every package once");
    } finally {
      await server.close();
    }
  } finally {
    await conn.close();
    await db.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

runBench(main);

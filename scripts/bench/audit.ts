// What the audit log and the exchange cost on a city-sized history: ENTRIES audited sources
// (awards, each journaled through the real recorder path), BOOKING_EVENTS booking events in the
// shared `events` collection (not audited, but the repair pass reads their ids), then:
// GET /api/audit (no filter, by kind, by subject), the CSV export, an outbox page of 100 from the
// start and from the end, and a repair pass with nothing missing and with 100 missing.
// Figures only; nothing is asserted. Run: npx tsx scripts/bench/audit.ts [--entries=10000] [--events=50000]
import { auditModels } from "../../server/modules/audit/model";
import { repairJournal } from "../../server/modules/audit/repair";
import { expectStatus, machine, numberArg, runBench, withBenchServer } from "./support";

const ENTRIES = numberArg("entries", 10_000);
const BOOKING_EVENTS = numberArg("events", 50_000);

async function median(times: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let k = 0; k < times; k++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
}

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`audit benchmark: embedded ${env.dbKind}, ${ENTRIES.toLocaleString("en")} audited sources, ${BOOKING_EVENTS.toLocaleString("en")} booking events, ${machine()}`);
    const admin = { email: "audit-bench@bureau.test", password: "audit-bench-pass" };
    await env.server.services.accounts.ensureBureauAdmin(admin.email, admin.password);
    const login = await env.call<{ token: string }>("POST", "/api/auth/login", admin);
    expectStatus("bureau login", login, 200);
    const token = login.body.token;
    const { journal, auditRecorder } = env.server.services;

    const events = env.conn.collection("events");
    for (let k = 0; k < BOOKING_EVENTS; k += 1000) {
      await events.insertMany(Array.from({ length: Math.min(1000, BOOKING_EVENTS - k) }, (_, i) => {
        const n = k + i;
        return { _id: `bk${Math.floor(n / 4)}:${(n % 4) + 1}`, aggregateId: `bk${Math.floor(n / 4)}`, seq: (n % 4) + 1, type: "confirmed", data: {}, actorId: null, at: new Date() } as never;
      }));
    }
    const awards = env.conn.collection("awards");
    const docs = Array.from({ length: ENTRIES }, (_, n) => ({
      _id: `p${Math.floor(n / 100)}:${2000 + (n % 100)}`, providerId: `p${Math.floor(n / 100)}`, providerName: "bench", year: 2000 + (n % 100),
      provincialAwardFen: 100 + n, recordedBy: "u1", recordedAt: new Date(Date.now() - (ENTRIES - n) * 1000),
    }));
    for (let k = 0; k < docs.length; k += 1000) await awards.insertMany(docs.slice(k, k + 1000) as never[]);
    let t0 = performance.now();
    for (const d of docs) auditRecorder.enqueue("awards", d as never);
    await auditRecorder.idle();
    const journaled = performance.now() - t0;
    console.log(`journaling ${ENTRIES} sources through the recorder: ${(journaled / 1000).toFixed(1)} s (${(ENTRIES / (journaled / 1000)).toFixed(0)}/s)`);

    const get = (url: string) => env.call("GET", url, undefined, token);
    const rows: [string, number][] = [
      ["GET /api/audit (first page, no filter)", await median(9, () => get("/api/audit"))],
      ["GET /api/audit?kind=award", await median(9, () => get("/api/audit?kind=award"))],
      ["GET /api/audit?subject=p7:2050", await median(9, () => get("/api/audit?subject=p7:2050"))],
      ["GET /api/audit/export (all, csv)", await median(3, () => fetch(`${env.server.url}/api/audit/export`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.arrayBuffer()))],
      ["GET /api/exchange/outbox?after=0&limit=100", await median(9, () => get("/api/exchange/outbox?after=0&limit=100"))],
      [`GET /api/exchange/outbox?after=${ENTRIES - 100}&limit=100`, await median(9, () => get(`/api/exchange/outbox?after=${ENTRIES - 100}&limit=100`))],
      ["GET /api/health (baseline)", await median(9, () => get("/api/health"))],
    ];
    for (const [what, ms] of rows) console.log(`${what.padEnd(48)} median ${ms.toFixed(1).padStart(8)} ms`);

    t0 = performance.now();
    const none = await repairJournal(env.conn, journal);
    console.log(`repair pass, nothing missing: ${(performance.now() - t0).toFixed(0)} ms (${none.checked} ids checked)`);
    await auditModels(env.conn).journal.deleteMany({ _id: { $in: docs.slice(0, 100).map((d) => `awards/${d._id}`) } });
    t0 = performance.now();
    const some = await repairJournal(env.conn, journal);
    console.log(`repair pass, 100 missing: ${(performance.now() - t0).toFixed(0)} ms (${some.recorded} recorded)`);
  }),
);

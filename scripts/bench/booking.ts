// Booking creation on the embedded database, against what the database itself can do:
//   1. throughput: bookings/s with CLIENTS parallel clients (a child process) on distinct slots
//      (POST /api/bookings), and the server's and the database's CPU time per booking;
//   2. raw inserts: small documents/s with CLIENTS parallel inserters through the same Mongoose
//      connection into a scratch collection, in the same run (the ceiling for "one insert decides");
//   3. contention: CLIENTS parallel requests for one slot → exactly one 201, the rest 409.
// Targets: ≥ 150 bookings/s and ≥ 15% of the raw insert rate; exactly one winner.
// Live updates are in live-updates.ts, reads in availability.ts. Run: npx tsx scripts/bench/booking.ts
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ClientJob, ParentMessage } from "./booking-clients";
import {
  bookSlot, cpuMsOf, firstBookableSlot, machine, ratio, runBench, setUpMarket, verdict, withBenchServer, withTimeout,
} from "./support";

const CLIENTS = 20;
const BOOKINGS_PER_CLIENT = 15;
const INSTRUMENTS = 10;
const INSERTS_PER_INSERTER = 100;
const TARGET_PER_SECOND = 150;
const TARGET_SHARE = 0.15;

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`booking benchmark: embedded ${env.dbKind}, ${machine()}`);
    const market = await setUpMarket(env, { enterprises: CLIENTS, instruments: INSTRUMENTS + 1 });
    const instruments = market.instruments.slice(0, INSTRUMENTS).map((i) => i.id);
    const contended = market.instruments[INSTRUMENTS]!.id;
    const first = firstBookableSlot();

    // ── 1. throughput on distinct slots ───────────────────────────────────────────────────────
    // Client c books BOOKINGS_PER_CLIENT one-hour slots in a row on instrument c % INSTRUMENTS; no
    // two requests share a slot. The clients run in a child process (booking-clients.ts); the CPU
    // the server (this process) and the database use meanwhile is measured per booking.
    const clients: ClientJob[] = market.enterprises.map((e, c) => ({
      token: e.token,
      instrumentId: instruments[c % INSTRUMENTS]!,
      hours: Array.from({ length: BOOKINGS_PER_CLIENT }, (_, j) => Math.floor(c / INSTRUMENTS) * BOOKINGS_PER_CLIENT + j),
    }));
    const child = fork(fileURLToPath(new URL("./booking-clients.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"] });
    const [serverCpu0, dbCpu0] = [process.cpuUsage(), await cpuMsOf(env.dbPid())];
    const done = await withTimeout(
      "throughput phase",
      new Promise<ChildMessage>((resolve, reject) => {
        child.once("message", (m: ChildMessage) => resolve(m));
        child.once("exit", (code) => reject(new Error(`booking clients exited with ${code}`)));
        child.send({ type: "run", url: env.server.url, first: first.toISO()!, clients } satisfies ParentMessage);
      }),
    );
    const serverCpu = process.cpuUsage(serverCpu0);
    const dbCpu1 = await cpuMsOf(env.dbPid());
    for (const e of done.firstErrors) console.log(`  first ${e}`);
    const statuses = done.statuses;
    const bookingSeconds = done.seconds;
    const created = statuses[201] ?? 0;
    const bookingRate = created / bookingSeconds;
    const perBooking = (cpuMs: number) => `${(cpuMs / Math.max(created, 1)).toFixed(2)} ms`;
    const cpuLine = `CPU per booking: server ${perBooking((serverCpu.user + serverCpu.system) / 1000)}` +
      (dbCpu0 !== undefined && dbCpu1 !== undefined ? `, database ${perBooking(dbCpu1 - dbCpu0)}` : "");

    // ── 2. raw insert rate of the same database ───────────────────────────────────────────────
    const scratch = env.conn.db!.collection<{ _id: string; n: number; at: Date }>("bench_raw_inserts");
    const t1 = performance.now();
    await withTimeout(
      "raw insert phase",
      Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let j = 0; j < INSERTS_PER_INSERTER; j++) await scratch.insertOne({ _id: `raw:${c}:${j}`, n: j, at: new Date() });
        }),
      ),
    );
    const rawRate = (CLIENTS * INSERTS_PER_INSERTER) / ((performance.now() - t1) / 1000);
    await scratch.drop();

    // ── 3. contention on one slot ─────────────────────────────────────────────────────────────
    const race = await withTimeout("contention phase", Promise.all(market.enterprises.map((e) => bookSlot(env.call, contended, first, 10, e.token))));
    const raceStatuses = race.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    const winners = race.filter((r) => r.status === 201).length;
    const codes = [...new Set(race.filter((r) => r.status !== 201).map((r) => (r.body as { error?: { code?: string } }).error?.code))];

    const share = bookingRate / rawRate;
    console.log("");
    console.log(`1. ${CLIENTS} parallel clients × ${BOOKINGS_PER_CLIENT} bookings on distinct slots of ${INSTRUMENTS} instruments:`);
    console.log(`   ${created} created in ${bookingSeconds.toFixed(2)} s → ${bookingRate.toFixed(1)} bookings/s (target ≥ ${TARGET_PER_SECOND}: ${verdict(bookingRate >= TARGET_PER_SECOND)}); answers ${JSON.stringify(statuses)}`);
    console.log(`   ${cpuLine}`);
    console.log(`2. raw inserts, ${CLIENTS} parallel inserters × ${INSERTS_PER_INSERTER} small documents: ${rawRate.toFixed(0)} inserts/s`);
    console.log(`   bookings / raw inserts: ${ratio(share)} = ${(share * 100).toFixed(1)}% (target ≥ ${TARGET_SHARE * 100}%: ${verdict(share >= TARGET_SHARE)})`);
    console.log(`3. contention: ${CLIENTS} parallel requests for one slot → ${winners} success (${winners === 1 ? "exactly one: met" : "WRONG: NOT MET"}); answers ${JSON.stringify(raceStatuses)}, codes ${codes.join(", ")}`);
    console.log(`(${machine()} at the end)`);
  }),
);

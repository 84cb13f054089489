// Does a year of history slow requests? On one server and database, in one run:
//   1. measure on the empty database (a provider, INSTRUMENTS instruments, one enterprise, via the API);
//   2. write a year of history for those instruments straight into the database (history-data.ts:
//      100,000 bookings with their events, claims, idempotency records and old sessions by default);
//   3. measure again, the same way, on fresh slots.
// Measured: GET availability (7 days ahead, an instrument with history in that week) and GET /api/me
// at READ_CONNECTIONS connections; POST /api/bookings one at a time on distinct slots. p50/p99 each,
// and the history ÷ empty ratios. Target: every ratio ≤ 1.5×.
// Run: npx tsx scripts/bench/history.ts [--bookings=100000] [--instruments=300]
import { DateTime } from "luxon";
import { generateHistory, historyBookingId } from "./history-data";
import {
  bookSlot, expectStatus, firstBookableSlot, latency, loadTest, machine, ms, numberArg, ratio, runBench, setUpMarket, verdict, withBenchServer, type Latency,
} from "./support";

const BOOKINGS = numberArg("bookings", 100_000);
const INSTRUMENTS = numberArg("instruments", 300);
const READ_CONNECTIONS = 2;
const READS = 200;
/** Per measurement; a slow phase stops early (after at least MIN_BOOKINGS bookings) rather than run for many minutes. */
const PHASE_MS = 20_000;
const BOOKINGS_MEASURED = 40;
const MIN_BOOKINGS = 5;
const WARM_UP = 3;
const TARGET = 1.5;
/** Hours of the day the measured bookings use; the generated history keeps to 08:00–18:00. */
const FREE_HOURS = [0, 1, 2, 3, 4, 5, 6, 19, 20, 21, 22, 23];

type Figures = Record<"availability" | "booking" | "me", Latency>;

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`history benchmark: embedded ${env.dbKind}, ${BOOKINGS.toLocaleString("en")} bookings over ${INSTRUMENTS} instruments, ${machine()}`);
    const market = await setUpMarket(env, { enterprises: 1, instruments: INSTRUMENTS });
    const enterprise = market.enterprises[0]!;
    const me = await env.call<{ user: { id: string }; organization?: { name: string } }>("GET", "/api/me", undefined, enterprise.token);
    expectStatus("GET /api/me", me, 200);
    const first = firstBookableSlot();
    // The measured week starts one day later, so it holds history's future bookings (3–60 days ahead).
    const weekStart = first.plus({ days: 1 });
    const availabilityUrl = `/api/instruments/${market.instruments[0]!.id}/availability?from=${encodeURIComponent(weekStart.toISO()!)}&to=${encodeURIComponent(weekStart.plus({ days: 7 }).toISO()!)}`;

    let booked = 0;
    const measure = async (label: string): Promise<Figures> => {
      const reads = { connections: READ_CONNECTIONS, requests: READS, maxMs: PHASE_MS };
      const book = async () => {
        const day = Math.floor(booked / FREE_HOURS.length);
        const hour = day * 24 + FREE_HOURS[booked % FREE_HOURS.length]!;
        const t0 = performance.now();
        const res = await bookSlot(env.call, market.instruments[booked++ % Math.min(10, INSTRUMENTS)]!.id, first, hour, enterprise.token);
        expectStatus(`booking (${label})`, res, 201);
        return performance.now() - t0;
      };
      // Untimed warm-up of each route: the first requests after a bulk write pay for cold caches.
      await loadTest(env.server.url, availabilityUrl, { ...reads, requests: WARM_UP });
      await loadTest(env.server.url, "/api/me", { ...reads, requests: WARM_UP, token: enterprise.token });
      for (let i = 0; i < WARM_UP; i++) await book();

      const availability = await loadTest(env.server.url, availabilityUrl, reads);
      const samples: number[] = [];
      const until = performance.now() + PHASE_MS;
      while (samples.length < BOOKINGS_MEASURED && (samples.length < MIN_BOOKINGS || performance.now() < until)) samples.push(await book());
      const meLoad = await loadTest(env.server.url, "/api/me", { ...reads, token: enterprise.token });
      for (const [what, r] of [["availability", availability], ["/api/me", meLoad]] as const) {
        if (Object.keys(r.statuses).some((s) => s !== "200")) throw new Error(`${what} (${label}) answered ${JSON.stringify(r.statuses)}`);
      }
      const figures = { availability, booking: latency(samples), me: meLoad };
      for (const [what, f] of Object.entries(figures)) console.log(`  ${label.padEnd(8)} ${what.padEnd(13)} p50 ${ms(f.p50).padStart(9)}  p99 ${ms(f.p99).padStart(9)}  (n=${f.n})`);
      return figures;
    };

    console.log("\n1. empty database");
    const empty = await measure("empty");

    console.log(`\n2. generating history (${DateTime.utc().toISOTime()})`);
    const t0 = performance.now();
    let lastLog = 0;
    const enterprises = [
      { id: enterprise.orgId, name: me.body.organization?.name ?? "压测企业", userId: me.body.user.id },
      ...Array.from({ length: 199 }, (_, k) => ({ id: `e${String(k).padStart(23, "0")}`, name: `历史企业 ${k}`, userId: `u${String(k).padStart(23, "0")}` })),
    ];
    const counts = await generateHistory(env.conn, { bookings: BOOKINGS, instruments: market.instruments, providerId: market.provider.orgId, enterprises, now: Date.now() }, (done) => {
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        console.log(`  ${done.toLocaleString("en")} bookings after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    const docs = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`  wrote ${JSON.stringify(counts)} = ${docs.toLocaleString("en")} documents in ${seconds.toFixed(0)} s (${(docs / seconds).toFixed(0)} docs/s)`);
    // The generated shapes are the product's: the API reads a generated booking back.
    const old = await env.call<{ status: string; history: unknown[] }>("GET", `/api/bookings/${historyBookingId(0)}`, undefined, enterprise.token);
    expectStatus("GET a generated booking", old, 200);
    console.log(`  GET /api/bookings/${historyBookingId(0)} → 200, ${old.body.status} after ${old.body.history.length} events`);
    const week = await env.call<{ slots: { free: number }[] }>("GET", availabilityUrl);
    console.log(`  the measured week now has ${week.body.slots.filter((s) => s.free === 0).length} of ${week.body.slots.length} slots taken`);

    console.log("\n3. with a year of history");
    const history = await measure("history");

    console.log(`\nhistory ÷ empty (target ≤ ${TARGET}×):`);
    for (const what of ["availability", "booking", "me"] as const) {
      const p50 = history[what].p50 / empty[what].p50;
      const p99 = history[what].p99 / empty[what].p99;
      console.log(`  ${(what === "me" ? "GET /api/me" : what).padEnd(13)} p50 ${ratio(p50).padStart(7)}  p99 ${ratio(p99).padStart(7)}  ${verdict(p50 <= TARGET && p99 <= TARGET)}`);
    }

    // The minute's sweep reads the live claims and the bookings they name; a process's first reads
    // every active booking as well (server/modules/scheduling/sweeper.ts). Not a target: figures.
    console.log("\n4. the scheduling sweeper over this history");
    for (const scope of ["all", "live", "live"] as const) {
      const t0 = performance.now();
      const swept = await env.server.services.scheduling.sweep(new Date(), scope);
      console.log(`  ${scope.padEnd(4)} sweep ${ms(performance.now() - t0).padStart(9)}  ${JSON.stringify(swept)}`);
    }
    console.log(`(${machine()} at the end`);
  }),
);

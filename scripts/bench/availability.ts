// Availability reads against a plain JSON endpoint, at 20 keep-alive connections: req/s and p50/p99
// of GET /api/instruments/:id/availability (7 days, an instrument with a booked week) and of
// GET /api/health, alternated in rounds so both see the same machine load. Target: availability
// ≥ 0.5× the req/s of health. Run: npx tsx scripts/bench/availability.ts
import { DateTime } from "luxon";
import type { Availability } from "../../shared/schemas/scheduling";
import {
  bookSlot, describeLoad, expectStatus, firstBookableSlot, loadTest, machine, ratio, runBench, setUpMarket, verdict, withBenchServer, type LoadResult,
} from "./support";

const CONNECTIONS = 20;
const ROUNDS = 2;
const REQUESTS_PER_ROUND = 2_000;
const ROUND_MS = 8_000;
/** Bookings in the measured week, so the read has claims to take out. */
const BOOKED_SLOTS = 24;
const TARGET = 0.5;

function merge(rounds: LoadResult[]): { rps: number; p50: number; p99: number } {
  const mean = (f: (r: LoadResult) => number) => rounds.reduce((s, r) => s + f(r), 0) / rounds.length;
  return { rps: mean((r) => r.rps), p50: mean((r) => r.p50), p99: mean((r) => r.p99) };
}

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`availability benchmark: embedded ${env.dbKind}, ${machine()}`);
    const market = await setUpMarket(env, { enterprises: 1, instruments: 1 });
    const instrument = market.instruments[0]!.id;
    const first = firstBookableSlot();
    for (let i = 0; i < BOOKED_SLOTS; i++) {
      expectStatus("booking", await bookSlot(env.call, instrument, first, i * 7, market.enterprises[0]!.token), 201);
    }
    const week = `from=${encodeURIComponent(first.toISO()!)}&to=${encodeURIComponent(first.plus({ days: 7 }).toISO()!)}`;
    const url = `/api/instruments/${instrument}/availability?${week}`;
    const check = await env.call<Availability>("GET", url);
    expectStatus("availability", check, 200);
    const taken = check.body.slots.filter((s) => s.free === 0).length;

    const opts = { connections: CONNECTIONS, requests: REQUESTS_PER_ROUND, maxMs: ROUND_MS };
    await loadTest(env.server.url, "/api/health", { ...opts, requests: 100 }); // warm-up
    await loadTest(env.server.url, url, { ...opts, requests: 40 });
    const health: LoadResult[] = [];
    const availability: LoadResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      health.push(await loadTest(env.server.url, "/api/health", opts));
      availability.push(await loadTest(env.server.url, url, opts));
      console.log(describeLoad(`round ${round}: GET /api/health`, health.at(-1)!));
      console.log(describeLoad(`round ${round}: GET availability (7 days)`, availability.at(-1)!));
    }
    const h = merge(health);
    const a = merge(availability);
    const r = a.rps / h.rps;
    console.log("");
    console.log(`${CONNECTIONS} connections, ${check.body.slots.length} slots of which ${taken} booked; ${DateTime.utc().toISO()}`);
    console.log(`GET /api/health:              ${h.rps.toFixed(1)} req/s, p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms`);
    console.log(`GET availability (7 days):    ${a.rps.toFixed(1)} req/s, p50 ${a.p50.toFixed(1)} ms, p99 ${a.p99.toFixed(1)} ms`);
    console.log(`availability / health req/s:  ${ratio(r)} (target ≥ ${TARGET}×: ${verdict(r >= TARGET)})`);
    console.log(`(${machine()} at the end)`);
  }),
);

// Live updates at scale: SOCKETS Socket.IO clients (in a child process, socket-clients.ts, so their
// parsing does not share the server's event loop) subscribed across INSTRUMENTS instruments (socket
// i to instrument i mod INSTRUMENTS). Alternating rounds, round r on instrument r mod INSTRUMENTS:
//   booking: POST /api/bookings on that instrument → its subscribers' `availability:changed`,
//            timed from just before the request is sent;
//   bare:    a plain `io.to(room).emit("availability:changed", …)` of the same payload on the same
//            server → every socket, timed from just before the emit.
// p50/p99 over all deliveries. Targets: booking p99 ≤ 100 ms and ≤ 1.5× the bare broadcast's p99.
// Memory per connection: the server's (this process's) RSS and V8 heap after a full GC, before the
// clients connect and once all are subscribed, the difference divided by the sockets connected (the
// clients are in the child process, so their memory is not counted).
// Run: npx tsx scripts/bench/live-updates.ts [--sockets=2000] [--instruments=100] [--rounds=100]
// (--instruments=1 --rounds=30: every socket on one instrument, the figures before 2026-12-03 19:00)
import { fork } from "node:child_process";
import v8 from "node:v8";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import type { AvailabilityChanged } from "../../shared/events";
import { instrumentRoom } from "../../server/realtime/rooms";
import type { ChildMessage, ParentMessage } from "./socket-clients";
import {
  bookSlot, expectStatus, firstBookableSlot, latency, machine, ms, numberArg, ratio, runBench, setUpMarket, verdict, withBenchServer, withTimeout,
} from "./support";

const SOCKETS = numberArg("sockets", 2_000);
const INSTRUMENTS = Math.max(1, numberArg("instruments", 100));
const ROUNDS = numberArg("rounds", 100);
const WATCHERS = 20;
const TARGET_P99_MS = 100;
const TARGET_RATIO = 1.5;

const now = () => performance.timeOrigin + performance.now();

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
/** This process's memory after two full collections (what is still referenced). */
function settledMemory(): NodeJS.MemoryUsage {
  gc();
  gc();
  return process.memoryUsage();
}
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`live-updates benchmark: embedded ${env.dbKind}, ${SOCKETS} sockets on ${INSTRUMENTS} instruments, ${ROUNDS} rounds each, ${machine()}`);
    const market = await setUpMarket(env, { enterprises: 1, instruments: INSTRUMENTS });
    const live = market.instruments.map((i) => i.id);
    /** Sockets subscribed to instrument k. */
    const audience = (k: number) => Math.floor(SOCKETS / INSTRUMENTS) + (k < SOCKETS % INSTRUMENTS ? 1 : 0);
    const booker = market.enterprises[0]!.token;
    const watchers = await Promise.all(Array.from({ length: WATCHERS }, () => market.register("watcher")));
    const first = firstBookableSlot();

    const memBefore = settledMemory();
    const child = fork(fileURLToPath(new URL("./socket-clients.ts", import.meta.url)), [env.server.url, live.join(","), String(SOCKETS), watchers.join(",")], {
      execArgv: ["--import", "tsx"],
    });
    const waiting = new Map<number, (times: number[]) => void>();
    let failed: (err: Error) => void = () => {};
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => {});
    let ready: (m: { connected: number; ms: number }) => void = () => {};
    const readiness = new Promise<{ connected: number; ms: number }>((resolve) => (ready = resolve));
    child.on("message", (m: ChildMessage) => {
      if (m.type === "ready") ready(m);
      else if (m.type === "arrivals") waiting.get(m.key)?.(m.times);
      else failed(new Error(`socket clients: ${m.message}`));
    });
    child.on("exit", (code) => code !== 0 && failed(new Error(`socket clients exited with ${code}`)));
    const tell = (m: ParentMessage) => child.send(m);
    const collect = (key: number, expected: number) => new Promise<number[]>((resolve) => {
      waiting.set(key, resolve);
      tell({ type: "collect", key, expected });
    });

    try {
      const up = await withTimeout("connecting sockets", Promise.race([readiness, failure]));
      console.log(`${up.connected} sockets connected and subscribed in ${(up.ms / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, 1_000)); // the last subscriptions' buffers settle
      const memAfter = settledMemory();
      const per = (k: "rss" | "heapUsed" | "external") => (memAfter[k] - memBefore[k]) / up.connected;
      const memoryLine = `memory per connection (server process, after GC): RSS ${kib(per("rss"))} (${mib(memBefore.rss)} → ${mib(memAfter.rss)}), ` +
        `V8 heap used ${kib(per("heapUsed"))} (${mib(memBefore.heapUsed)} → ${mib(memAfter.heapUsed)}), external ${kib(per("external"))}`;
      console.log(memoryLine);

      // The real payload of a booking, replayed by the bare broadcast with another key.
      let sample: AvailabilityChanged | undefined;
      const off = env.server.services.bus.on("availability.changed", (p) => (sample ??= structuredClone(p)));

      const booking: number[] = [];
      const bare: number[] = [];
      let missing = { booking: 0, bare: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const k = round % INSTRUMENTS;
        const bookingKey = first.plus({ hours: round }).toMillis();
        const arrived = collect(bookingKey, audience(k));
        const sent = now();
        expectStatus("live booking", await bookSlot(env.call, live[k]!, first, round, booker), 201);
        const times = await Promise.race([arrived, failure]);
        booking.push(...times.map((t) => t - sent));
        missing = { ...missing, booking: missing.booking + audience(k) - times.length };

        if (!sample) throw new Error("no availability.changed event after a booking");
        const bareKey = Date.UTC(2100, 0, 1) + round * 3_600_000;
        const payload = { ...sample, instrumentId: live[k]!, changes: sample.changes.map((c, k) => (k === 0 ? { ...c, start: new Date(bareKey).toISOString() } : c)) };
        const bareArrived = collect(bareKey, audience(k));
        await new Promise((r) => setTimeout(r, 20)); // the collect request reaches the child first
        const emitted = now();
        env.server.io.to(instrumentRoom(live[k]!)).emit("availability:changed", payload);
        const bareTimes = await Promise.race([bareArrived, failure]);
        bare.push(...bareTimes.map((t) => t - emitted));
        missing = { ...missing, bare: missing.bare + audience(k) - bareTimes.length };
      }
      off();

      const b = latency(booking);
      const r = latency(bare);
      const p99Ratio = b.p99 / r.p99;
      console.log("");
      console.log(`booking request → availability:changed: p50 ${ms(b.p50)}, p99 ${ms(b.p99)} (${b.n} deliveries, ${missing.booking} missing)`);
      console.log(`bare io.to(room).emit → socket:          p50 ${ms(r.p50)}, p99 ${ms(r.p99)} (${r.n} deliveries, ${missing.bare} missing)`);
      console.log(memoryLine);
      console.log(`p99 ≤ ${TARGET_P99_MS} ms: ${verdict(b.p99 <= TARGET_P99_MS)}; booking / bare p99: ${ratio(p99Ratio)} (target ≤ ${TARGET_RATIO}×: ${verdict(p99Ratio <= TARGET_RATIO)}); p50 ratio ${ratio(b.p50 / r.p50)}`);
      console.log(`(${machine()} at the end)`);
    } finally {
      if (child.connected) tell({ type: "close" });
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    }
  }),
);

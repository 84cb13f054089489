// How fast do the bureau's statistics answer, on an empty database and on a year of history?
//   1. an approved provider, INSTRUMENTS instruments and one enterprise via the API; measure;
//   2. write a year of history: history-data.ts's bookings (100,000 by default) plus vouchers,
//      enterprises and settlements (stats-history.ts);
//   3. measure again: the first request of each endpoint alone (it computes and stores the roll-ups
//      of the closed months: one scan of the source), then p50/p99 at READ_CONNECTIONS connections.
// Target (issue 12): each ≤ 200 ms. Figures only; nothing is asserted.
// Run: npx tsx scripts/bench/stats.ts [--bookings=100000] [--instruments=300]
import { DateTime } from "luxon";
import { generateHistory } from "./history-data";
import { generateVoucherHistory } from "./stats-history";
import { expectStatus, loadTest, machine, ms, numberArg, runBench, setUpMarket, verdict, withBenchServer, type Latency } from "./support";

const BOOKINGS = numberArg("bookings", 100_000);
const INSTRUMENTS = numberArg("instruments", 300);
const READ_CONNECTIONS = 2;
const READS = 200;
const PHASE_MS = 20_000;
const TARGET_MS = 200;

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`stats benchmark: embedded ${env.dbKind}, ${BOOKINGS.toLocaleString("en")} bookings over ${INSTRUMENTS} instruments, ${machine()}`);
    const market = await setUpMarket(env, { enterprises: 1, instruments: INSTRUMENTS });
    const admin = { email: "stats-bench@bureau.test", password: "stats-bench-pass" };
    await env.server.services.accounts.ensureBureauAdmin(admin.email, admin.password);
    const login = await env.call<{ token: string }>("POST", "/api/auth/login", admin);
    expectStatus("bureau login", login, 200);
    const bureau = login.body.token;

    const today = DateTime.now().setZone("Asia/Shanghai");
    const yearAgo = today.minus({ years: 1 }).plus({ days: 1 }).toISODate();
    const urls = {
      overview: "/api/stats/overview",
      "overview 12 months": `/api/stats/overview?from=${yearAgo}&to=${today.toISODate()}`,
      "monthly 12 months": `/api/stats/monthly?from=${yearAgo}&to=${today.toISODate()}`,
      "by-county": `/api/stats/by-county?from=${yearAgo}`,
      "by-industry": `/api/stats/by-industry?from=${yearAgo}`,
      growth: `/api/stats/growth?baseline=${yearAgo}`,
    };

    const measure = async (label: string) => {
      const out: Record<string, { first: number; load: Latency }> = {};
      for (const [what, url] of Object.entries(urls)) {
        const t0 = performance.now();
        const first = await env.call("GET", url, undefined, bureau);
        expectStatus(`${what} (${label})`, first, 200);
        const firstMs = performance.now() - t0;
        const load = await loadTest(env.server.url, url, { connections: READ_CONNECTIONS, requests: READS, maxMs: PHASE_MS, token: bureau });
        if (Object.keys(load.statuses).some((s) => s !== "200")) throw new Error(`${what} (${label}) answered ${JSON.stringify(load.statuses)}`);
        out[what] = { first: firstMs, load };
        console.log(`  ${label.padEnd(8)} ${what.padEnd(19)} first ${ms(firstMs).padStart(10)}   p50 ${ms(load.p50).padStart(9)}  p99 ${ms(load.p99).padStart(9)}  (n=${load.n})  ${verdict(load.p99 <= TARGET_MS)}`);
      }
      return out;
    };

    console.log("\n1. empty database");
    await measure("empty");

    console.log(`\n2. generating history (${DateTime.utc().toISOTime()})`);
    const t0 = performance.now();
    const me = await env.call<{ user: { id: string } }>("GET", "/api/me", undefined, market.enterprises[0]!.token);
    const enterprises = [
      { id: market.enterprises[0]!.orgId, name: "压测企业", userId: me.body.user.id },
      ...Array.from({ length: 199 }, (_, k) => ({ id: `e${String(k).padStart(23, "0")}`, name: `历史企业 ${k}`, userId: `u${String(k).padStart(23, "0")}` })),
    ];
    const now = Date.now();
    const counts = await generateHistory(env.conn, { bookings: BOOKINGS, instruments: market.instruments, providerId: market.provider.orgId, enterprises, now });
    const vouchers = await generateVoucherHistory(env.conn, { bookings: BOOKINGS, enterpriseIds: enterprises.map((e) => e.id), providerId: market.provider.orgId, now });
    console.log(`  wrote ${JSON.stringify({ ...counts, ...vouchers })} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // History written into closed months after they were rolled up (phase 1 did): what an import
    // is followed by, `npm run stats:verify -- --rebuild`.
    const stats = env.server.services.stats;
    const t2 = performance.now();
    const rebuilt = await stats.verify({ rebuild: true });
    console.log(`  stats:verify --rebuild: ${rebuilt.rebuilt.length} of ${rebuilt.checked} roll-ups rebuilt from the new history in ${ms(performance.now() - t2)}`);

    console.log("\n3. with a year of history (first: the request that rolls the closed months up)");
    const history = await measure("history");
    const overview = await env.call<Record<string, unknown>>("GET", urls["overview 12 months"], undefined, bureau);
    console.log(`  the year's overview: ${JSON.stringify(overview.body)}`);

    // What the open month costs: one computation from the source (what a refresh of the shared cache does).
    const month = today.toFormat("yyyy-MM");
    const samples: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t1 = performance.now();
      await stats.computeFromSource([month]);
      samples.push(performance.now() - t1);
    }
    console.log(`  one computation of the open month from the source (what a background refresh of the shared cache costs): ${samples.map((x) => ms(x)).join(", ")}`);
    // Which collection that costs: each source read alone (the same filters and projections as sources.ts).
    const window = { $gte: today.startOf("month").toJSDate(), $lt: today.startOf("month").plus({ months: 1 }).toJSDate() };
    const reads: [string, Record<string, unknown>, Record<string, 0 | 1>][] = [
      ["bookings", { createdAt: window }, { _id: 0, createdAt: 1, priceFen: 1 }],
      ["vouchers", { $or: [{ issuedAt: window }, { voidedAt: window }] }, { _id: 0, faceValueFen: 1, issuedAt: 1, voidedAt: 1 }],
      ["settlements", { createdAt: window }, { _id: 0, createdAt: 1, lines: 1 }],
    ];
    for (const [name, filter, projection] of reads) {
      const t1 = performance.now();
      const rows = await env.conn.collection(name).find(filter, { projection }).toArray();
      console.log(`    ${name.padEnd(12)} ${ms(performance.now() - t1).padStart(11)} for ${rows.length} of ${(await env.conn.collection(name).estimatedDocumentCount()).toLocaleString("en")} documents`);
    }
    const verify = await stats.verify();
    console.log(`  stats:verify over ${verify.checked} roll-ups: ${verify.ok ? "all agree" : JSON.stringify(verify.differences)}`);
    const worst = Math.max(...Object.values(history).map((h) => h.load.p99));
    console.log(`\nworst p99 with history ${ms(worst)} (target ≤ ${TARGET_MS} ms): ${verdict(worst <= TARGET_MS)}`);
    console.log(`(${machine()} at the end)`);
  }),
);

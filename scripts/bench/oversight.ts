// How fast do the oversight pages answer on a year of bookings? Writes BOOKINGS bookings created
// over this year (half with a voucher, a few with ratings) across 200 enterprises and 30 providers,
// straight into the collections (test/factories/oversight.ts shapes), then times each endpoint
// alone, 5 times in a row (min / median / max). Figures only; nothing is asserted.
// Run: npx tsx scripts/bench/oversight.ts [--bookings=20000]
import { DateTime } from "luxon";
import { bookingDoc } from "../../test/factories/oversight";
import { expectStatus, machine, numberArg, runBench, withBenchServer } from "./support";

const BOOKINGS = numberArg("bookings", 20_000);
const CHUNK = 2_000;

runBench(() =>
  withBenchServer(async (env) => {
    console.log(`oversight benchmark: embedded ${env.dbKind}, ${BOOKINGS.toLocaleString("en")} bookings, ${machine()}`);
    const admin = { email: "oversight-bench@bureau.test", password: "oversight-bench-pass" };
    await env.server.services.accounts.ensureBureauAdmin(admin.email, admin.password);
    const login = await env.call<{ token: string }>("POST", "/api/auth/login", admin);
    expectStatus("bureau login", login, 200);
    const bureau = login.body.token;

    const yearStart = DateTime.now().setZone("Asia/Shanghai").startOf("year").toMillis();
    const span = Date.now() - yearStart;
    const started = Date.now();
    for (let done = 0; done < BOOKINGS; done += CHUNK) {
      const docs = Array.from({ length: Math.min(CHUNK, BOOKINGS - done) }, (_, k) => {
        const n = done + k;
        return bookingDoc({
          enterpriseId: `e${n % 200}`, providerId: `p${n % 30}`, createdAt: new Date(yearStart + ((n * 7919) % span)),
          confirmAfterMin: n % 90, completedAfterEndH: n % 3 === 0 ? n % 40 : undefined, useVoucher: n % 2 === 0,
          priceFen: 10_000 + (n % 50) * 1_000,
        });
      });
      await env.conn.collection("bookings").insertMany(docs as never[]);
      await env.conn.collection("vouchers").insertMany(docs.filter((d) => d.useVoucher).map((d) => ({
        _id: `v-${d._id}`, enterpriseId: d.enterpriseId, providerId: d.actingProviderId, bookingId: d._id, county: "linqing", accountId: `quota-ent-${d.enterpriseId}`,
        faceValueFen: Math.round(d.priceFen * 0.9), provinceFen: Math.round(d.priceFen * 0.6), cityFen: Math.round(d.priceFen * 0.9) - Math.round(d.priceFen * 0.6),
        listPriceFen: d.priceFen, reasons: [], status: "issued", year: new Date(d.createdAt).getFullYear(), period: "x", policyId: "2000-01-01", issuedAt: d.createdAt,
      })) as never[]);
      await env.conn.collection("booking_ratings").insertMany(docs.filter((_, k) => k % 10 === 0 && docs[k]!.status === "completed").map((d) => ({
        _id: `rating:${d._id}`, bookingId: d._id, enterpriseId: d.enterpriseId, providerIds: d.providerIds, stars: 1 + (d.priceFen % 5), ratedBy: "bench", ratedAt: d.createdAt,
      })) as never[]);
    }
    console.log(`history written in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    for (const url of ["/api/oversight/budget", "/api/oversight/scorecards", "/api/oversight/signals", "/api/oversight/signals?kind=repeat_pair&page=2"]) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await env.call("GET", url, undefined, bureau);
        expectStatus(url, res, 200);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(`${url.padEnd(48)} min ${times[0]!.toFixed(0)} ms, median ${times[2]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms`);
    }
  }),
);

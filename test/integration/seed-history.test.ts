// The demo city's history (issue 12, server/demo/history.ts): seeded with a fixed clock, it gives
// every one of its 24 months bookings, issued vouchers and (after the first) redemptions, so the
// dashboard is alive on the first start; every invariant holds over it (ledger chains, settlements
// exactly once, no held slot); the statistics' roll-ups of its months agree with the source; the
// last month's approved claims are left for the bureau's settlement, which then runs on them.
import { expect } from "chai";
import { DateTime } from "luxon";
import { seedDemoCity } from "../../server/demo/seed";
import { checkInvariants } from "../../server/modules/invariants/checker";
import { startTestServer, type TestServer } from "../support/server";
import { atTime } from "../support/clock";
import { login } from "../factories/accounts";
import { apiClient, expectStatus } from "../support/http";

/** The first seed's clock: 10 March 2031 in Shanghai, so the history is March 2029 – February 2031. */
const NOW = DateTime.fromISO("2031-03-10T10:00", { zone: "Asia/Shanghai" }).toMillis();

describe("the demo city's history", function () {
  this.timeout(300_000);
  let t: TestServer;
  let seedMs: number;

  before(async () => {
    t = await startTestServer("seed_history");
    const started = Date.now();
    const result = await seedDemoCity(t.db.conn, { now: NOW });
    seedMs = Date.now() - started;
    console.log(`      seed with history: ${seedMs} ms, ${result.inserted} documents (${JSON.stringify(Object.fromEntries(Object.entries(result.counts).filter(([k]) => k.startsWith("history"))))})`);
  });
  after(() => t?.stop());

  it("gives each of the 24 months before the first seed bookings and issued vouchers, and redemptions from the second month on", async () => {
    const monthly = await atTime(t.server.services.stats, NOW, () => t.server.services.stats.monthly({ from: "2029-03-01", to: "2031-02-28" }));
    expect(monthly.items).to.have.length(24);
    for (const m of monthly.items) {
      expect(m.bookings.count, m.month).to.be.above(0);
      expect(m.bookings.amountFen, m.month).to.be.above(0);
      expect(m.vouchersIssued.count, m.month).to.be.above(0);
      expect(m.countiesCovered, m.month).to.be.above(0);
    }
    for (const m of monthly.items.slice(1)) expect(m.vouchersRedeemed.count, m.month).to.be.above(0);
    // It grows, as the article's voucher push did: the second year well above the first.
    const year2 = monthly.items.slice(12);
    expect(year2.every((m) => m.yoy.bookingsCount !== null && m.yoy.bookingsCount > 1)).to.equal(true);
    // Nothing is dated in the month of the seed or later.
    const current = await atTime(t.server.services.stats, NOW, () => t.server.services.stats.overview({ from: "2031-03-01", to: "2031-03-10" }));
    expect(current.bookings.count).to.equal(0);
    expect(current.vouchersIssued.count).to.equal(0);
  });

  it("keeps every invariant: ledger chains equal to their vouchers, each period settled once with totals equal to its lines and to the ledger", async () => {
    const report = await checkInvariants(t.server.services, NOW);
    expect(report.violations).to.deep.equal([]);
    expect(report.checked.ledgerEntries).to.be.above(1_000);
    expect(report.checked.activeBookings).to.equal(0);
  });

  it("rolls its months up in agreement with the source (stats:verify)", async () => {
    const report = await atTime(t.server.services.stats, NOW, () => t.server.services.stats.verify());
    expect(report.checked).to.be.at.least(24);
    expect(report.differences).to.deep.equal([]);
    expect(report.ok).to.equal(true);
  });

  it("leaves the last month's approved claims for the bureau, whose settlement of it then pays them once", async () => {
    const settled = await t.db.conn.collection("settlements").find({}, { projection: { _id: 1 } }).toArray();
    expect(settled.map((s) => s._id)).to.include("2031-01").and.not.include("2031-02");
    const api = apiClient(t.baseUrl);
    const token = await login(api, t.admin.email, t.admin.password);
    const res = await atTime(t.server.services.claims, NOW, () => api.post("/api/settlements", { period: "2031-02" }, { token }));
    expectStatus(res, 201);
    expect(res.body.totals.claims).to.be.above(0);
    const report = await checkInvariants(t.server.services, NOW);
    expect(report.violations).to.deep.equal([]);
  });

  it("builds the same history again: a second seed, even a month later, inserts nothing", async () => {
    const again = await seedDemoCity(t.db.conn, { now: DateTime.fromMillis(NOW).plus({ months: 1 }).toMillis() });
    expect(again.inserted).to.equal(0);
  });
});

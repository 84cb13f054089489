// The demo city's history (issue 12, server/demo/history.ts): seeded with a fixed clock, it gives
// every one of its 24 months bookings, issued vouchers and (after the first) redemptions, so the
// dashboard is alive on the first start; every invariant holds over it (ledger chains, settlements
// exactly once, no held slot); the statistics' roll-ups of its months agree with the source; the
// last month's approved claims are left for the bureau's settlement, which then runs on them.
import { expect } from "chai";
import { DateTime } from "luxon";
import { seedDemoCity } from "../../server/demo/seed";
import { flowTotals, type FlowTotals } from "../../server/modules/stats/figures";
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

  it("writes the day index the statistics read: a booking number per booking (per creation day from 1, carried by the booking) and a day-log entry per voucher issue, void and settlement", async () => {
    const db = t.db.conn;
    const [numbers, bookings, log, vouchers, settlements] = await Promise.all([
      db.collection<{ _id: string; bookingId: string }>("booking_numbers").find({}).toArray(),
      db.collection<{ _id: string; number?: string; createdAt: Date }>("bookings").find({ _id: { $regex: /^demo-hist-/ } }, { projection: { number: 1, createdAt: 1 } }).toArray(),
      db.collection<{ _id: string; kind: string; ref: string }>("stats_day_log").find({}).toArray(),
      db.collection("vouchers").find({}, { projection: { voidedAt: 1 } }).toArray(),
      db.collection("settlements").find({}, { projection: { _id: 1 } }).toArray(),
    ]);
    expect(numbers).to.have.length(bookings.length);
    const byBooking = new Map(numbers.map((n) => [n.bookingId, n]));
    for (const b of bookings) {
      const n = byBooking.get(b._id)!;
      expect(n._id, b._id).to.equal(b.number);
      expect(n._id).to.equal(`YY-${DateTime.fromJSDate(b.createdAt, { zone: "Asia/Shanghai" }).toFormat("yyyyLLdd")}-${n._id.slice(-4)}`);
    }
    // Per day from 1 without gaps, as an empty database's counter hands them out.
    const perDay = new Map<string, number[]>();
    for (const n of numbers) (perDay.get(n._id.slice(3, 11)) ?? perDay.set(n._id.slice(3, 11), []).get(n._id.slice(3, 11))!).push(Number(n._id.slice(-4)));
    for (const list of perDay.values()) expect(list.sort((a, b) => a - b)).to.deep.equal(list.map((_, k) => k + 1));
    expect(log.filter((e) => e.kind === "voucher")).to.have.length(vouchers.length + vouchers.filter((v) => v.voidedAt).length);
    expect(log.filter((e) => e.kind === "settlement").map((e) => e.ref).sort()).to.deep.equal(settlements.map((s) => s._id).sort());
  });

  it("serves through /api/stats/monthly and /api/stats/overview, for every month of the history, the figures a scan of the sources gives, and stats:verify agrees without rebuilding", async () => {
    const api = apiClient(t.baseUrl);
    const token = await login(api, t.admin.email, t.admin.password);
    const stats = t.server.services.stats;
    const get = (path: string) => atTime(stats, NOW, () => api.get(path, { token }));
    const monthly = await get("/api/stats/monthly?from=2029-03-01&to=2031-02-28");
    expectStatus(monthly, 200);
    const months = (monthly.body.items as { month: string }[]).map((m) => m.month);
    expect(months).to.have.length(24);
    const scanned = await stats.computeFromSource(months);
    const flows = (f: FlowTotals) => ({ bookings: f.bookings, vouchersIssued: f.vouchersIssued, vouchersRedeemed: f.vouchersRedeemed, vouchersVoided: f.vouchersVoided, countiesCovered: f.countiesCovered, enterprisesUsingVouchers: f.enterprisesUsingVouchers });
    monthly.body.items.forEach((item: FlowTotals & { month: string; from: string; to: string }, k: number) => {
      const truth = flows(flowTotals([scanned[k]!], item.from, item.to));
      expect(flows(item), item.month).to.deep.equal(truth);
      expect(item.bookings.count, item.month).to.be.above(0);
      expect(item.vouchersIssued.count, item.month).to.be.above(0);
    });
    const overview = await get("/api/stats/overview?from=2029-03-01&to=2031-02-28");
    expectStatus(overview, 200);
    expect(flows(overview.body)).to.deep.equal(flows(flowTotals(scanned, "2029-03-01", "2031-02-28")));

    const report = await atTime(stats, NOW, () => stats.verify());
    expect(report.checked.months + report.checked.days).to.be.at.least(24);
    expect(report.differences).to.deep.equal([]);
    expect(report.rebuilt).to.deep.equal([]);
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

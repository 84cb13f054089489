// The bureau's statistics (issue 12) against the real database and HTTP server: a fixture with known
// bookings, vouchers and settlements gives exactly the expected overview, monthly, county, industry
// and growth figures; a closed month is rolled up once (also under 100 racing readers) and equals the
// live computation; the open month and a month within its grace are never stored; bad input is 400.
import { expect } from "chai";
import { DateTime } from "luxon";
import { enterpriseBody, login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import { insertBookings, insertSettlement, insertVouchers, sh } from "../factories/stats";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as, completedVoucher } from "../support/voucher-flow";
import { StatsService } from "../../server/modules/stats/service";
import { StatsSources } from "../../server/modules/stats/sources";
import { figuresOf, statsMonthModel } from "../../server/modules/stats/model";
import { runStatsVerify, tamperWithDay } from "../support/stats-verify";

/** "Today" of the fixture: 2031-04-10 noon in Shanghai; March 2031 is closed, April open. */
const TODAY = sh("2031-04-10T12:00").getTime();

describe("bureau statistics", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let provider: TestUser;
  let instrumentId: string;
  const ent: Record<"e1" | "e2" | "e3" | "e4", TestUser> = {} as never;
  const stats = () => t.server.services.stats;
  const get = (path: string, when = TODAY) => atTime(stats(), when, () => api.get(path, as(bureau)));
  const rollups = () => statsMonthModel(t.db.conn);

  async function enterprise(county: string, industry: string, approve: boolean): Promise<TestUser> {
    const user = await registerUser(api, "enterprise");
    const res = await api.post("/api/enterprises", enterpriseBody({ county, industry }), as(user));
    expectStatus(res, 201);
    if (approve) expectStatus(await api.post(`/api/enterprises/${res.body.id}/review`, { decision: "approve" }, as(bureau)), 200);
    return { ...user, orgId: res.body.id };
  }

  before(async () => {
    t = await startTestServer("stats");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    provider = await orgAdmin(api, "provider", bureau.token);
    instrumentId = (await publishInstrument(api, provider)).id;
    ent.e1 = await enterprise("linqing", "bearings", true);
    ent.e2 = await enterprise("linqing", "bearings", true);
    ent.e3 = await enterprise("gaotang", "chemicals", true);
    ent.e4 = await enterprise("dongchangfu", "auto_parts", false); // pending: on the platform, not in the registry
    // E1 and the instrument were registered before the growth baseline (2019-12-31).
    await t.db.conn.collection("enterprises").updateOne({ _id: ent.e1.orgId as never }, { $set: { createdAt: sh("2019-06-01T10:00"), reviewedAt: sh("2019-06-02T10:00") } });
    await t.db.conn.collection("instruments").updateOne({ _id: instrumentId as never }, { $set: { createdAt: sh("2019-05-01T10:00") } });
    await publishInstrument(api, provider);

    const conn = t.db.conn;
    const p = provider.orgId!;
    const [e1, e2, e3, e4] = [ent.e1.orgId!, ent.e2.orgId!, ent.e3.orgId!, ent.e4.orgId!];
    await insertBookings(conn, e1, p, instrumentId, [
      { at: sh("2030-03-10T09:00"), priceFen: 100_000 },
      { at: sh("2031-03-05T09:00"), priceFen: 100_000 },
      { at: sh("2031-03-06T09:00"), priceFen: 50_000 },
      { at: sh("2031-03-15T09:00"), priceFen: 40_000, status: "rejected" },
      { at: sh("2031-03-20T09:00"), priceFen: 70_000, status: "cancelled" },
      { at: sh("2031-03-31T23:59:59.999"), priceFen: 30_000 }, // the last instant of March
      { at: sh("2031-04-01T00:00"), priceFen: 60_000 }, // the first of April
      { at: sh("2031-04-02T09:00"), priceFen: 20_000 },
      { at: sh("2030-09-10T09:00"), priceFen: 50_000 }, // September 2030: read first by the roll-up race
    ]);
    await insertVouchers(conn, p, [
      { id: "v-2030", enterpriseId: e1, county: "linqing", faceValueFen: 90_000, issuedAt: sh("2030-03-10T10:00"), status: "redeemed" },
      { enterpriseId: e1, county: "linqing", faceValueFen: 90_000, issuedAt: sh("2031-03-05T10:00"), status: "claimed" },
      { enterpriseId: e2, county: "linqing", faceValueFen: 45_000, issuedAt: sh("2031-03-06T10:00"), status: "void", voidedAt: sh("2031-03-07T10:00") },
      { enterpriseId: e3, county: "gaotang", faceValueFen: 0, issuedAt: sh("2031-03-15T10:00"), status: "declined" },
      { enterpriseId: e3, county: "gaotang", faceValueFen: 30_000, issuedAt: sh("2031-03-31T23:59:59.999"), status: "claimed" },
      { enterpriseId: e4, county: "dongchangfu", faceValueFen: 60_000, issuedAt: sh("2031-04-01T00:00"), status: "issued" },
      { enterpriseId: e1, county: "linqing", faceValueFen: 10_000, issuedAt: sh("2031-04-02T10:00"), status: "issued" },
      { enterpriseId: e3, county: "gaotang", faceValueFen: 20_000, issuedAt: sh("2030-09-10T10:00"), status: "redeemed" },
    ]);
    // February 2031's settlement, made on 1 March: two vouchers paid 90,000 + 20,000.
    await insertSettlement(conn, "2031-02", sh("2031-03-01T10:00"), [
      { voucherId: "v-a", enterpriseId: e1, provinceFen: 60_000, cityFen: 30_000 },
      { voucherId: "v-b", enterpriseId: e2, provinceFen: 15_000, cityFen: 5_000 },
    ], p);
    await insertSettlement(conn, "2030-02", sh("2030-03-02T10:00"), [{ voucherId: "v-2030", enterpriseId: e1, provinceFen: 30_000, cityFen: 15_000 }], p);
  });
  after(() => t?.stop());

  const MARCH = {
    vouchersIssued: { count: 3, amountFen: 165_000 },
    vouchersRedeemed: { count: 2, amountFen: 110_000 },
    vouchersVoided: { count: 1, amountFen: 45_000 },
    bookings: { count: 5, amountFen: 290_000 },
    enterprisesUsingVouchers: 3,
    registryEnterprises: 3,
    enterprises: 4,
    instruments: 2,
    countiesCovered: 2,
  };

  describe("overview", () => {
    it("counts March 2031 exactly: issued vouchers whatever became of them, redemptions on the settlement's day, every booking created, stocks at the range's end", async () => {
      const res = await get("/api/stats/overview?from=2031-03-01&to=2031-03-31");
      expectStatus(res, 200);
      expect(res.body).to.deep.equal({ from: "2031-03-01", to: "2031-03-31", countiesTotal: 11, ...MARCH });
    });

    it("puts the last millisecond of a month in that month and midnight in the next (platform zone)", async () => {
      const last = (await get("/api/stats/overview?from=2031-03-31&to=2031-03-31")).body;
      expect(last).to.include({ enterprisesUsingVouchers: 1, countiesCovered: 1 });
      expect(last.bookings).to.deep.equal({ count: 1, amountFen: 30_000 });
      expect(last.vouchersIssued).to.deep.equal({ count: 1, amountFen: 30_000 });
      const first = (await get("/api/stats/overview?from=2031-04-01&to=2031-04-01")).body;
      expect(first.bookings).to.deep.equal({ count: 1, amountFen: 60_000 });
      expect(first.vouchersIssued).to.deep.equal({ count: 1, amountFen: 60_000 });
    });

    it("defaults to this year up to today, the open month included", async () => {
      const res = await get("/api/stats/overview");
      expect(res.body).to.include({ from: "2031-01-01", to: "2031-04-10", enterprisesUsingVouchers: 4, countiesCovered: 3 });
      expect(res.body.vouchersIssued).to.deep.equal({ count: 5, amountFen: 235_000 });
      expect(res.body.bookings).to.deep.equal({ count: 7, amountFen: 370_000 });
    });

    it("counts a voucher booking made through the API today, and the booking cancelled today", async () => {
      const v = await completedVoucher(t, api, ent.e2, provider, instrumentId, 30_000);
      const other = await api.post("/api/bookings", { instrumentId, start: shanghai(60, "09:00"), end: shanghai(60, "10:00") }, as(ent.e3));
      expectStatus(other, 201);
      expectStatus(await api.post(`/api/bookings/${other.body.id}/cancel`, { reason: "计划变更" }, as(ent.e3)), 200);
      const voucher = (await api.get("/api/vouchers?pageSize=100", as(ent.e2))).body.items.find((x: { id: string }) => x.id === v.voucherId);
      const today = DateTime.now().setZone("Asia/Shanghai").toISODate();
      const res = await api.get(`/api/stats/overview?from=${today}&to=${today}`, as(bureau));
      expectStatus(res, 200);
      expect(res.body.bookings).to.deep.equal({ count: 2, amountFen: 60_000 });
      expect(res.body.vouchersIssued).to.deep.equal({ count: 1, amountFen: voucher.faceValueFen });
      expect(voucher.faceValueFen).to.be.greaterThan(0);
      expect(res.body).to.include({ enterprisesUsingVouchers: 1, countiesCovered: 1 });
    });
  });

  describe("monthly", () => {
    it("gives each month's figures within the range and the ratios to the same days a year before (null where that period had none)", async () => {
      const res = await get("/api/stats/monthly?from=2031-03-01&to=2031-04-10");
      expectStatus(res, 200);
      const [march, april] = res.body.items;
      expect(res.body.items).to.have.length(2);
      expect(march).to.deep.equal({
        month: "2031-03", from: "2031-03-01", to: "2031-03-31", ...MARCH,
        yoy: {
          vouchersIssuedCount: 3, vouchersIssuedAmount: 1.8333, vouchersRedeemedCount: 2, vouchersRedeemedAmount: 2.4444,
          bookingsCount: 5, bookingsAmount: 2.9, enterprisesUsingVouchers: 3, registryEnterprises: 1, enterprises: 1, instruments: 1,
        },
      });
      expect(april).to.include({ month: "2031-04", from: "2031-04-01", to: "2031-04-10", enterprisesUsingVouchers: 2, countiesCovered: 2 });
      expect(april.bookings).to.deep.equal({ count: 2, amountFen: 80_000 });
      expect(april.vouchersIssued).to.deep.equal({ count: 2, amountFen: 70_000 });
      expect(april.yoy).to.include({ vouchersIssuedCount: null, bookingsAmount: null, enterprisesUsingVouchers: null, enterprises: 1 });
    });
  });

  describe("by county and by industry", () => {
    it("counts enterprises subsidized per county with shares adding to 100.00", async () => {
      const res = await get("/api/stats/by-county?from=2031-03-01&to=2031-03-31");
      expectStatus(res, 200);
      expect(res.body.items).to.deep.equal([
        { code: "linqing", count: 2, amountFen: 135_000, share: 66.67 },
        { code: "gaotang", count: 1, amountFen: 30_000, share: 33.33 },
      ]);
    });

    it("counts an enterprise once however many vouchers it got, and splits three equal groups 33.34 / 33.33 / 33.33 (largest remainder)", async () => {
      const res = await get("/api/stats/by-county?from=2031-03-06&to=2031-04-02");
      expect(res.body.items).to.deep.equal([
        { code: "linqing", count: 2, amountFen: 55_000, share: 50 },
        { code: "dongchangfu", count: 1, amountFen: 60_000, share: 25 },
        { code: "gaotang", count: 1, amountFen: 30_000, share: 25 },
      ]);
      const three = await get("/api/stats/by-industry?from=2031-03-31&to=2031-04-02");
      expect(three.body.items).to.deep.equal([
        { code: "auto_parts", count: 1, amountFen: 60_000, share: 33.34 },
        { code: "chemicals", count: 1, amountFen: 30_000, share: 33.33 },
        { code: "bearings", count: 1, amountFen: 10_000, share: 33.33 },
      ]);
      expect(three.body.items.reduce((n: number, i: { share: number }) => n + Math.round(i.share * 100), 0)).to.equal(10_000);
    });

    it("groups by the enterprise's industry and answers no items for an empty range", async () => {
      const res = await get("/api/stats/by-industry?from=2031-03-01&to=2031-03-31");
      expect(res.body.items).to.deep.equal([
        { code: "bearings", count: 2, amountFen: 135_000, share: 66.67 },
        { code: "chemicals", count: 1, amountFen: 30_000, share: 33.33 },
      ]);
      expect((await get("/api/stats/by-county?from=2029-01-01&to=2029-12-31")).body.items).to.deep.equal([]);
      expect((await get("/api/stats/by-industry?from=2029-01-01&to=2029-12-31")).body.items).to.deep.equal([]);
    });
  });

  describe("growth", () => {
    it("compares enterprises, instruments and registry enterprises at the baseline day with now", async () => {
      const res = await get("/api/stats/growth?baseline=2019-12-31");
      expectStatus(res, 200);
      expect(res.body).to.deep.equal({
        baseline: "2019-12-31", today: "2031-04-10",
        enterprises: { baseline: 1, now: 4, growthPercent: 300 },
        instruments: { baseline: 1, now: 2, growthPercent: 100 },
        registryEnterprises: { baseline: 1, now: 3, growthPercent: 200 },
      });
      const none = (await get("/api/stats/growth?baseline=2019-01-01")).body;
      expect(none.enterprises).to.deep.equal({ baseline: 0, now: 4, growthPercent: null });
    });
  });

  describe("monthly roll-ups", () => {
    /** Another server process on the same database: its own caches, the platform's clock at `now`. */
    const otherProcess = (now = TODAY) => Object.assign(new StatsService(t.db.conn), { now: () => now });

    it("stores a closed month once, equal to the live computation, under 50 requests and 50 other processes racing", async () => {
      const query = { from: "2030-09-01", to: "2030-09-30" };
      const others = Array.from({ length: 50 }, () => otherProcess());
      const answers = await atTime(stats(), TODAY, () => Promise.all([
        ...Array.from({ length: 50 }, () => api.get("/api/stats/overview?from=2030-09-01&to=2030-09-30", as(bureau)).then((r) => r.body)),
        ...others.map((s) => s.overview(query)),
      ]));
      const september = {
        ...query, countiesTotal: 11, vouchersIssued: { count: 1, amountFen: 20_000 }, vouchersRedeemed: { count: 0, amountFen: 0 }, vouchersVoided: { count: 0, amountFen: 0 },
        bookings: { count: 1, amountFen: 50_000 }, enterprisesUsingVouchers: 1, registryEnterprises: 3, enterprises: 4, instruments: 2, countiesCovered: 1,
      };
      for (const a of answers) expect(a).to.deep.equal(september);
      const stored = await rollups().find({ _id: { $in: ["2030-08", "2030-09", "2030-10"] } }).lean();
      expect(stored.map((d) => d._id)).to.deep.equal(["2030-09"]);
      expect(figuresOf(stored[0]!)).to.deep.equal((await new StatsSources(t.db.conn).months(["2030-09"]))[0]);
    });

    it("never stores the open month, nor a month within its 15 minutes of grace", async () => {
      await rollups().deleteMany({});
      const march = { from: "2031-03-01", to: "2031-03-31" };
      expect(await otherProcess(sh("2031-04-01T00:10").getTime()).overview(march)).to.include({ enterprisesUsingVouchers: 3 });
      expect(await rollups().countDocuments({})).to.equal(0);
      expect(await otherProcess(sh("2031-04-01T00:15").getTime()).overview({ from: "2031-03-01", to: "2031-04-01" })).to.include({ enterprisesUsingVouchers: 4 });
      expect((await rollups().find({}).lean()).map((d) => d._id)).to.deep.equal(["2031-03"]);
    });

    it("serves the stored roll-up: `stats:verify` finds a tampered one, `--rebuild` restores it", async () => {
      await get("/api/stats/monthly?from=2031-01-01&to=2031-03-31");
      expect(await runStatsVerify(t.db)).to.include({ code: 0 });
      await tamperWithDay(rollups(), "2031-03", "2031-03-05", { bookings: 9 });
      expect((await otherProcess().overview({ from: "2031-03-01", to: "2031-03-31" })).bookings.count).to.equal(13);
      const found = await runStatsVerify(t.db);
      expect(found.code).to.equal(1);
      expect(found.stdout).to.match(/DIFFERENT 2031-03/).and.match(/2031-03-05: stored .*"bookings":9/);
      const rebuilt = await runStatsVerify(t.db, ["--rebuild"]);
      expect(rebuilt.code).to.equal(1);
      expect(rebuilt.stdout).to.include("rebuilt");
      expect(await runStatsVerify(t.db)).to.include({ code: 0 });
      expect(await otherProcess().overview({ from: "2031-03-01", to: "2031-03-31" })).to.deep.include(MARCH);
    });
  });

  describe("bad input", () => {
    const cases: [string, string, string][] = [
      ["a day that does not exist", "/api/stats/overview?from=2031-02-30&to=2031-03-01", "VALIDATION_FAILED"],
      ["a day not in YYYY-MM-DD", "/api/stats/monthly?from=2031-3-1", "VALIDATION_FAILED"],
      ["an unknown parameter", "/api/stats/by-county?from=2031-03-01&county=linqing", "VALIDATION_FAILED"],
      ["from after to", "/api/stats/by-industry?from=2031-03-02&to=2031-03-01", "STATS_RANGE_REVERSED"],
      ["a range over 10 years", "/api/stats/monthly?from=2020-01-01&to=2030-01-01", "STATS_RANGE_TOO_LONG"],
      ["a baseline after today", "/api/stats/growth?baseline=2031-04-11", "STATS_BASELINE_FUTURE"],
      ["no baseline", "/api/stats/growth", "VALIDATION_FAILED"],
    ];
    for (const [what, path, code] of cases) {
      it(`answers 400 ${code} for ${what}`, async () => {
        const res = await get(path);
        expectStatus(res, 400, code);
      });
    }

    it("accepts exactly 10 years and names the failing field in the caller's language", async () => {
      expectStatus(await get("/api/stats/overview?from=2020-01-01&to=2029-12-31"), 200);
      const res = await atTime(stats(), TODAY, () => api.get("/api/stats/overview?from=2031-03-02&to=2031-03-01", { ...as(bureau), headers: { "accept-language": "en" } }));
      expect(res.body.error.fields).to.deep.equal([{ field: "/query/to", rule: "notBeforeStart", message: "must not be before the start 2031-03-02" }]);
    });
  });
});

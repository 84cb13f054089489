// The year's voucher budgets (issue 12, oversight) against the real database and HTTP server: a
// fixture with known vouchers, settlements and pending voucher bookings gives exactly the expected
// committed and paid figures and forecast; budget versions are decided by insert, so racing
// changes leave one winner and the full history; bad input is 400 with nothing written.
import { expect } from "chai";
import { login, orgAdmin } from "../factories/accounts";
import { insertBookings, insertSettlement, insertVouchers, sh } from "../factories/oversight";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

/** "Today": 2031-04-10 noon in Shanghai (20 days of April left after today). */
const TODAY = sh("2031-04-10T12:00").getTime();

describe("oversight: the year's budgets", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  const oversight = () => t.server.services.oversight;
  const get = (path: string) => atTime(oversight(), TODAY, () => api.get(path, bureau));
  const put = (year: number, body: object) => atTime(oversight(), TODAY, () => api.call("PUT", `/api/oversight/budget/${year}`, { json: body, ...bureau }));

  before(async () => {
    t = await startTestServer("oversight-budget");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    const conn = t.db.conn;
    const [e, p] = ["e-budget", "p-budget"];
    const v = (provinceFen: number, cityFen: number, status: "issued" | "claimed" | "redeemed" | "void" | "declined" | "expired", issuedAt: string, year?: number) =>
      ({ enterpriseId: e, providerId: p, provinceFen, cityFen, status, issuedAt: sh(issuedAt), ...(year ? { year } : {}) });
    const [v1, v2, v3, , , v6, v7] = await insertVouchers(conn, [
      v(60_000, 30_000, "issued", "2031-01-15T10:00"), // committed; January's run-rate basis
      v(12_000, 6_000, "claimed", "2031-02-10T10:00"), // committed (claimed, not yet paid)
      v(30_000, 15_000, "redeemed", "2031-03-05T10:00"), // paid 24,000 + 12,000 by the March settlement
      v(6_000, 3_000, "void", "2031-03-06T10:00"), // given back: nowhere
      v(9_000, 4_500, "issued", "2031-04-02T10:00"), // committed; the current month is not in the basis
      v(50_000, 25_000, "issued", "2030-12-20T10:00", 2030), // another quota year
      v(3_000, 1_500, "claimed", "2031-02-20T10:00"), // settled, its "redeemed" event not yet written: paid, not committed
    ]);
    expect([v1, v2].length).to.equal(2);
    await insertSettlement(conn, "2031-03", sh("2031-04-02T09:00"), [
      { kind: "voucher_subsidy", amountFen: 24_000, source: "province", voucherId: v3 },
      { kind: "voucher_subsidy", amountFen: 12_000, source: "city", voucherId: v3 },
      { kind: "provider_subsidy", amountFen: 2_000, source: "city", voucherId: v3 },
      { kind: "voucher_subsidy", amountFen: 3_000, source: "province", voucherId: v7 },
      { kind: "voucher_subsidy", amountFen: 1_500, source: "city", voucherId: v7 },
      { kind: "voucher_subsidy", amountFen: 40_000, source: "province", voucherId: v6 }, // a 2030 voucher: 2030's budget
      { kind: "award_match", amountFen: 10_000, source: "city", awardId: "p-budget:2031" },
      { kind: "award_match", amountFen: 7_000, source: "city", awardId: "p-budget:2030" },
    ]);
    // The pipeline: voucher bookings waiting for confirmation, valued at today's policy (60% + 30%).
    await insertBookings(conn, [
      { enterpriseId: e, providerId: p, createdAt: sh("2031-04-09T10:00"), start: sh("2031-05-20T09:00"), status: "pending", priceFen: 100_000, useVoucher: true },
      { enterpriseId: e, providerId: p, createdAt: sh("2031-04-09T11:00"), start: sh("2031-04-20T09:00"), status: "pending", priceFen: 10_000, useVoucher: true },
      { enterpriseId: e, providerId: p, createdAt: sh("2031-04-09T12:00"), start: sh("2032-01-20T09:00"), status: "pending", priceFen: 50_000, useVoucher: true },
      { enterpriseId: e, providerId: p, createdAt: sh("2031-04-09T13:00"), start: sh("2031-06-20T09:00"), status: "pending", priceFen: 70_000, useVoucher: false },
    ]);
  });
  after(() => t?.stop());

  describe("setting a year's budgets", () => {
    it("stores version 1 (201), then version 2 on the version seen (200), and keeps both as history", async () => {
      const first = await put(2031, { provinceBudgetFen: 150_000, cityBudgetFen: 80_000, expectedVersion: 0, note: " 年初预算 " });
      expectStatus(first, 201);
      expect(first.body).to.include({ year: 2031, version: 1, provinceBudgetFen: 150_000, cityBudgetFen: 80_000, note: "年初预算" });
      const second = await put(2031, { provinceBudgetFen: 200_000, cityBudgetFen: 100_000, expectedVersion: 1 });
      expectStatus(second, 200);
      expect(second.body).to.include({ version: 2, provinceBudgetFen: 200_000 });
      const report = await get("/api/oversight/budget?year=2031");
      expect(report.body.budget).to.include({ version: 2, cityBudgetFen: 100_000 });
      expect(report.body.history.map((h: { version: number }) => h.version)).to.deep.equal([1, 2]);
    });

    it("answers 409 BUDGET_VERSION_CONFLICT to a change made on a stale version, and changes nothing", async () => {
      const stale = await put(2031, { provinceBudgetFen: 1, cityBudgetFen: 1, expectedVersion: 1 });
      expectStatus(stale, 409, "BUDGET_VERSION_CONFLICT");
      expect(stale.body.error.message).to.include("2");
      const report = await get("/api/oversight/budget?year=2031");
      expect(report.body.budget.provinceBudgetFen).to.equal(200_000);
    });

    it("lets exactly one of 20 parallel changes on the same version win; the others get 409 and no change is lost or doubled", async () => {
      const results = await atTime(oversight(), TODAY, () =>
        Promise.all(Array.from({ length: 20 }, (_, k) => api.call("PUT", "/api/oversight/budget/2032", { json: { provinceBudgetFen: 1_000 + k, cityBudgetFen: 500, expectedVersion: 0 }, ...bureau }))),
      );
      const won = results.filter((r) => r.status === 201);
      expect(won).to.have.length(1);
      for (const r of results.filter((x) => x.status !== 201)) expectStatus(r, 409, "BUDGET_VERSION_CONFLICT");
      const history = (await get("/api/oversight/budget?year=2032")).body.history;
      expect(history).to.have.length(1);
      expect(history[0].provinceBudgetFen).to.equal(won[0]!.body.provinceBudgetFen);
    });

    for (const [what, year, body] of [
      ["a negative amount", 2033, { provinceBudgetFen: -1, cityBudgetFen: 0, expectedVersion: 0 }],
      ["yuan with decimals instead of fen", 2033, { provinceBudgetFen: 10.5, cityBudgetFen: 0, expectedVersion: 0 }],
      ["a missing city budget", 2033, { provinceBudgetFen: 10, expectedVersion: 0 }],
      ["an unknown field", 2033, { provinceBudgetFen: 10, cityBudgetFen: 0, expectedVersion: 0, total: 10 }],
      ["a year before 2000", 1999, { provinceBudgetFen: 10, cityBudgetFen: 0, expectedVersion: 0 }],
      ["a note over 500 characters", 2033, { provinceBudgetFen: 10, cityBudgetFen: 0, expectedVersion: 0, note: "x".repeat(501) }],
    ] as const) {
      it(`refuses ${what} with 400 VALIDATION_FAILED and stores nothing`, async () => {
        expectStatus(await put(year, body), 400, "VALIDATION_FAILED");
        expect(await t.db.conn.collection("oversight_budgets").countDocuments({ year })).to.equal(0);
      });
    }
    it("refuses ?year=abc with 400", async () => {
      expectStatus(await get("/api/oversight/budget?year=abc"), 400, "VALIDATION_FAILED");
    });
  });

  describe("the report of 2031", () => {
    it("counts committed (issued or claimed, unpaid) and paid money by province and city; the city pays provider subsidies and the year's award matches too", async () => {
      const r = (await get("/api/oversight/budget?year=2031")).body;
      expect(r.today).to.equal("2031-04-10");
      expect(r.province).to.deep.equal({ budgetFen: 200_000, committedFen: 81_000, paidFen: 27_000, remainingFen: 92_000, usedPercent: 54 });
      expect(r.city).to.deep.equal({ budgetFen: 100_000, committedFen: 40_500, paidFen: 25_500, remainingFen: 34_000, usedPercent: 66, providerSubsidyPaidFen: 2_000, awardMatchPaidFen: 10_000 });
    });

    it("forecasts each month to December: the last 3 complete months' run rate (pro rata for April) plus the pending voucher bookings of the month", async () => {
      const f = (await get("/api/oversight/budget?year=2031")).body.forecast;
      expect(f.method).to.equal("run_rate_3m_plus_pipeline");
      expect(f.basisMonths).to.deep.equal(["2031-01", "2031-02", "2031-03"]);
      // (60,000 + 12,000 + 3,000 + 30,000) / 3 and (30,000 + 6,000 + 1,500 + 15,000) / 3
      expect([f.runRateProvinceFen, f.runRateCityFen]).to.deep.equal([35_000, 17_500]);
      expect(f.items.map((i: { month: string }) => i.month)).to.deep.equal(["2031-04", "2031-05", "2031-06", "2031-07", "2031-08", "2031-09", "2031-10", "2031-11", "2031-12"]);
      expect(f.items[0]).to.deep.equal({
        month: "2031-04", runRateProvinceFen: 23_333, runRateCityFen: 11_667, pipelineProvinceFen: 6_000, pipelineCityFen: 3_000,
        cumulativeProvinceFen: 137_333, cumulativeCityFen: 80_667, overProvinceBudget: false, overCityBudget: false,
      });
      expect(f.items[1]).to.deep.equal({
        month: "2031-05", runRateProvinceFen: 35_000, runRateCityFen: 17_500, pipelineProvinceFen: 60_000, pipelineCityFen: 30_000,
        cumulativeProvinceFen: 232_333, cumulativeCityFen: 128_167, overProvinceBudget: true, overCityBudget: true,
      });
      expect(f.items[8]).to.include({ month: "2031-12", cumulativeProvinceFen: 477_333, cumulativeCityFen: 250_667 });
      expect([f.provinceExhaustedIn, f.cityExhaustedIn]).to.deep.equal(["2031-05", "2031-05"]);
    });

    it("answers a year without budget with null budgets, and gives no forecast for a past year", async () => {
      const r = (await get("/api/oversight/budget?year=2030")).body;
      expect(r.budget).to.equal(null);
      expect(r.province).to.deep.equal({ budgetFen: null, committedFen: 0, paidFen: 40_000, remainingFen: null, usedPercent: null });
      expect(r.city.awardMatchPaidFen).to.equal(7_000);
      expect(r.forecast).to.include({ method: "none", provinceExhaustedIn: null });
      expect(r.forecast.items).to.deep.equal([]);
    });
  });

  it("lets bureau reviewers read but only the bureau admin set budgets; providers and enterprises get 403", async () => {
    const provider = await orgAdmin(api, "provider", bureau.token);
    expectStatus(await api.get("/api/oversight/budget", provider), 403, "FORBIDDEN");
    expectStatus(await api.call("PUT", "/api/oversight/budget/2034", { json: { provinceBudgetFen: 1, cityBudgetFen: 1, expectedVersion: 0 }, token: provider.token }), 403, "FORBIDDEN");
  });
});

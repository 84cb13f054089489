// The dashboard's ranking (GET /api/stats/top, issue 12) against the real database and HTTP server:
// a fixture with known bookings gives exactly the expected counts and amounts per instrument and per
// provider (a package booking counted once per instrument and provider, its price split over its
// items), the range's days in the platform zone, the limit, and 400 for bad input.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { insertBookings, sh } from "../factories/stats";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as } from "../support/voucher-flow";

const TODAY = sh("2031-04-10T12:00").getTime();

describe("the dashboard's top instruments and providers", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let p1: TestUser;
  let p2: TestUser;
  const inst: Record<"a" | "b" | "c", { id: string; name: string }> = {} as never;
  const names: Record<string, string> = {};
  const get = (path: string) => atTime(t.server.services.stats, TODAY, () => api.get(path, as(bureau)));

  before(async () => {
    t = await startTestServer("stats-top");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    p1 = await orgAdmin(api, "provider", bureau.token);
    p2 = await orgAdmin(api, "provider", bureau.token);
    inst.a = await publishInstrument(api, p1, { name: "热场发射扫描电镜" });
    inst.b = await publishInstrument(api, p1, { name: "电感耦合等离子体质谱仪" });
    inst.c = await publishInstrument(api, p2, { name: "三坐标测量机" });
    for (const p of [p1, p2]) {
      const doc = await t.db.conn.collection("providers").findOne({ _id: p.orgId as never });
      names[p.orgId!] = String(doc!.name);
    }
    const ent = "ent-top-test";
    await insertBookings(t.db.conn, ent, p1.orgId!, inst.a.id, [
      { at: sh("2031-03-01T00:00"), priceFen: 30_000 }, // the first instant of the range
      { at: sh("2031-03-10T09:00"), priceFen: 30_000, status: "cancelled" }, // counted whatever became of it
      { at: sh("2031-03-31T23:59:59.999"), priceFen: 30_000 }, // the last instant
      { at: sh("2031-02-28T23:59:59.999"), priceFen: 999_000 }, // before the range
    ]);
    await insertBookings(t.db.conn, ent, p1.orgId!, inst.b.id, [{ at: sh("2031-03-12T09:00"), priceFen: 120_000 }]);
    await insertBookings(t.db.conn, ent, p2.orgId!, inst.c.id, [
      { at: sh("2031-03-13T09:00"), priceFen: 50_000 },
      { at: sh("2031-04-01T00:00"), priceFen: 999_000 }, // after the range
    ]);
    // A package booking over instruments of both providers: 100,001 fen over two items → 50,001 + 50,000.
    const start = sh("2031-03-21T09:00");
    const end = sh("2031-03-21T10:00");
    await t.db.conn.model("Booking").create({
      _id: `b-${randomBytes(8).toString("hex")}`, version: 1, kind: "package", status: "completed", enterpriseId: ent, enterpriseName: "统计测试企业",
      providerIds: [p1.orgId, p2.orgId], actingProviderId: p1.orgId, instrumentIds: [inst.a.id, inst.c.id], packageId: "pkg-top-test", title: "标准制定服务包",
      items: [inst.a, inst.c].map((i, k) => ({ instrumentId: i.id, instrumentName: i.name, providerId: k === 0 ? p1.orgId : p2.orgId, start, end, unit: 0 })),
      claimIds: [], priceFen: 100_001, useVoucher: false, cancelDeadline: start, cancelDeadlineHours: 24, firstStart: start, lastEnd: end,
      history: [], createdBy: "stats-test", createdAt: sh("2031-03-20T09:00"), updatedAt: sh("2031-03-20T09:00"),
    });
  });
  after(() => t?.stop());

  it("ranks instruments by bookings created in the range, then amount: a package counts for each of its instruments with its share of the price", async () => {
    const res = await get("/api/stats/top?from=2031-03-01&to=2031-03-31&by=instrument");
    expectStatus(res, 200);
    expect(res.body).to.deep.equal({
      from: "2031-03-01", to: "2031-03-31", by: "instrument",
      items: [
        { id: inst.a.id, name: inst.a.name, count: 4, amountFen: 140_001 },
        { id: inst.c.id, name: inst.c.name, count: 2, amountFen: 100_000 },
        { id: inst.b.id, name: inst.b.name, count: 1, amountFen: 120_000 },
      ],
    });
  });

  it("ranks providers the same way, a package booking counted once per provider", async () => {
    const res = await get("/api/stats/top?from=2031-03-01&to=2031-03-31&by=provider");
    expectStatus(res, 200);
    expect(res.body.items).to.deep.equal([
      { id: p1.orgId, name: names[p1.orgId!], count: 5, amountFen: 260_001 },
      { id: p2.orgId, name: names[p2.orgId!], count: 2, amountFen: 100_000 },
    ]);
  });

  it("keeps the first `limit` of the ranking, and defaults to this year up to today", async () => {
    const one = await get("/api/stats/top?from=2031-03-01&to=2031-03-31&by=instrument&limit=1");
    expect(one.body.items.map((i: { id: string }) => i.id)).to.deep.equal([inst.a.id]);
    const year = await get("/api/stats/top?by=provider");
    expect(year.body).to.include({ from: "2031-01-01", to: "2031-04-10" });
    expect(year.body.items[0]).to.deep.equal({ id: p1.orgId, name: names[p1.orgId!], count: 6, amountFen: 1_259_001 });
    expect(year.body.items[1]).to.deep.equal({ id: p2.orgId, name: names[p2.orgId!], count: 3, amountFen: 1_099_000 });
  });

  it("answers 400 with a stable code for a reversed range, an unknown grouping or a limit out of bounds", async () => {
    const reversed = await get("/api/stats/top?from=2031-03-31&to=2031-03-01&by=instrument");
    expectStatus(reversed, 400);
    expect(reversed.body.error.code).to.equal("STATS_RANGE_REVERSED");
    for (const q of ["by=county", "by=instrument&limit=0", "by=instrument&limit=51", "", "by=instrument&extra=1"]) {
      const res = await get(`/api/stats/top?${q}`);
      expectStatus(res, 400);
      expect(res.body.error.code, q).to.equal("VALIDATION_FAILED");
    }
  });
});

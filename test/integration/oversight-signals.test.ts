// Collusion signals (issue 12, oversight) against the real database and HTTP server: a fixture year
// holds one case of each kind that crosses its threshold and one that stays just below it; the list
// gives exactly the flagged ones with their evidence, filtered and paginated; reviews are appended
// (also 10 at once) and give the status; bad input is 400.
import { expect } from "chai";
import { login } from "../factories/accounts";
import { insertBookings, insertPolicy, insertVoucherBooking, sh, type BookingRowSpec } from "../factories/oversight";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { controllerKey } from "../../server/modules/oversight/signal-rules";

const RANGE = "from=2030-01-01&to=2030-12-31";

describe("oversight: collusion signals", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  const ids: Record<string, string[]> = {};
  const list = (q = "") => api.get(`/api/oversight/signals?${RANGE}${q}`, bureau);

  before(async () => {
    t = await startTestServer("oversight-signals");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    const conn = t.db.conn;
    // A per-service cap of 900 yuan (subsidy) in 2030: at 60% + 30% it bites at a contract of 1,000 yuan.
    await insertPolicy(conn, "2030-01-01", { perServiceCapFen: 90_000 });
    await insertPolicy(conn, "2031-01-01", { perServiceCapFen: null });
    await conn.collection("enterprises").insertMany([
      { _id: "e5" as never, name: "甲轴承", actualController: "张三" },
      { _id: "e6" as never, name: "乙轴承", actualController: " 张三 " },
      { _id: "e7" as never, name: "丙轴承", actualController: "张三" }, // no voucher in 2030: not in the evidence
      { _id: "e8" as never, name: "丁化工", actualController: "李四" }, // alone under its controller: clean
    ]);
    const at = (d: number) => sh(`2030-0${1 + (d % 9)}-${String(10 + d).padStart(2, "0")}T10:00`);
    const vb = async (key: string, enterpriseId: string, providerId: string, d: number, extra: Partial<BookingRowSpec> & { policyId?: string } = {}) => {
      const { bookingId } = await insertVoucherBooking(conn, { enterpriseId, providerId, createdAt: at(d), confirmAfterMin: 5, ...extra });
      (ids[key] ??= []).push(bookingId);
    };
    // repeat_pair by count: e2 uses p1 five times.
    for (let d = 0; d < 5; d++) await vb("e2p1", "e2", "p1", d);
    // repeat_pair by share: e3 spends 8,000 of 9,000 yuan (88.89%) with p1 over 3 vouchers.
    await vb("e3p1", "e3", "p1", 1, { priceFen: 400_000 });
    await vb("e3p1", "e3", "p1", 2, { priceFen: 400_000 });
    await vb("e3p2", "e3", "p2", 3, { priceFen: 100_000 });
    // Clean: e4 splits evenly between two providers (50% each, 2 each).
    for (const [p, d] of [["p1", 1], ["p2", 2], ["p1", 3], ["p2", 4]] as const) await vb("e4", "e4", p, d);
    // Shared controller: e5 and e6 (张三) both used vouchers; e8 (李四) alone.
    await vb("e5", "e5", "p2", 5);
    await vb("e6", "e6", "p3", 6);
    await vb("e8", "e8", "p3", 7);
    // near_cap: e9 twice just under 1,000 yuan with p2 (960 and 990); e10 once under and once at the cap.
    for (const [key, e, amount, d] of [["e9", "e9", 96_000, 1], ["e9", "e9", 99_000, 2], ["e10", "e10", 97_000, 3], ["e10", "e10", 100_000, 4]] as const) {
      await vb(key, e, "p2", d, { priceFen: 100_000, completedAfterEndH: 1, contract: { amountFen: amount }, policyId: "2030-01-01" });
    }
    // price_above_list: 1.6× the list price flagged, 1.4× not.
    ids.price = await insertBookings(conn, [
      { enterpriseId: "e11", providerId: "p3", createdAt: at(2), priceFen: 10_000, completedAfterEndH: 2, contract: { amountFen: 16_000, extrasFen: 6_000 } },
      { enterpriseId: "e11", providerId: "p3", createdAt: at(3), priceFen: 10_000, completedAfterEndH: 2, contract: { amountFen: 14_000, extrasFen: 4_000 } },
    ]);
    // Outside the range: e12 uses p1 five times in 2029.
    for (let d = 0; d < 5; d++) await insertVoucherBooking(conn, { enterpriseId: "e12", providerId: "p1", createdAt: sh(`2029-05-1${d}T10:00`) });
  });
  after(() => t?.stop());

  it("lists exactly the subjects that cross a threshold, kind by kind, with their evidence", async () => {
    const res = await list();
    expectStatus(res, 200);
    expect(res.body).to.include({ from: "2030-01-01", to: "2030-12-31", total: 5, page: 1, pageSize: 20 });
    const byId = new Map(res.body.items.map((s: { id: string }) => [s.id, s]));
    expect([...byId.keys()]).to.deep.equal([
      "repeat_pair:e3:p1", "repeat_pair:e2:p1", `price_above_list:${ids.price![0]}`, `shared_controller:${controllerKey("张三")}`, "near_cap:e9:p2",
    ]);
    const pairCount = byId.get("repeat_pair:e2:p1") as { evidence: { figures: object; bookingIds: string[] }; status: string };
    expect(pairCount.evidence.figures).to.deep.equal({ vouchers: 5, amountFen: 45_000, enterpriseVouchers: 5, enterpriseAmountFen: 45_000, sharePercent: 100 });
    expect(pairCount.evidence.bookingIds).to.deep.equal([...ids.e2p1!].sort());
    expect(pairCount.status).to.equal("open");
    const pairShare = byId.get("repeat_pair:e3:p1") as { evidence: { figures: object } };
    expect(pairShare.evidence.figures).to.deep.equal({ vouchers: 2, amountFen: 720_000, enterpriseVouchers: 3, enterpriseAmountFen: 810_000, sharePercent: 88.89 });
    const price = byId.get(`price_above_list:${ids.price![0]}`) as { evidence: { figures: object; bookingIds: string[] } };
    expect(price.evidence.figures).to.deep.equal({ contractAmountFen: 16_000, listPriceFen: 10_000, extrasFen: 6_000, ratio: 1.6 });
    const shared = byId.get(`shared_controller:${controllerKey("张三")}`) as { evidence: { enterprises: object[]; controller: string; figures: object } };
    expect(shared.evidence.enterprises).to.deep.equal([{ id: "e5", name: "甲轴承" }, { id: "e6", name: "乙轴承" }]);
    expect(shared.evidence.controller).to.equal("张三");
    expect(shared.evidence.figures).to.deep.equal({ enterprises: 2, vouchers: 2, amountFen: 18_000 });
    const nearCap = byId.get("near_cap:e9:p2") as { evidence: { figures: object; bookingIds: string[] } };
    expect(nearCap.evidence.figures).to.deep.equal({ services: 2, capFen: 90_000, capAmountFen: 100_000, lowestAmountFen: 96_000, highestAmountFen: 99_000 });
    expect(nearCap.evidence.bookingIds).to.deep.equal([...ids.e9!].sort());
  });

  it("filters by kind and pages the list", async () => {
    const pairs = await list("&kind=repeat_pair");
    expect(pairs.body.items.map((s: { id: string }) => s.id)).to.deep.equal(["repeat_pair:e3:p1", "repeat_pair:e2:p1"]);
    const page2 = await list("&pageSize=2&page=2");
    expect(page2.body).to.include({ total: 5, page: 2, pageSize: 2 });
    expect(page2.body.items.map((s: { id: string }) => s.id)).to.deep.equal([`price_above_list:${ids.price![0]}`, `shared_controller:${controllerKey("张三")}`]);
    const outside = await api.get("/api/oversight/signals?from=2029-01-01&to=2029-12-31&kind=repeat_pair", bureau);
    expect(outside.body.items.map((s: { id: string }) => s.id)).to.deep.equal(["repeat_pair:e12:p1"]);
  });

  it("records reviews append-only: the last gives the status, the status filter follows it, and 10 racing reviews are all kept in order", async () => {
    const first = await api.post("/api/oversight/signals/near_cap:e9:p2/reviews", { decision: "dismissed", note: " 价格有合同依据 " }, bureau);
    expectStatus(first, 201);
    expect(first.body).to.include({ signalId: "near_cap:e9:p2", n: 1, decision: "dismissed", note: "价格有合同依据" });
    expect((await list("&status=open")).body.items.map((s: { id: string }) => s.id)).to.not.include("near_cap:e9:p2");
    expect((await list("&status=dismissed")).body.items.map((s: { id: string }) => s.id)).to.deep.equal(["near_cap:e9:p2"]);
    const racing = await Promise.all(Array.from({ length: 10 }, (_, k) =>
      api.post("/api/oversight/signals/repeat_pair:e2:p1/reviews", { decision: k === 9 ? "referred" : "dismissed", note: `复核 ${k}` }, bureau)));
    for (const r of racing) expectStatus(r, 201);
    expect(racing.map((r) => r.body.n).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const signal = (await list("&kind=repeat_pair")).body.items.find((s: { id: string }) => s.id === "repeat_pair:e2:p1");
    expect(signal.reviews).to.have.length(10);
    expect(signal.status).to.equal(racing.find((r) => r.body.n === 10)!.body.decision);
  });

  for (const [what, query] of [
    ["an unknown kind", "&kind=bribery"],
    ["an unknown status", "&status=closed"],
    ["a page size over 100", "&pageSize=101"],
  ] as const) {
    it(`refuses ${what} with 400 VALIDATION_FAILED`, async () => {
      expectStatus(await list(query), 400, "VALIDATION_FAILED");
    });
  }
  it("refuses a reversed range with 400 STATS_RANGE_REVERSED", async () => {
    expectStatus(await api.get("/api/oversight/signals?from=2030-12-31&to=2030-01-01", bureau), 400, "STATS_RANGE_REVERSED");
  });
  for (const [what, path, body] of [
    ["a decision other than dismissed or referred", "/api/oversight/signals/repeat_pair:e2:p1/reviews", { decision: "approve", note: "x" }],
    ["an empty note", "/api/oversight/signals/repeat_pair:e2:p1/reviews", { decision: "dismissed", note: "" }],
    ["a note of spaces", "/api/oversight/signals/repeat_pair:e2:p1/reviews", { decision: "dismissed", note: "   " }],
    ["a signal id of an unknown kind", "/api/oversight/signals/bribery:e2/reviews", { decision: "dismissed", note: "x" }],
  ] as const) {
    it(`refuses a review with ${what} with 400 VALIDATION_FAILED and stores nothing`, async () => {
      const before = await t.db.conn.collection("signal_reviews").countDocuments({});
      expectStatus(await api.post(path, body, bureau), 400, "VALIDATION_FAILED");
      expect(await t.db.conn.collection("signal_reviews").countDocuments({})).to.equal(before);
    });
  }
});

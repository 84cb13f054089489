// Monthly settlement (兑付) against the real database and HTTP server: the article's figures end to
// end, the payout file read back, exactly once under parallel triggers, a provider outside the city,
// and a crash between the settlement's insert and its redemptions healed by the repair pass.
import { expect } from "chai";
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import { login, orgAdmin, providerBody, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { afterMonth, as, at, claimBody, completedVoucher, evidence } from "../support/voucher-flow";

const PRICE_FEN = 1_000_000; // a 10,000-yuan service

describe("monthly settlement", function () {
  this.timeout(300_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let provider: TestUser;
  let instrumentId: string;
  const claims = () => t.server.services.claims;
  const verify = async () => (await api.get("/api/ledger/verify", as(bureau))).body;
  const settle = (period: string, when = afterMonth(period)) => atTime(claims(), when, () => api.post("/api/settlements", { period }, as(bureau)));
  const yearOf = (ms: number) => DateTime.fromMillis(ms, { zone: "Asia/Shanghai" }).year;

  /** A claim of `ent` for a completed service at `amountFen`, approved in `period`. */
  async function approvedClaim(ent: TestUser, period: string, amountFen = PRICE_FEN, inst = instrumentId, prov = provider) {
    const v = await completedVoucher(t, api, ent, prov, inst, amountFen);
    const pack = await evidence(t.baseUrl, ent);
    const filed = await atTime(claims(), v.completedAt + 1000, () => api.post("/api/claims", claimBody(v.voucherId, pack), as(ent)));
    expectStatus(filed, 201);
    const approved = await atTime(claims(), at(period), () => api.post(`/api/claims/${filed.body.id}/review`, { decision: "approve" }, as(bureau)));
    expectStatus(approved, 200);
    return { ...v, claimId: filed.body.id as string, claim: approved.body };
  }

  before(async () => {
    t = await startTestServer("settlement");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    provider = await orgAdmin(api, "provider", bureau.token);
    instrumentId = (await publishInstrument(api, provider, { capacity: 100, priceFen: PRICE_FEN })).id;
  });
  after(() => t?.stop());

  it("pays a 10,000-yuan service: province 6,000, city 3,000 to the enterprise (which bore 1,000), provider 500, and the city's 1:1 award match", async () => {
    const ent = await orgAdmin(api, "enterprise", bureau.token);
    const c = await approvedClaim(ent, "2031-03");
    expect(c.claim).to.include({ amountFen: 900_000, provinceFen: 600_000, cityFen: 300_000, enterpriseFen: 100_000, approvedPeriod: "2031-03" });
    const award = await atTime(t.server.services.awards, at("2031-03", 10), () => api.post("/api/awards", { providerId: provider.orgId, year: 2030, provincialAwardFen: 2_000_000 }, as(bureau)));
    expectStatus(award, 201);

    expectStatus(await settle("2031-03", at("2031-03", 31, 23)), 422, "PERIOD_OPEN");
    const res = await settle("2031-03");
    expectStatus(res, 201);
    const payee = { payeeKind: "enterprise", payeeId: ent.orgId, claimId: c.claimId, voucherId: c.voucherId };
    expect(res.body.lines.map(({ payeeName: _n, ...l }: { payeeName: string }) => l)).to.deep.equal([
      { kind: "voucher_subsidy", ...payee, amountFen: 600_000, source: "province" },
      { kind: "voucher_subsidy", ...payee, amountFen: 300_000, source: "city" },
      { kind: "provider_subsidy", payeeKind: "provider", payeeId: provider.orgId, amountFen: 50_000, source: "city", claimId: c.claimId, voucherId: c.voucherId },
      { kind: "award_match", payeeKind: "provider", payeeId: provider.orgId, amountFen: 2_000_000, source: "city", awardId: award.body.id },
    ]);
    expect(res.body.totals).to.deep.equal({ provinceFen: 600_000, cityFen: 2_350_000, totalFen: 2_950_000, voucherSubsidyFen: 900_000, providerSubsidyFen: 50_000, awardMatchFen: 2_000_000, claims: 1, awards: 1 });

    const again = await settle("2031-03");
    expectStatus(again, 200);
    expect(again.body).to.deep.equal(res.body);
    expect((await api.get("/api/settlements/2031-03", as(bureau))).body).to.deep.equal(res.body);
    expect((await api.get("/api/settlements", as(bureau))).body.items.map((s: { id: string }) => s.id)).to.include("2031-03");
    const v = (await api.get("/api/vouchers?status=redeemed", as(ent))).body.items;
    expect(v.map((x: { id: string }) => x.id)).to.deep.equal([c.voucherId]);
    const quota = (await api.get(`/api/enterprises/${ent.orgId}/quota?year=${yearOf(c.completedAt)}`, as(ent))).body;
    expect(quota).to.include({ issuedFen: 0, redeemedFen: 900_000 });
    expect((await api.get(`/api/claims/${c.claimId}`, as(ent))).body.settlementId).to.equal("2031-03");
    expect(await verify()).to.include({ ok: true });
    const paidToProvider = (await api.get("/api/payouts?year=2031", as(provider))).body;
    expect(paidToProvider.items.filter((l: { period: string }) => l.period === "2031-03").map((l: { kind: string; amountFen: number }) => [l.kind, l.amountFen])).to.deep.equal([["provider_subsidy", 50_000], ["award_match", 2_000_000]]);
    expect((await api.get("/api/payouts", as(ent))).body).to.include({ totalFen: 900_000 });

    // The payout file, read back: xlsx with exceljs, csv parsed.
    const xlsx = await fetch(`${t.baseUrl}/api/settlements/2031-03/export?format=xlsx`, { headers: { authorization: `Bearer ${bureau.token}` } });
    expect(xlsx.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).to.deep.equal([undefined, "序号", "收款方", "收款方类型", "开户银行", "户名", "银行账号", "金额（元）", "资金来源", "类别", "申请/奖励编号"]);
    expect([2, 3, 4, 5, 6].map((r) => ws.getRow(r).getCell(7).value)).to.deep.equal([6000, 3000, 500, 20000, 29500]);
    expect(ws.getRow(2).getCell(7).numFmt).to.equal("0.00");
    expect([2, 3, 4, 5].map((r) => ws.getRow(r).getCell(8).value)).to.deep.equal(["省级资金", "市级资金", "市级资金", "市级资金"]);
    const csv = await fetch(`${t.baseUrl}/api/settlements/2031-03/export?format=csv`, { headers: { authorization: `Bearer ${bureau.token}` } });
    expect(csv.headers.get("content-type")).to.match(/^text\/csv/);
    const text = await csv.text();
    const rows = text.replace(/^\uFEFF/, "").trim().split("\r\n").map((line) => line.split(","));
    expect(rows[0]).to.deep.equal(["序号", "收款方", "收款方类型", "开户银行", "户名", "银行账号", "金额（元）", "资金来源", "类别", "申请/奖励编号"]);
    expect(rows.slice(1).map((r) => [r[2], r[6], r[7], r[8]])).to.deep.equal([
      ["企业", "6000.00", "省级资金", "创新券补助"], ["企业", "3000.00", "市级资金", "创新券补助"],
      ["服务机构", "500.00", "市级资金", "服务机构补助"], ["服务机构", "20000.00", "市级资金", "绩效奖励市级配套"], ["", "29500.00", "", ""],
    ]);
  });

  it("settles a period exactly once under 20 parallel triggers: one 201, nineteen 200 with the same settlement, the ledger agreeing", async () => {
    const [a, b] = await Promise.all([orgAdmin(api, "enterprise", bureau.token), orgAdmin(api, "enterprise", bureau.token)]);
    const filed = [await approvedClaim(a, "2031-05"), await approvedClaim(b, "2031-05", 700_000), await approvedClaim(a, "2031-05", 500_000)];
    const results = await atTime(claims(), afterMonth("2031-05"), () => Promise.all(Array.from({ length: 20 }, () => api.post("/api/settlements", { period: "2031-05" }, as(bureau)))));
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 200)).to.have.length(19);
    for (const r of results) expect(r.body).to.deep.equal(results[0]!.body);
    // 900,000 + 630,000 + 450,000 of subsidy; 5% of 2,200,000 to the provider.
    expect(results[0]!.body.totals).to.include({ voucherSubsidyFen: 1_980_000, providerSubsidyFen: 110_000, claims: 3 });
    await claims().repair(); // nothing left to do: the winner completed it
    const v = await verify();
    expect(v.differences).to.deep.equal([]);
    const redeemed = await t.server.services.vouchers.m.ledger.countDocuments({ key: { $in: filed.map((c) => `redeem:${c.claimId}`) } });
    expect(redeemed).to.equal(3);
  });

  it("pays no city share, provider subsidy or award match for a provider outside the city", async () => {
    const user = await registerUser(api, "provider");
    const created = await api.post("/api/providers", providerBody({ county: "province_other_city" }), as(user));
    expectStatus(created, 201);
    expectStatus(await api.post(`/api/providers/${created.body.id}/review`, { decision: "approve" }, as(bureau)), 200);
    const far = { ...user, orgId: created.body.id as string };
    const inst = (await publishInstrument(api, far, { capacity: 10, priceFen: PRICE_FEN })).id;
    const ent = await orgAdmin(api, "enterprise", bureau.token);
    const c = await approvedClaim(ent, "2031-06", PRICE_FEN, inst, far);
    expect(c.claim).to.include({ provinceFen: 600_000, cityFen: 0, amountFen: 600_000 });
    await atTime(t.server.services.awards, at("2031-06"), () => api.post("/api/awards", { providerId: far.orgId, year: 2030, provincialAwardFen: 1_000_000 }, as(bureau)));
    const res = await settle("2031-06");
    expect(res.body.lines.map((l: { kind: string; source: string; amountFen: number }) => [l.kind, l.source, l.amountFen])).to.deep.equal([["voucher_subsidy", "province", 600_000]]);
    expect((await verify()).differences).to.deep.equal([]);
  });

  it("completes the redemptions after a crash that followed the settlement's insert, and returns the unused face value to the quota", async () => {
    const ent = await orgAdmin(api, "enterprise", bureau.token);
    const c = await approvedClaim(ent, "2031-07", 800_000); // 720,000 claimed of a 900,000 voucher
    // What a process that died right after the insert leaves: the settlement, no ledger entries.
    const s = claims().settlements;
    const { lines, totals } = await s.compute("2031-07");
    await claims().m.settlements.create({ _id: "2031-07", period: "2031-07", lines, totals, createdBy: "crashed", createdAt: new Date() });
    const broken = await verify();
    expect(broken.ok).to.equal(false);
    expect(broken.differences.map((d: { what: string }) => d.what)).to.include(`redeem entry of ${c.claimId}`);
    expect((await settle("2031-07")).status).to.equal(200);
    const repaired = await claims().repair();
    expect(repaired.settlementsCompleted).to.equal(1);
    expect((await verify()).differences).to.deep.equal([]);
    expect((await claims().repair()).settlementsCompleted).to.equal(0);
    const quota = (await api.get(`/api/enterprises/${ent.orgId}/quota?year=${yearOf(c.completedAt)}`, as(ent))).body;
    expect(quota).to.include({ issuedFen: 0, redeemedFen: 720_000, availableFen: quota.capFen - 720_000 });
    expect((await api.get("/api/vouchers?status=redeemed", as(ent))).body.items).to.have.length(1);
  });
});

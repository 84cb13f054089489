// Voucher claims (兑付申请) against the real database and HTTP server: the claim window, the evidence
// pack, one claim per voucher under racing submits, review with one winner per transition, return and
// resubmission, rejection giving the quota back, who sees what, and expiry of unclaimed vouchers.
import { expect } from "chai";
import { DateTime } from "luxon";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as, claimBody, completedVoucher, evidence, upload } from "../support/voucher-flow";

const PRICE_FEN = 1_000_000; // 10,000 yuan for the hour

describe("voucher claims", function () {
  this.timeout(240_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let provider: TestUser;
  let ent: TestUser;
  let instrumentId: string;
  const claims = () => t.server.services.claims;
  const sixMonthsAfter = (ms: number) => DateTime.fromMillis(ms, { zone: "Asia/Shanghai" }).plus({ months: 6 }).toMillis();
  const fileAt = (ms: number, body: object, who: TestUser = ent) => atTime(claims(), ms, () => api.post("/api/claims", body, as(who)));
  const verify = async () => (await api.get("/api/ledger/verify", as(bureau))).body;
  const yearOf = (ms: number) => DateTime.fromMillis(ms, { zone: "Asia/Shanghai" }).year;
  const quota = async (who: TestUser, year: number) => (await api.get(`/api/enterprises/${who.orgId}/quota?year=${year}`, as(who))).body;

  before(async () => {
    t = await startTestServer("claims");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    provider = await orgAdmin(api, "provider", bureau.token);
    ent = await orgAdmin(api, "enterprise", bureau.token);
    instrumentId = (await publishInstrument(api, provider, { capacity: 100, priceFen: PRICE_FEN })).id;
  });
  after(() => t?.stop());

  describe("filing", () => {
    it("files a claim for the acknowledged contract amount with its deadline 6 months after completion, and the voucher becomes claimed", async () => {
      const v = await completedVoucher(t, api, ent, provider, instrumentId, 800_000);
      const res = await fileAt(v.completedAt + 86_400_000, claimBody(v.voucherId, await evidence(t.baseUrl, ent)));
      expectStatus(res, 201);
      expect(res.body).to.include({ id: `c-${v.voucherId}`, status: "submitted", contractAmountFen: 800_000, faceValueFen: 900_000, amountFen: 720_000, provinceFen: 480_000, cityFen: 240_000, enterpriseFen: 80_000 });
      expect(Date.parse(res.body.deadline)).to.equal(sixMonthsAfter(v.completedAt));
      expect(res.body.attachments.map((a: { kind: string; name: string }) => [a.kind, a.name])).to.deep.equal([["contract", "合同.pdf"], ["invoice", "发票.pdf"], ["payment_proof", "付款凭证.pdf"]]);
      const list = await api.get(`/api/vouchers?status=claimed`, as(ent));
      expect(list.body.items.map((x: { id: string }) => x.id)).to.include(v.voucherId);
    });

    it("refuses a claim 6 months and 1 day after completion with 422 CLAIM_WINDOW_CLOSED, and accepts one on the last day", async () => {
      const late = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
      const pack = await evidence(t.baseUrl, ent);
      const refused = await fileAt(sixMonthsAfter(late.completedAt) + 86_400_000, claimBody(late.voucherId, pack));
      expectStatus(refused, 422, "CLAIM_WINDOW_CLOSED");
      expect((await api.get(`/api/claims/c-${late.voucherId}`, as(ent))).status).to.equal(404);
      const onTime = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
      expectStatus(await fileAt(sixMonthsAfter(onTime.completedAt) - 60_000, claimBody(onTime.voucherId, await evidence(t.baseUrl, ent))), 201);
    });

    it("requires every evidence kind, uploads of the caller's organization, and an acknowledged contract amount", async () => {
      const v = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN, false);
      const pack = await evidence(t.baseUrl, ent);
      expectStatus(await fileAt(v.completedAt + 1000, claimBody(v.voucherId, pack)), 422, "CONTRACT_NOT_ACKNOWLEDGED");
      expectStatus(await api.post(`/api/bookings/${v.bookingId}/contract-amount/acknowledge`, {}, as(ent)), 200);
      const noProof = pack.map((a) => (a.kind === "payment_proof" ? { ...a, kind: "invoice" } : a));
      const missing = await fileAt(v.completedAt + 1000, claimBody(v.voucherId, noProof));
      expectStatus(missing, 422, "CLAIM_EVIDENCE_MISSING");
      expect(missing.body.error.message).to.include("payment_proof");
      const foreign = await upload(t.baseUrl, provider, "别人的.pdf");
      expectStatus(await fileAt(v.completedAt + 1000, claimBody(v.voucherId, [...pack.slice(0, 2), { kind: "payment_proof", uploadId: foreign }])), 422, "CLAIM_UPLOAD_INVALID");
      expectStatus(await api.post("/api/claims", { ...claimBody(v.voucherId, pack), attachments: pack.slice(0, 2) }, as(ent)), 400, "VALIDATION_FAILED");
      expect((await api.get(`/api/vouchers?status=issued&pageSize=100`, as(ent))).body.items.map((x: { id: string }) => x.id)).to.include(v.voucherId);
    });

    it("lets exactly one of 10 racing submits of one voucher win; the others get 409 CLAIM_EXISTS", async () => {
      const v = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
      const pack = await evidence(t.baseUrl, ent);
      const results = await atTime(claims(), v.completedAt + 1000, () => Promise.all(Array.from({ length: 10 }, () => api.post("/api/claims", claimBody(v.voucherId, pack), as(ent)))));
      expect(results.filter((r) => r.status === 201)).to.have.length(1);
      for (const r of results.filter((x) => x.status !== 201)) expectStatus(r, 409, "CLAIM_EXISTS");
      expect((await verify()).differences).to.deep.equal([]);
    });

    it("hides another enterprise's voucher and claim (404), and shows the provider the claim without attachments", async () => {
      const v = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
      const other = await orgAdmin(api, "enterprise", bureau.token);
      expectStatus(await fileAt(v.completedAt + 1000, claimBody(v.voucherId, await evidence(t.baseUrl, other)), other), 404, "NOT_FOUND");
      expectStatus(await fileAt(v.completedAt + 1000, claimBody(v.voucherId, await evidence(t.baseUrl, ent))), 201);
      expectStatus(await api.get(`/api/claims/c-${v.voucherId}`, as(other)), 404, "NOT_FOUND");
      const seen = await api.get(`/api/claims/c-${v.voucherId}`, as(provider));
      expectStatus(seen, 200);
      expect(seen.body).to.not.have.property("attachments");
      expect((await api.get(`/api/claims?pageSize=100`, as(other))).body.total).to.equal(0);
    });
  });

  describe("crash repair", () => {
    it("opens the claim from the voucher's claimed event when a crash came between the two", async () => {
      const v = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
      const filed = await fileAt(v.completedAt + 1000, claimBody(v.voucherId, await evidence(t.baseUrl, ent)));
      expectStatus(filed, 201);
      // What a process that died after the voucher's event leaves: no claim event, no projection.
      await t.db.conn.collection<{ _id: string }>("events").deleteOne({ _id: `${filed.body.id}:1` });
      await t.db.conn.collection<{ _id: string }>("voucher_claims").deleteOne({ _id: filed.body.id });
      expectStatus(await api.get(`/api/claims/${filed.body.id}`, as(ent)), 404);
      expectStatus(await fileAt(v.completedAt + 2000, claimBody(v.voucherId, await evidence(t.baseUrl, ent))), 409, "CLAIM_EXISTS");
      expect((await claims().repair()).claimsOpened).to.be.at.least(1);
      const healed = await api.get(`/api/claims/${filed.body.id}`, as(ent));
      expectStatus(healed, 200);
      expect(healed.body).to.include({ status: "submitted", amountFen: 900_000, deadline: filed.body.deadline });
      expect((await verify()).differences).to.deep.equal([]);
    });
  });

  describe("review", () => {
    async function filed(amountFen = PRICE_FEN) {
      const v = await completedVoucher(t, api, ent, provider, instrumentId, amountFen);
      const res = await fileAt(v.completedAt + 1000, claimBody(v.voucherId, await evidence(t.baseUrl, ent)));
      expectStatus(res, 201);
      return { ...v, claimId: res.body.id as string };
    }

    it("requires a reason to reject or return (422 CLAIM_REASON_REQUIRED) and lets one of 10 racing decisions win (409 CLAIM_NOT_PENDING)", async () => {
      const c = await filed();
      expectStatus(await api.post(`/api/claims/${c.claimId}/review`, { decision: "return" }, as(bureau)), 422, "CLAIM_REASON_REQUIRED");
      const decisions = ["approve", "reject", "return"] as const;
      const results = await Promise.all(Array.from({ length: 10 }, (_, k) => api.post(`/api/claims/${c.claimId}/review`, { decision: decisions[k % 3], reason: "材料核对" }, as(bureau))));
      expect(results.filter((r) => r.status === 200)).to.have.length(1);
      for (const r of results.filter((x) => x.status !== 200)) expectStatus(r, 409, "CLAIM_NOT_PENDING");
      const now = await api.get(`/api/claims/${c.claimId}`, as(ent));
      expect(now.body.history).to.have.length(2);
      expect((await verify()).differences).to.deep.equal([]);
    });

    it("returns a claim with a reason; the enterprise corrects and resubmits it, and the bureau approves it in the month of approval", async () => {
      const c = await filed();
      const returned = await api.post(`/api/claims/${c.claimId}/review`, { decision: "return", reason: "发票号码有误" }, as(bureau));
      expect(returned.body).to.include({ status: "returned", reason: "发票号码有误" });
      expectStatus(await api.post(`/api/claims/${c.claimId}/review`, { decision: "approve" }, as(bureau)), 409, "CLAIM_NOT_PENDING");
      const pack = await evidence(t.baseUrl, ent);
      const resubmitted = await atTime(claims(), c.completedAt + 2000, () => api.post(`/api/claims/${c.claimId}/resubmit`, { invoiceNo: "37009999", contractNo: "HT-2026-002", attachments: pack }, as(ent)));
      expectStatus(resubmitted, 200);
      expect(resubmitted.body).to.include({ status: "submitted", invoiceNo: "37009999" });
      expectStatus(await api.post(`/api/claims/${c.claimId}/resubmit`, { invoiceNo: "1", contractNo: "2", attachments: pack }, as(ent)), 409, "CLAIM_NOT_RETURNED");
      const approved = await atTime(claims(), Date.parse("2030-05-20T10:00:00+08:00"), () => api.post(`/api/claims/${c.claimId}/review`, { decision: "approve" }, as(bureau)));
      expect(approved.body).to.include({ status: "approved", approvedPeriod: "2030-05" });
      expect(approved.body.history.map((h: { type: string }) => h.type)).to.deep.equal(["submitted", "returned", "resubmitted", "approved"]);
      const listed = await api.get("/api/claims?status=approved&period=2030-05", as(bureau));
      expect(listed.body.items.map((x: { id: string }) => x.id)).to.deep.equal([c.claimId]);
    });

    it("voids the voucher of a rejected claim and gives its face value back to the quota", async () => {
      const who = await orgAdmin(api, "enterprise", bureau.token);
      const v = await completedVoucher(t, api, who, provider, instrumentId, PRICE_FEN);
      const res = await fileAt(v.completedAt + 1000, claimBody(v.voucherId, await evidence(t.baseUrl, who)), who);
      const c = { ...v, claimId: res.body.id as string };
      expect((await quota(who, yearOf(v.completedAt))).issuedFen).to.equal(900_000);
      expectStatus(await api.post(`/api/claims/${c.claimId}/review`, { decision: "reject", reason: "不属于支持范围" }, as(bureau)), 200);
      expect((await quota(who, yearOf(v.completedAt))).issuedFen).to.equal(0);
      const vouchers = await api.get("/api/vouchers?status=void&pageSize=100", as(who));
      expect(vouchers.body.items.map((x: { id: string }) => x.id)).to.include(c.voucherId);
      expect((await verify()).differences).to.deep.equal([]);
    });
  });

  describe("expiry", () => {
    it("expires a voucher never claimed within the window and frees its quota, once, however often the repair runs", async () => {
      const who = await orgAdmin(api, "enterprise", bureau.token);
      const v = await completedVoucher(t, api, who, provider, instrumentId, PRICE_FEN);
      expect((await quota(who, yearOf(v.completedAt))).issuedFen).to.equal(900_000);
      const before = await atTime(claims(), sixMonthsAfter(v.completedAt) - 60_000, () => claims().repair());
      expect(before.expired).to.equal(0);
      const later = sixMonthsAfter(v.completedAt) + 60_000;
      const [a, b] = await atTime(claims(), later, () => Promise.all([claims().repair(), claims().repair()]));
      expect(a.expired + b.expired).to.be.at.least(1); // other tests' unclaimed vouchers expire too
      expect((await atTime(claims(), later, () => claims().repair())).expired).to.equal(0);
      expect((await quota(who, yearOf(v.completedAt))).issuedFen).to.equal(0);
      expect((await api.get("/api/vouchers?status=expired", as(who))).body.items.map((x: { id: string }) => x.id)).to.deep.equal([v.voucherId]);
      expectStatus(await fileAt(later, claimBody(v.voucherId, await evidence(t.baseUrl, who)), who), 422, "VOUCHER_NOT_CLAIMABLE");
      expect((await verify()).differences).to.deep.equal([]);
    });
  });
});

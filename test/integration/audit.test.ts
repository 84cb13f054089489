// The audit log (issue 13): every review decision and money movement of a claim → settlement flow
// is in GET /api/audit with who, when and the figures before and after; filters, pages, exports;
// and an entry a crash kept from being written is written by the repair pass, once.
import { expect } from "chai";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { afterMonth, as, at, claimBody, completedVoucher, evidence } from "../support/voucher-flow";
import { repairJournal } from "../../server/modules/audit/repair";
import type { AuditEntry } from "../../shared/schemas/audit";

const PRICE_FEN = 1_000_000;

describe("the audit log", function () {
  this.timeout(300_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string; id: string };
  let provider: TestUser;
  let ent: TestUser;
  let flow: { voucherId: string; claimId: string; awardId: string };
  const idle = async () => {
    await t.server.services.vouchers.idle();
    await t.server.services.auditRecorder.idle();
  };
  const audit = async (query: string) => {
    const res = await api.get(`/api/audit?${query}`, as(bureau));
    expectStatus(res, 200);
    return res.body as { items: AuditEntry[]; total: number; page: number; pageSize: number };
  };
  const entry = (items: AuditEntry[], kind: string) => {
    const found = items.filter((e) => e.kind === kind);
    expect(found, `${kind} in ${items.map((e) => e.kind).join(", ")}`).to.have.length(1);
    return found[0]!;
  };

  before(async () => {
    t = await startTestServer("audit");
    api = apiClient(t.baseUrl);
    const token = await login(api, t.admin.email, t.admin.password);
    bureau = { token, id: (await api.get("/api/me", { token })).body.user.id };
    provider = await orgAdmin(api, "provider", token);
    ent = await orgAdmin(api, "enterprise", token);
    const instrumentId = (await publishInstrument(api, provider, { capacity: 10, priceFen: PRICE_FEN })).id;
    // The money path: voucher issued on confirmation, claim filed and approved in 2031-03, an award, the settlement.
    const v = await completedVoucher(t, api, ent, provider, instrumentId, PRICE_FEN);
    const pack = await evidence(t.baseUrl, ent);
    const claims = t.server.services.claims;
    const filed = await atTime(claims, v.completedAt + 1000, () => api.post("/api/claims", claimBody(v.voucherId, pack), as(ent)));
    expectStatus(filed, 201);
    expectStatus(await atTime(claims, at("2031-03"), () => api.post(`/api/claims/${filed.body.id}/review`, { decision: "approve" }, as(bureau))), 200);
    const award = await atTime(t.server.services.awards, at("2031-03", 10), () => api.post("/api/awards", { providerId: provider.orgId, year: 2030, provincialAwardFen: 2_000_000 }, as(bureau)));
    expectStatus(award, 201);
    expectStatus(await atTime(claims, afterMonth("2031-03"), () => api.post("/api/settlements", { period: "2031-03" }, as(bureau))), 201);
    await idle();
    flow = { voucherId: v.voucherId, claimId: filed.body.id, awardId: award.body.id };
  });
  after(() => t?.stop());

  it("records both registration approvals with the reviewing bureau user and the status before and after", async () => {
    for (const org of [ent, provider]) {
      const e = entry((await audit(`subject=${org.orgId}&kind=registration`)).items, "registration.approved");
      expect(e).to.include({ actorId: bureau.id, subjectId: org.orgId });
      expect(e.before).to.deep.equal({ status: "pending", round: 1 });
      expect(e.after).to.deep.equal({ status: "approved", round: 1 });
      expect(e.actorName).to.be.a("string");
    }
  });

  it("records the claim's filing by the enterprise user and its approval by the bureau with the amounts", async () => {
    const { items } = await audit(`subject=${flow.claimId}`);
    const submitted = entry(items, "claim.submitted");
    expect(submitted).to.include({ actorId: ent.id, subjectType: "claim", amountFen: 900_000 });
    expect(submitted.before).to.deep.equal({ status: null });
    const approved = entry(items, "claim.approved");
    expect(approved).to.include({ actorId: bureau.id, amountFen: 900_000 });
    expect(approved.before).to.deep.equal({ status: "submitted", contractAmountFen: 1_000_000, amountFen: 900_000, provinceFen: 600_000, cityFen: 300_000 });
    expect(approved.after).to.include({ status: "approved", amountFen: 900_000 });
    expect(approved.orgIds).to.deep.equal([ent.orgId, provider.orgId]);
  });

  it("records every money movement: the voucher issued, claimed and redeemed, and each ledger entry with its balances before and after", async () => {
    const voucher = (await audit(`subject=${flow.voucherId}&kind=voucher`)).items;
    expect(voucher.map((e) => e.kind)).to.deep.equal(["voucher.redeemed", "voucher.claimed", "voucher.issued"]);
    expect(entry(voucher, "voucher.issued").after).to.deep.equal({ status: "issued", faceValueFen: 900_000, provinceFen: 600_000, cityFen: 300_000 });
    expect(entry(voucher, "voucher.redeemed")).to.include({ amountFen: 900_000, actorId: null });
    expect(entry(voucher, "voucher.redeemed").before).to.include({ status: "claimed" });

    const ledger = (await audit(`subject=${ent.orgId}&kind=ledger`)).items;
    const issue = entry(ledger, "ledger.issue");
    expect(issue).to.include({ amountFen: 900_000, subjectType: "quota_account" });
    expect(issue.before).to.deep.equal({ heldFen: 0, redeemedFen: 0 });
    expect(issue.after).to.include({ heldFen: 900_000, redeemedFen: 0, key: `issue:${flow.voucherId}` });
    const redeem = entry(ledger, "ledger.redeem");
    expect(redeem).to.include({ amountFen: 900_000 });
    expect(redeem.before).to.deep.equal({ heldFen: 900_000, redeemedFen: 0 });
    expect(redeem.after).to.include({ heldFen: 0, redeemedFen: 900_000 });

    const payouts = (await audit(`subject=${provider.orgId}&kind=ledger`)).items;
    expect(entry(payouts, "ledger.provider_subsidy")).to.include({ amountFen: 50_000, subjectType: "payout_account", subjectId: "settlement-2031-03" });
    expect(entry(payouts, "ledger.award_match")).to.include({ amountFen: 2_000_000 });
  });

  it("records the settlement run and the award by the bureau user with their totals", async () => {
    const s = entry((await audit("kind=settlement")).items, "settlement.created");
    expect(s).to.include({ actorId: bureau.id, subjectId: "2031-03", amountFen: 2_950_000 });
    expect(s.after).to.include({ provinceFen: 600_000, cityFen: 2_350_000, totalFen: 2_950_000, claims: 1, awards: 1 });
    const a = entry((await audit(`kind=award.recorded`)).items, "award.recorded");
    expect(a).to.include({ actorId: bureau.id, subjectId: flow.awardId, amountFen: 2_000_000 });
  });

  it("filters by actor and by time and pages newest first without overlap", async () => {
    const mine = await audit(`actor=${ent.id}&pageSize=100`);
    expect(mine.items.length).to.be.greaterThan(0);
    expect(mine.items.every((e) => e.actorId === ent.id)).to.equal(true);
    const all = await audit("pageSize=100");
    const seqs = all.items.map((e) => e.seq);
    expect(seqs, "most recently recorded first").to.deep.equal([...seqs].sort((a, b) => b - a));
    expect(all.total).to.equal(all.items.length);
    const filtered = (await audit("pageSize=100&kind=ledger")).items.map((e) => e.seq);
    expect(filtered).to.deep.equal(all.items.filter((e) => e.kind.startsWith("ledger.")).map((e) => e.seq));
    const pages = [];
    for (let page = 1; page <= Math.ceil(all.total / 3); page++) pages.push(...(await audit(`pageSize=3&page=${page}`)).items.map((e) => e.id));
    expect(pages).to.deep.equal(all.items.map((e) => e.id));
    // The approval was stamped 2031-03-15 (city time): a day window finds it, the day after does not.
    expect((await audit("from=2031-03-15&to=2031-03-15&kind=claim")).items.map((e) => e.kind)).to.deep.equal(["claim.approved"]);
    expect((await audit("from=2031-03-16&to=2031-03-16&kind=claim")).items).to.deep.equal([]);
  });

  it("exports the filtered log as CSV (BOM, header, one row per entry) and as JSON", async () => {
    const res = await fetch(`${t.baseUrl}/api/audit/export?subject=${flow.claimId}&format=csv`, { headers: { authorization: `Bearer ${bureau.token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)], "a UTF-8 BOM").to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines[0]).to.equal("id,seq,at,kind,actorId,actorName,subjectType,subjectId,orgIds,amountFen,before,after,reason");
    expect(lines).to.have.length(3);
    expect(lines[1]).to.match(/^events\/c-v-[0-9a-f]+:2,\d+,2031-03-15T12:00:00\.000\+08:00,claim\.approved,/);
    expect(lines[1]).to.contain(`,claim,${flow.claimId},${ent.orgId};${provider.orgId},900000,"{""status"":""submitted""`);
    const json = await fetch(`${t.baseUrl}/api/audit/export?subject=${flow.claimId}&format=json`, { headers: { authorization: `Bearer ${bureau.token}` } });
    const body = (await json.json()) as { items: AuditEntry[] };
    expect(body.items.map((e) => e.kind)).to.deep.equal(["claim.approved", "claim.submitted"]);
  });

  it("refuses bad filters with stable codes and other roles with 403", async () => {
    expectStatus(await api.get("/api/audit?from=2031-03-16&to=2031-03-15", as(bureau)), 400, "AUDIT_RANGE_REVERSED");
    expectStatus(await api.get("/api/audit?kind=nonsense", as(bureau)), 400, "VALIDATION_FAILED");
    expectStatus(await api.get("/api/audit?subject=%24gt", as(bureau)), 400, "VALIDATION_FAILED");
    expectStatus(await api.get("/api/audit?page=0", as(bureau)), 400, "VALIDATION_FAILED");
    expectStatus(await api.get("/api/audit/export?format=xml", as(bureau)), 400, "VALIDATION_FAILED");
    expectStatus(await api.get("/api/audit", as(ent)), 403, "FORBIDDEN");
    expectStatus(await api.get("/api/audit/export", as(provider)), 403, "FORBIDDEN");
    expectStatus(await api.get("/api/audit"), 401, "UNAUTHENTICATED");
  });

  it("writes an entry a crash kept from being written (decision stored, journal not) on the repair pass, once", async () => {
    const { journal, auditRecorder } = t.server.services;
    // The process "dies" between the award's insert and its journal write: the recorder never sees it.
    const stop = auditRecorder as unknown as { enqueue: (...a: unknown[]) => void };
    const real = stop.enqueue;
    stop.enqueue = () => {};
    const award = await api.post("/api/awards", { providerId: provider.orgId, year: 2031, provincialAwardFen: 1_000_000 }, as(bureau));
    stop.enqueue = real;
    expectStatus(award, 201);
    const missing = await audit(`kind=award&subject=${award.body.id}`);
    expect(missing.total).to.equal(0);
    const first = await repairJournal(t.db.conn, journal);
    expect(first.recorded).to.equal(1);
    const healed = await audit(`kind=award&subject=${award.body.id}`);
    expect(healed.items.map((e) => [e.kind, e.actorId, e.amountFen])).to.deep.equal([["award.recorded", bureau.id, 1_000_000]]);
    expect((await repairJournal(t.db.conn, journal)).recorded).to.equal(0);
    expect((await audit(`kind=award&subject=${award.body.id}`)).total).to.equal(1);
  });
});

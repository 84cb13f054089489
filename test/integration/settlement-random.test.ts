// A randomized run of the whole money path through the real HTTP API — issue (book + confirm), void
// (cancel), complete and acknowledge, claim, approve / reject / return, resubmit, settle a month,
// expire — by four enterprises (two under one actual controller) against a small cap. Afterwards
// the ledger must verify without a difference, and the settlements must add up to the claims paid.
import { expect } from "chai";
import { DateTime } from "luxon";
import { DEFAULT_POLICY_TERMS } from "../../shared/voucher-split";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { afterMonth, as, at, claimBody, evidence } from "../support/voucher-flow";

const OPERATIONS = 1000;
const CAP = 1_500_000;
const PRICE = 100_000;

describe("the ledger after a randomized run of claims and settlements", function () {
  this.timeout(900_000);
  let t: TestServer;
  let api: ApiClient;

  before(async () => {
    t = await startTestServer("srandom");
    api = apiClient(t.baseUrl);
  });
  after(() => t?.stop());

  it(`verifies without a difference after ${OPERATIONS} random operations, settlements adding up to the claims they paid`, async () => {
    const bureau = { token: await login(api, t.admin.email, t.admin.password) };
    const from = DateTime.now().setZone("Asia/Shanghai").plus({ days: 1 }).toISODate()!;
    expectStatus(await api.post("/api/policies", { effectiveFrom: from, ...DEFAULT_POLICY_TERMS, annualCapFen: CAP, perServiceCapFen: null }, as(bureau)), 201);
    const provider = await orgAdmin(api, "provider", bureau.token);
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
    const inst = await publishInstrument(api, provider, { capacity: 100, slotMinutes: 60, openHours: allDay, priceFen: PRICE });
    const enterprises: TestUser[] = await Promise.all([0, 1, 2, 3].map(() => orgAdmin(api, "enterprise", bureau.token)));
    for (const e of enterprises.slice(0, 2)) expectStatus(await api.post(`/api/enterprises/${e.orgId}/actual-controller`, { actualController: "随机兑付集团" }, as(bureau)), 200);
    const packs = new Map(await Promise.all(enterprises.map(async (e) => [e.orgId!, await evidence(t.baseUrl, e)] as const)));

    let seed = 20261204;
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const pick = <T>(xs: T[]): T => xs.splice(rnd(xs.length), 1)[0]!;
    const confirmed: { id: string; who: TestUser; start: number }[] = [];
    const completed: { id: string; who: TestUser }[] = [];
    const submitted: string[] = [];
    const returned: { id: string; who: TestUser }[] = [];
    const counts: Record<string, number> = {};
    const base = DateTime.now().setZone("Asia/Shanghai").startOf("day");
    const claims = t.server.services.claims;
    let month = DateTime.fromISO("2032-01-01", { zone: "Asia/Shanghai" });
    const period = () => month.toFormat("yyyy-MM");
    const started = Date.now();

    for (let k = 0; k < OPERATIONS; k++) {
      const roll = rnd(100);
      let op = roll < 30 ? "issue" : roll < 38 ? "void" : roll < 58 ? "complete" : roll < 73 ? "claim" : roll < 90 ? "review" : roll < 95 ? "resubmit" : "settle";
      if (op === "void" && confirmed.length === 0) op = "issue";
      if (op === "complete" && confirmed.length === 0) op = "issue";
      if (op === "claim" && completed.length === 0) op = "issue";
      if (op === "review" && submitted.length === 0) op = "issue";
      if (op === "resubmit" && returned.length === 0) op = "issue";
      counts[op] = (counts[op] ?? 0) + 1;
      if (op === "issue") {
        const who = enterprises[rnd(4)]!;
        const start = base.plus({ days: 2 + rnd(20), hours: rnd(24) });
        const res = await api.post("/api/bookings", { instrumentId: inst.id, start: start.toISO(), end: start.plus({ hours: 1 }).toISO(), useVoucher: true }, as(who));
        expectStatus(res, 201);
        expectStatus(await api.post(`/api/bookings/${res.body.id}/confirm`, {}, as(provider)), 200);
        confirmed.push({ id: res.body.id, who, start: start.toMillis() });
      } else if (op === "void") {
        const b = pick(confirmed);
        expectStatus(await api.post(`/api/bookings/${b.id}/cancel`, { reason: "随机取消" }, as(b.who)), 200);
      } else if (op === "complete") {
        const b = pick(confirmed);
        await t.server.services.vouchers.idle();
        expectStatus(await atTime(t.server.services.scheduling, b.start, () => api.post(`/api/bookings/${b.id}/check-in`, {}, as(provider))), 200);
        const amount = PRICE - rnd(3) * 20_000;
        expectStatus(await atTime(t.server.services.scheduling, b.start + 1000, () => api.post(`/api/bookings/${b.id}/complete`, { contractAmountFen: amount, reportNumber: `R-${k}` }, as(provider))), 200);
        expectStatus(await api.post(`/api/bookings/${b.id}/contract-amount/acknowledge`, {}, as(b.who)), 200);
        completed.push({ id: b.id, who: b.who });
      } else if (op === "claim") {
        const b = pick(completed);
        await t.server.services.vouchers.idle();
        const res = await api.post("/api/claims", claimBody(`v-${b.id}`, packs.get(b.who.orgId!)!), as(b.who));
        // A voucher declined for lack of quota cannot be claimed.
        if (res.status === 422) expectStatus(res, 422, "VOUCHER_NOT_CLAIMABLE");
        else {
          expectStatus(res, 201);
          submitted.push(res.body.id);
        }
      } else if (op === "review") {
        const id = pick(submitted);
        const decision = (["approve", "approve", "reject", "return"] as const)[rnd(4)];
        const res = await atTime(claims, at(period()), () => api.post(`/api/claims/${id}/review`, { decision, reason: "随机审核" }, as(bureau)));
        expectStatus(res, 200);
        if (decision === "return") returned.push({ id, who: enterprises.find((e) => e.orgId === res.body.enterpriseId)! });
      } else if (op === "resubmit") {
        const c = pick(returned);
        expectStatus(await api.post(`/api/claims/${c.id}/resubmit`, { invoiceNo: `F-${k}`, contractNo: `H-${k}`, attachments: packs.get(c.who.orgId!)! }, as(c.who)), 200);
        submitted.push(c.id);
      } else {
        const res = await atTime(claims, afterMonth(period()), () => api.post("/api/settlements", { period: period() }, as(bureau)));
        expectStatus(res, 201);
        month = month.plus({ months: 1 });
      }
    }
    await t.server.services.vouchers.idle();
    // Settle the last month, then let every unclaimed voucher expire.
    expectStatus(await atTime(claims, afterMonth(period()), () => api.post("/api/settlements", { period: period() }, as(bureau))), 201);
    const expiry = await atTime(claims, base.plus({ months: 8 }).toMillis(), () => claims.repair());
    const ms = Date.now() - started;

    const verify = await api.get("/api/ledger/verify", as(bureau));
    expect(verify.body.differences).to.deep.equal([]);
    expect(verify.body.ok).to.equal(true);
    const settlements = (await api.get("/api/settlements", as(bureau))).body.items as { totals: { voucherSubsidyFen: number; claims: number } }[];
    const approved: { amountFen: number }[] = [];
    for (let page = 1; ; page++) {
      const res = await api.get(`/api/claims?status=approved&pageSize=100&page=${page}`, as(bureau));
      approved.push(...res.body.items);
      if (approved.length >= res.body.total) break;
    }
    const paid = settlements.reduce((n, s) => n + s.totals.voucherSubsidyFen, 0);
    expect(paid).to.equal(approved.reduce((n, c) => n + c.amountFen, 0));
    expect(settlements.reduce((n, s) => n + s.totals.claims, 0)).to.equal(approved.length);
    console.log(`      ${OPERATIONS} operations ${JSON.stringify(counts)}, ${settlements.length} settlements, ${approved.length} claims paid (${paid} fen), expired ${expiry.expired}; ${verify.body.entries} ledger entries; ${(ms / 1000).toFixed(1)} s`);
  });
});

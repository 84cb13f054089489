// A randomized run of 1,000 booking operations with vouchers (book, confirm, cancel, reject) by four
// enterprises, three of them under one actual controller, against a small annual cap, through the
// real HTTP API. Afterwards the ledger must verify without a difference and no account over its cap.
import { expect } from "chai";
import { DateTime } from "luxon";
import { DEFAULT_POLICY_TERMS } from "../../shared/voucher-split";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

const OPERATIONS = 1000;
const WORKERS = 4;
const CAP = 500_000;

describe("the voucher ledger after a randomized run", function () {
  this.timeout(600_000);
  let t: TestServer;
  let api: ApiClient;

  before(async () => {
    t = await startTestServer("vrandom");
    api = apiClient(t.baseUrl);
  });
  after(() => t?.stop());

  it(`verifies without a difference after ${OPERATIONS} random operations, no account over its cap`, async () => {
    const bureau = await login(api, t.admin.email, t.admin.password);
    const from = DateTime.now().setZone("Asia/Shanghai").plus({ days: 1 }).toISODate()!;
    expectStatus(await api.post("/api/policies", { effectiveFrom: from, ...DEFAULT_POLICY_TERMS, annualCapFen: CAP, perServiceCapFen: null }, { token: bureau }), 201);
    const provider = await orgAdmin(api, "provider", bureau);
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
    const inst = await publishInstrument(api, provider, { capacity: 100, slotMinutes: 60, openHours: allDay });
    const enterprises: TestUser[] = await Promise.all([0, 1, 2, 3].map(() => orgAdmin(api, "enterprise", bureau)));
    for (const e of enterprises.slice(0, 3)) {
      expectStatus(await api.post(`/api/enterprises/${e.orgId}/actual-controller`, { actualController: "随机测试集团" }, { token: bureau }), 200);
    }

    let seed = 20261203;
    // The high bits of the LCG: its low bits repeat with a short period.
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const pending: { id: string; who: TestUser }[] = [];
    const confirmed: { id: string; who: TestUser }[] = [];
    const counts: Record<string, number> = {};
    const base = DateTime.now().setZone("Asia/Shanghai").startOf("day");
    let done = 0;
    const started = Date.now();

    async function operate(): Promise<void> {
      const roll = rnd(100);
      let op = roll < 40 || pending.length + confirmed.length === 0 ? "book" : roll < 70 ? "confirm" : roll < 90 ? "cancel" : "reject";
      if ((op === "confirm" || op === "reject") && pending.length === 0) op = "cancel";
      if (op === "cancel" && confirmed.length === 0) op = "book";
      counts[op] = (counts[op] ?? 0) + 1;
      if (op === "book") {
        const who = enterprises[rnd(4)]!;
        const start = base.plus({ days: 2 + rnd(18), hours: rnd(24) });
        const res = await api.post("/api/bookings", { instrumentId: inst.id, start: start.toISO(), end: start.plus({ hours: 1 }).toISO(), useVoucher: true }, { token: who.token });
        expectStatus(res, 201);
        pending.push({ id: res.body.id, who });
      } else if (op === "confirm") {
        const b = pending.splice(rnd(pending.length), 1)[0]!;
        expectStatus(await api.post(`/api/bookings/${b.id}/confirm`, {}, { token: provider.token }), 200);
        confirmed.push(b);
      } else if (op === "reject") {
        const b = pending.splice(rnd(pending.length), 1)[0]!;
        expectStatus(await api.post(`/api/bookings/${b.id}/reject`, { reason: "样品不符" }, { token: provider.token }), 200);
      } else {
        const b = confirmed.splice(rnd(confirmed.length), 1)[0]!;
        expectStatus(await api.post(`/api/bookings/${b.id}/cancel`, {}, { token: b.who.token }), 200);
      }
    }
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      while (done < OPERATIONS) {
        done++;
        await operate();
      }
    }));
    await t.server.services.vouchers.idle();
    const ms = Date.now() - started;

    const verify = await api.get("/api/ledger/verify", { token: bureau });
    expectStatus(verify, 200);
    console.log(`      ${OPERATIONS} operations ${JSON.stringify(counts)} in ${ms} ms; verify: ${verify.body.accounts} accounts, ${verify.body.entries} entries, ${verify.body.differences.length} differences`);
    expect(verify.body.differences).to.deep.equal([]);
    expect(verify.body.ok).to.equal(true);
    const vouchers = await api.get("/api/vouchers?status=issued&pageSize=100", { token: bureau });
    const heldByAccount = new Map<string, number>();
    for (const e of enterprises) {
      for (const year of new Set([base.plus({ days: 2 }).year, base.plus({ days: 20 }).year])) {
        const q = await api.get(`/api/enterprises/${e.orgId}/quota?year=${year}`, { token: bureau });
        heldByAccount.set(q.body.accountId, q.body.issuedFen);
      }
    }
    for (const [account, held] of heldByAccount) expect(held, account).to.be.at.most(CAP);
    expect(vouchers.body.total).to.be.greaterThan(0);
    // No voucher stays issued for a booking that is off (a cancellation may race its issue).
    for (const v of vouchers.body.items) {
      expect((await api.get(`/api/bookings/${v.bookingId}`, { token: bureau })).body.status, v.id).to.equal("confirmed");
    }
    // The cap did bind: some confirmations found the group's quota spent.
    expect((await api.get("/api/vouchers?status=declined", { token: bureau })).body.total).to.be.greaterThan(0);
  });
});

// Innovation vouchers against the real database and HTTP server: issuing on confirmation, voiding on
// cancellation, the quota race, crash repair, quotes, policy versions and the ledger check.
import { expect } from "chai";
import { DateTime } from "luxon";
import { login, orgAdmin, providerBody, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { DEFAULT_POLICY_TERMS } from "../../shared/voucher-split";
import { createServices } from "../../server/app";
import { connectDatabase } from "../../server/db/connection";

describe("innovation vouchers", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let enterprise: TestUser;
  let instrumentId: string;

  const as = (u: { token: string } | string) => ({ token: typeof u === "string" ? u : u.token });
  const vouchers = () => t.server.services.vouchers;

  async function approvedEnterprise(): Promise<TestUser> {
    return orgAdmin(api, "enterprise", bureau);
  }
  /** A pending booking of `who` on instrument time (default: 1 h at 300 yuan = 30,000 fen). */
  async function book(who: TestUser, day = 3, hhmm = "10:00", inst = instrumentId, useVoucher = true): Promise<string> {
    const end = DateTime.fromISO(shanghai(day, hhmm)).plus({ hours: 1 }).toISO()!;
    const res = await api.post("/api/bookings", { instrumentId: inst, start: shanghai(day, hhmm), end, useVoucher }, as(who));
    expectStatus(res, 201);
    return res.body.id;
  }
  const confirm = (id: string, by = provider) => api.post(`/api/bookings/${id}/confirm`, {}, as(by));
  const quotaOf = async (who: TestUser, year?: number) => {
    const res = await api.get(`/api/enterprises/${who.orgId}/quota${year ? `?year=${year}` : ""}`, as(who));
    expectStatus(res, 200);
    return res.body;
  };
  const verify = async () => {
    const res = await api.get("/api/ledger/verify", as(bureau));
    expectStatus(res, 200);
    return res.body;
  };
  const serviceYear = (day = 3) => DateTime.fromISO(shanghai(day, "10:00")).year;

  before(async () => {
    t = await startTestServer("vouchers");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    provider = await orgAdmin(api, "provider", bureau);
    enterprise = await approvedEnterprise();
    instrumentId = (await publishInstrument(api, provider, { capacity: 100 })).id;
  });
  after(() => t?.stop());

  describe("issuing and voiding with the booking", () => {
    it("shows the expected split on a voucher booking, issues the voucher when the provider confirms, and holds it against the quota", async () => {
      const id = await book(enterprise);
      const detail = await api.get(`/api/bookings/${id}`, as(enterprise));
      expect(detail.body.subsidy).to.deep.equal({ provinceFen: 18_000, cityFen: 9_000, enterpriseFen: 3_000, reasons: [] });
      expectStatus(await confirm(id), 200);
      await vouchers().idle();
      const after = await api.get(`/api/bookings/${id}`, as(enterprise));
      expect(after.body.subsidy).to.include({ provinceFen: 18_000, cityFen: 9_000, enterpriseFen: 3_000, voucherStatus: "issued" });
      const list = await api.get("/api/vouchers?status=issued", as(enterprise));
      const v = list.body.items.find((x: { bookingId: string }) => x.bookingId === id);
      expect(v).to.include({ enterpriseId: enterprise.orgId, faceValueFen: 27_000, provinceFen: 18_000, cityFen: 9_000, status: "issued" });
      const quota = await quotaOf(enterprise, serviceYear());
      expect(quota).to.include({ capFen: DEFAULT_POLICY_TERMS.annualCapFen, issuedFen: 27_000, redeemedFen: 0, availableFen: DEFAULT_POLICY_TERMS.annualCapFen - 27_000 });
    });

    it("voids the voucher when the booking is cancelled and gives the quota back", async () => {
      const who = await approvedEnterprise();
      const id = await book(who, 4);
      expectStatus(await confirm(id), 200);
      await vouchers().idle();
      expect((await quotaOf(who, serviceYear(4))).issuedFen).to.equal(27_000);
      expectStatus(await api.post(`/api/bookings/${id}/cancel`, {}, as(who)), 200);
      await vouchers().idle();
      expect((await quotaOf(who, serviceYear(4))).issuedFen).to.equal(0);
      const list = await api.get("/api/vouchers", as(who));
      expect(list.body.items.map((v: { status: string }) => v.status)).to.deep.equal(["void"]);
      expect((await verify()).differences).to.deep.equal([]);
    });

    it("voids the voucher when the provider records a no-show", async () => {
      const who = await approvedEnterprise();
      const id = await book(who, 4, "15:00");
      expectStatus(await confirm(id), 200);
      await vouchers().idle();
      const scheduling = t.server.services.scheduling;
      const real = scheduling.now;
      scheduling.now = () => Date.parse(shanghai(4, "15:00")) + 60_000;
      try {
        expectStatus(await api.post(`/api/bookings/${id}/no-show`, {}, as(provider)), 200);
      } finally {
        scheduling.now = real;
      }
      await vouchers().idle();
      expect((await api.get("/api/vouchers", as(who))).body.items.map((v: { status: string }) => v.status)).to.deep.equal(["void"]);
      expect((await quotaOf(who, serviceYear(4))).issuedFen).to.equal(0);
    });

    it("issues the voucher at once for a booking of an instrument that needs no confirmation (created confirmed)", async () => {
      const who = await approvedEnterprise();
      const instant = (await publishInstrument(api, provider, { capacity: 10, rules: { requiresConfirmation: false } })).id;
      const id = await book(who, 5, "10:00", instant);
      await vouchers().idle();
      const detail = await api.get(`/api/bookings/${id}`, as(who));
      expect(detail.body.status).to.equal("confirmed");
      expect(detail.body.subsidy).to.include({ voucherStatus: "issued" });
      expect((await quotaOf(who, serviceYear(5))).issuedFen).to.equal(27_000);
    });

    it("issues nothing for a booking without useVoucher", async () => {
      const who = await approvedEnterprise();
      const id = await book(who, 4, "11:00", instrumentId, false);
      expectStatus(await confirm(id), 200);
      await vouchers().idle();
      expect((await api.get("/api/vouchers", as(who))).body.total).to.equal(0);
      expect((await api.get(`/api/bookings/${id}`, as(who))).body).to.not.have.property("subsidy");
    });
  });

  describe("crash safety", () => {
    it("issues the voucher in the repair pass when the process died between the confirmation and the issue", async () => {
      const who = await approvedEnterprise();
      const id = await book(who, 5);
      vouchers().detach(); // the confirming process dies before its listener runs
      try {
        expectStatus(await confirm(id), 200);
      } finally {
        vouchers().attach();
      }
      expect((await api.get("/api/vouchers", as(who))).body.total).to.equal(0);
      const repaired = await vouchers().repair();
      expect(repaired.issued).to.be.at.least(1);
      const list = await api.get("/api/vouchers", as(who));
      expect(list.body.items.map((v: { status: string; faceValueFen: number }) => [v.status, v.faceValueFen])).to.deep.equal([["issued", 27_000]]);
      expect((await verify()).differences).to.deep.equal([]);
    });

    it("voids the voucher and gives the quota back in the repair pass when the process died before following a cancellation", async () => {
      const who = await approvedEnterprise();
      const id = await book(who, 5, "12:00");
      expectStatus(await confirm(id), 200);
      await vouchers().idle();
      vouchers().detach();
      try {
        expectStatus(await api.post(`/api/bookings/${id}/cancel`, {}, as(who)), 200);
      } finally {
        vouchers().attach();
      }
      expect((await quotaOf(who, serviceYear(5))).issuedFen).to.equal(27_000);
      expect((await vouchers().repair()).voided).to.be.at.least(1);
      expect((await quotaOf(who, serviceYear(5))).issuedFen).to.equal(0);
      expect((await verify()).differences).to.deep.equal([]);
    });

    it("records the voucher from its ledger entry when the crash came after the entry, without moving the quota twice", async () => {
      const who = await approvedEnterprise();
      const id = await book(who, 5, "11:00");
      vouchers().detach();
      try {
        expectStatus(await confirm(id), 200);
      } finally {
        vouchers().attach();
      }
      const booking = (await t.server.services.scheduling.load(id))!;
      await vouchers().issuer.reserve(booking); // step 1 only: the process died before voucher event 1
      expect((await verify()).ok, "an issue entry without a voucher is reported").to.equal(false);
      await vouchers().repair();
      await vouchers().repair();
      expect((await quotaOf(who, serviceYear(5))).issuedFen).to.equal(27_000);
      expect((await verify()).differences).to.deep.equal([]);
    });
  });

  describe("the quota race", () => {
    it("never issues more than the cap under 100 parallel confirmations against a nearly spent quota, with a second server process issuing the same bookings, and the ledger verifies", async () => {
      // A small cap from tomorrow on; the services run in 6 days, under it.
      const from = DateTime.now().setZone("Asia/Shanghai").plus({ days: 1 }).toISODate()!;
      const day = 6;
      const cap = 100_000;
      const policy = await api.post("/api/policies", { effectiveFrom: from, ...DEFAULT_POLICY_TERMS, annualCapFen: cap, perServiceCapFen: null }, as(bureau));
      expectStatus(policy, 201);
      const who = await approvedEnterprise();
      const ids: string[] = [];
      for (let batch = 0; batch < 10; batch++) {
        ids.push(...(await Promise.all(Array.from({ length: 10 }, () => book(who, day, "14:00")))));
      }
      const started = Date.now();
      // A second "process": its own services over its own connection to the same database, issuing
      // for the same bookings while this one follows its bus.
      const conn2 = await connectDatabase(t.db.uri, t.db.dbName);
      const other = createServices(conn2, t.config);
      let answers: Awaited<ReturnType<typeof confirm>>[];
      try {
        [answers] = await Promise.all([
          Promise.all(ids.map((id) => confirm(id))),
          Promise.all(ids.map(async (id) => {
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 2000));
            await other.vouchers.issuer.follow(id);
          })),
        ]);
        await vouchers().idle();
      } finally {
        await conn2.close();
      }
      const ms = Date.now() - started;
      expect(answers.map((a) => a.status)).to.satisfy((s: number[]) => s.every((x) => x === 200));
      const all = await api.get("/api/vouchers?pageSize=100", as(who));
      const issued = all.body.items.filter((v: { status: string }) => v.status === "issued");
      const total = issued.reduce((sum: number, v: { faceValueFen: number }) => sum + v.faceValueFen, 0);
      console.log(`      100 parallel confirmations: ${issued.length} vouchers issued, ${total} fen of a ${cap} fen cap, in ${ms} ms`);
      expect(all.body.total).to.equal(100);
      expect(total).to.equal(cap); // 3 full vouchers (27,000) and one for the 19,000 left
      expect(issued.filter((v: { faceValueFen: number }) => v.faceValueFen < 27_000)).to.have.length(1);
      // The quota shows the cap in force today (the article's); the services ran under the small one.
      expect((await quotaOf(who, serviceYear(day))).issuedFen).to.equal(cap);
      expect((await verify()).differences).to.deep.equal([]);
      const start = shanghai(day, "15:00");
      const q = await api.get(`/api/quotes?instrumentId=${instrumentId}&start=${encodeURIComponent(start)}&end=${encodeURIComponent(DateTime.fromISO(start).plus({ hours: 1 }).toISO()!)}`, as(who));
      expectStatus(q, 200);
      expect(q.body).to.include({ provinceFen: 0, cityFen: 0, enterpriseFen: 30_000, quotaAfterFen: 0 });
      expect(q.body.reasons).to.deep.equal(["CAP_REACHED"]);
    });
  });

  describe("enterprises sharing an actual controller", () => {
    it("draws on one quota, and a randomized run of issues and voids leaves a ledger without differences", async () => {
      const [a, b, c] = await Promise.all([approvedEnterprise(), approvedEnterprise(), approvedEnterprise()]);
      for (const e of [a, b]) expectStatus(await api.post(`/api/enterprises/${e.orgId}/actual-controller`, { actualController: "聊城 测试控股集团" }, as(bureau)), 200);
      expect((await api.get(`/api/enterprises/${a.orgId}`, as(a))).body.actualController).to.equal("聊城 测试控股集团");
      expect((await quotaOf(a)).accountId).to.equal((await quotaOf(b)).accountId);
      expect((await quotaOf(a)).accountId).to.not.equal((await quotaOf(c)).accountId);
      let seed = 7;
      // The high bits of the LCG: its low bits repeat with a short period.
      const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
      const open: { id: string; who: TestUser }[] = [];
      const hours = ["08:00", "09:00", "10:00", "11:00", "13:00", "15:00", "16:00"];
      for (let round = 0; round < 8; round++) {
        const made = await Promise.all(Array.from({ length: 5 }, async () => {
          const who = [a, b, c][rnd(3)]!;
          return { id: await book(who, 7 + rnd(3), hours[rnd(hours.length)]!), who };
        }));
        await Promise.all(made.map((x) => confirm(x.id)));
        open.push(...made);
        const cancels = open.splice(0, rnd(4));
        await Promise.all(cancels.map((x) => api.post(`/api/bookings/${x.id}/cancel`, { reason: "计划变更" }, as(provider))));
      }
      await vouchers().idle();
      const check = await verify();
      expect(check.differences).to.deep.equal([]);
      expect(check.ok).to.equal(true);
      const year = serviceYear(8);
      const [qa, qb] = [await quotaOf(a, year), await quotaOf(b, year)];
      expect(qa.issuedFen).to.equal(qb.issuedFen);
    });

    it("refuses to move an enterprise holding vouchers this year to another controller: 409 CONTROLLER_HAS_VOUCHERS", async () => {
      const who = await approvedEnterprise();
      expectStatus(await confirm(await book(who, 3, "16:00")), 200);
      await vouchers().idle();
      const res = await api.post(`/api/enterprises/${who.orgId}/actual-controller`, { actualController: "另一个集团" }, as(bureau));
      expectStatus(res, 409, "CONTROLLER_HAS_VOUCHERS");
      expect((await api.get(`/api/enterprises/${who.orgId}`, as(who))).body).to.not.have.property("actualController");
    });
  });

  describe("quotes", () => {
    it("quotes 60% + 0% for a provider outside the city, with PROVIDER_NOT_LOCAL", async () => {
      const user = await registerUser(api, "far");
      const far = await api.post("/api/providers", providerBody({ county: "outside_province" }), as(user));
      expectStatus(far, 201);
      expectStatus(await api.post(`/api/providers/${far.body.id}/review`, { decision: "approve" }, as(bureau)), 200);
      const inst = await publishInstrument(api, { ...user, orgId: far.body.id });
      const q = await api.get(`/api/quotes?instrumentId=${inst.id}&start=${encodeURIComponent(shanghai(3, "10:00"))}&end=${encodeURIComponent(shanghai(3, "11:00"))}`, as(enterprise));
      expectStatus(q, 200);
      expect(q.body).to.include({ listPriceFen: 30_000, provinceFen: 18_000, cityFen: 0, enterpriseFen: 12_000 });
      expect(q.body.reasons).to.deep.equal(["PROVIDER_NOT_LOCAL"]);
    });

    it("quotes zero subsidy with NOT_IN_REGISTRY for an enterprise not yet approved", async () => {
      const pending = await orgAdmin(api, "enterprise");
      const q = await api.get(`/api/quotes?instrumentId=${instrumentId}&start=${encodeURIComponent(shanghai(3, "10:00"))}&end=${encodeURIComponent(shanghai(3, "11:00"))}`, as(pending));
      expectStatus(q, 200);
      expect(q.body).to.include({ provinceFen: 0, cityFen: 0, enterpriseFen: 30_000 });
      expect(q.body.reasons).to.deep.equal(["NOT_IN_REGISTRY"]);
    });
  });

  describe("provider admission", () => {
    it("under a policy that admits providers only after their public notice, quotes nothing with PROVIDER_NOT_ADMITTED until the notice has ended", async () => {
      const from = DateTime.now().setZone("Asia/Shanghai").plus({ days: 30 });
      expectStatus(await api.post("/api/policies", { ...DEFAULT_POLICY_TERMS, effectiveFrom: from.toISODate()!, admittedProvidersOnly: true }, as(bureau)), 201);
      const inst = await publishInstrument(api, provider, { rules: { maxAdvanceDays: 60 } });
      const quote = async (day: number) => {
        const res = await api.get(`/api/quotes?instrumentId=${inst.id}&start=${encodeURIComponent(shanghai(day, "10:00"))}&end=${encodeURIComponent(shanghai(day, "11:00"))}`, as(enterprise));
        expectStatus(res, 200);
        return res.body;
      };
      expect(await quote(35)).to.deep.include({ provinceFen: 0, cityFen: 0, enterpriseFen: 30_000, reasons: ["PROVIDER_NOT_ADMITTED"] });
      expect(await quote(3), "the version in force before it does not ask").to.deep.include({ provinceFen: 18_000, cityFen: 9_000, reasons: [] });
      expectStatus(await api.post("/api/admissions", { providerId: provider.orgId }, as(bureau)), 201);
      expect(await quote(35), "admitted once the 7-day notice is over").to.deep.include({ provinceFen: 18_000, cityFen: 9_000, enterpriseFen: 3_000, reasons: [] });
    });
  });

  describe("policy versions", () => {
    it("lists the article's numbers as the version in force from the start", async () => {
      const res = await api.get("/api/policies");
      expectStatus(res, 200);
      expect(res.body.items[0]).to.include({ effectiveFrom: "2000-01-01", provinceBpInCity: 6000, cityBp: 3000, annualCapFen: 65_000_000, providerSubsidyBp: 500, claimWindowMonths: 6 });
    });

    it("refuses a version that would take effect today or earlier: 422 POLICY_NOT_FUTURE, and a second one for the same day: 409", async () => {
      const today = DateTime.now().setZone("Asia/Shanghai").toISODate()!;
      expectStatus(await api.post("/api/policies", { effectiveFrom: today, ...DEFAULT_POLICY_TERMS }, as(bureau)), 422, "POLICY_NOT_FUTURE");
      const later = DateTime.now().setZone("Asia/Shanghai").plus({ days: 400 }).toISODate()!;
      expectStatus(await api.post("/api/policies", { effectiveFrom: later, ...DEFAULT_POLICY_TERMS }, as(bureau)), 201);
      expectStatus(await api.post("/api/policies", { effectiveFrom: later, ...DEFAULT_POLICY_TERMS }, as(bureau)), 409, "POLICY_DATE_TAKEN");
    });
  });
});

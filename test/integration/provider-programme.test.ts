// Provincial performance awards (one per provider and year) and provider admission notices (公示):
// open for 7 days, objections while open, admitted when the period ends without an upheld objection,
// the status computed from the clock (issue 10).
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";

const DAY = 86_400_000;

describe("the provider programme", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;

  before(async () => {
    t = await startTestServer("provider-programme");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
  });
  after(() => t.stop());

  describe("provincial performance awards", () => {
    it("records one award per provider and year (201), replays the same one (200) and refuses another amount with 409 AWARD_EXISTS", async () => {
      const p = await orgAdmin(api, "provider", bureau);
      const body = { providerId: p.orgId, year: 2026, provincialAwardFen: 50_000_00 };
      const first = await api.post("/api/awards", body, { token: bureau });
      expectStatus(first, 201);
      expect(first.body).to.include({ id: `${p.orgId}:2026`, providerId: p.orgId, year: 2026, provincialAwardFen: 50_000_00 });
      const again = await api.post("/api/awards", body, { token: bureau });
      expectStatus(again, 200);
      expect(again.body).to.deep.equal(first.body);
      const other = await api.post("/api/awards", { ...body, provincialAwardFen: 1 }, { token: bureau, headers: { "Accept-Language": "en" } });
      expectStatus(other, 409, "AWARD_EXISTS");
      expect(other.body.error.message).to.include("50000.00 yuan");
      expectStatus(await api.post("/api/awards", { ...body, year: 2027 }, { token: bureau }), 201);
      expectStatus(await api.post("/api/awards", { ...body, providerId: "nope" }, { token: bureau }), 404, "NOT_FOUND");
      const list = await api.get("/api/awards?year=2026", { token: bureau });
      expect(list.body.items.filter((a: { providerId: string }) => a.providerId === p.orgId)).to.have.length(1);
    });

    it("keeps one award under 10 parallel different amounts for the same provider-year", async () => {
      const p = await orgAdmin(api, "provider", bureau);
      const answers = await Promise.all(Array.from({ length: 10 }, (_, k) => api.post("/api/awards", { providerId: p.orgId, year: 2025, provincialAwardFen: 1000 + k }, { token: bureau })));
      expect(answers.filter((r) => r.status === 201)).to.have.length(1);
      for (const r of answers.filter((a) => a.status !== 201)) expectStatus(r, 409, "AWARD_EXISTS");
      const stored = await t.server.services.awards.awardsOfYear(2025);
      expect(stored.filter((a) => a.providerId === p.orgId)).to.have.length(1);
    });

    it("lists the awards recorded in a period for the settlement", async () => {
      const p = await orgAdmin(api, "provider", bureau);
      const awards = t.server.services.awards;
      await atTime(awards, Date.parse("2026-11-15T04:00:00Z"), () => api.post("/api/awards", { providerId: p.orgId, year: 2024, provincialAwardFen: 777 }, { token: bureau }));
      const nov = await awards.awardsRecordedBetween(new Date("2026-11-01T00:00:00+08:00"), new Date("2026-12-01T00:00:00+08:00"));
      expect(nov.map((a) => a.id)).to.include(`${p.orgId}:2024`);
      const oct = await awards.awardsRecordedBetween(new Date("2026-10-01T00:00:00+08:00"), new Date("2026-11-01T00:00:00+08:00"));
      expect(oct.map((a) => a.id)).to.not.include(`${p.orgId}:2024`);
    });
  });

  describe("admission notices", () => {
    const admissions = () => t.server.services.admissions;
    const at = <T>(ms: number, f: () => Promise<T>) => atTime(admissions(), ms, f);
    let citizen: TestUser;
    before(async () => {
      citizen = await registerUser(api, "citizen");
    });

    async function openNotice(at0: number) {
      const p = await orgAdmin(api, "provider", bureau);
      const res = await at(at0, () => api.post("/api/admissions", { providerId: p.orgId }, { token: bureau }));
      expectStatus(res, 201);
      return { providerId: p.orgId!, notice: res.body as { id: string; opensAt: string; endsAt: string; status: string } };
    }
    const publicStatus = async (id: string, ms: number) => (await at(ms, () => api.get("/api/admissions/notices"))).body.items.find((n: { id: string }) => n.id === id);

    it("lists a notice publicly (no login) for 7 days, then admits the provider when no objection was upheld", async () => {
      const t0 = Date.parse("2026-12-01T02:00:00Z");
      const { providerId, notice } = await openNotice(t0);
      expect(notice).to.include({ status: "open", opensAt: new Date(t0).toISOString(), endsAt: new Date(t0 + 7 * DAY).toISOString() });
      expect(await publicStatus(notice.id, t0 + 7 * DAY - 1)).to.include({ status: "open", objections: 0 });
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 7 * DAY - 1))).to.equal(false);
      const after = await publicStatus(notice.id, t0 + 7 * DAY);
      expect(after).to.include({ status: "admitted", admittedAt: new Date(t0 + 7 * DAY).toISOString() });
      expect(after.providerName).to.be.a("string").and.not.equal("");
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 7 * DAY))).to.equal(true);
      // A second notice while one is admitted (or open) is refused.
      expectStatus(await at(t0 + 8 * DAY, () => api.post("/api/admissions", { providerId }, { token: bureau })), 409, "ADMISSION_EXISTS");
    });

    it("takes objections from anyone logged in while open (401 anonymous, 422 NOTICE_CLOSED after), and waits for the bureau before admitting", async () => {
      const t0 = Date.parse("2026-12-02T02:00:00Z");
      const { providerId, notice } = await openNotice(t0);
      expectStatus(await at(t0 + DAY, () => api.post(`/api/admissions/${notice.id}/objections`, { reason: "资质造假" })), 401, "UNAUTHENTICATED");
      const filed = await at(t0 + DAY, () => api.post(`/api/admissions/${notice.id}/objections`, { reason: "资质造假" }, { token: citizen.token }));
      expectStatus(filed, 201);
      expectStatus(await at(t0 + 7 * DAY, () => api.post(`/api/admissions/${notice.id}/objections`, { reason: "太晚" }, { token: citizen.token })), 422, "NOTICE_CLOSED");
      // The period is over but an objection is undecided: not admitted yet.
      expect(await publicStatus(notice.id, t0 + 8 * DAY)).to.include({ status: "under_review", pendingObjections: 1 });
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 8 * DAY))).to.equal(false);
      const listed = await api.get(`/api/admissions/${notice.id}/objections`, { token: bureau });
      expect(listed.body.items.map((o: { reason: string }) => o.reason)).to.deep.equal(["资质造假"]);
      const dismissed = await at(t0 + 9 * DAY, () => api.post(`/api/admissions/${notice.id}/objections/${filed.body.id}/decision`, { decision: "dismiss", note: "查无实据" }, { token: bureau }));
      expectStatus(dismissed, 200);
      expect(dismissed.body).to.include({ decision: "dismiss", decisionNote: "查无实据" });
      expect(await publicStatus(notice.id, t0 + 9 * DAY)).to.include({ status: "admitted", admittedAt: new Date(t0 + 9 * DAY).toISOString() });
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 8 * DAY))).to.equal(false);
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 9 * DAY))).to.equal(true);
    });

    it("rejects the admission when an objection is upheld, decides each objection once under racing decisions, and allows a new round", async () => {
      const t0 = Date.parse("2026-12-03T02:00:00Z");
      const { providerId, notice } = await openNotice(t0);
      const filed = await at(t0 + DAY, () => api.post(`/api/admissions/${notice.id}/objections`, { reason: "未取得 CMA 资质" }, { token: citizen.token }));
      const decide = (decision: string) => at(t0 + 2 * DAY, () => api.post(`/api/admissions/${notice.id}/objections/${filed.body.id}/decision`, { decision }, { token: bureau }));
      const answers = await Promise.all(Array.from({ length: 10 }, (_, k) => decide(k % 2 ? "uphold" : "dismiss")));
      const winners = answers.filter((r) => r.status === 200);
      expect(winners).to.have.length(1);
      for (const r of answers.filter((a) => a.status !== 200)) expectStatus(r, 409, "OBJECTION_ALREADY_DECIDED");
      // Whichever decision won, one upheld objection sinks the notice.
      const another = await at(t0 + 3 * DAY, () => api.post(`/api/admissions/${notice.id}/objections`, { reason: "检测报告不合规" }, { token: citizen.token }));
      expectStatus(await at(t0 + 4 * DAY, () => api.post(`/api/admissions/${notice.id}/objections/${another.body.id}/decision`, { decision: "uphold" }, { token: bureau })), 200);
      expect(await publicStatus(notice.id, t0 + 4 * DAY)).to.include({ status: "rejected", objections: 2, pendingObjections: 0 });
      expect(await publicStatus(notice.id, t0 + 30 * DAY)).to.include({ status: "rejected" });
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 30 * DAY))).to.equal(false);
      const second = await at(t0 + 31 * DAY, () => api.post("/api/admissions", { providerId }, { token: bureau }));
      expectStatus(second, 201);
      expect(second.body.id).to.equal(`${providerId}:2`);
      expect(await admissions().isAdmitted(providerId, new Date(t0 + 38 * DAY))).to.equal(true);
    });

    it("answers 422 ADMISSION_PROVIDER_NOT_APPROVED for a provider whose registration is pending, 404 for none", async () => {
      const pending = await orgAdmin(api, "provider");
      expectStatus(await api.post("/api/admissions", { providerId: pending.orgId }, { token: bureau }), 422, "ADMISSION_PROVIDER_NOT_APPROVED");
      expectStatus(await api.post("/api/admissions", { providerId: "no-such-provider" }, { token: bureau }), 404, "NOT_FOUND");
    });

    it("opens one notice under 10 parallel requests for the same provider", async () => {
      const p = await orgAdmin(api, "provider", bureau);
      const answers = await Promise.all(Array.from({ length: 10 }, () => api.post("/api/admissions", { providerId: p.orgId }, { token: bureau })));
      expect(answers.filter((r) => r.status === 201)).to.have.length(1);
      for (const r of answers.filter((a) => a.status !== 201)) expectStatus(r, 409, "ADMISSION_EXISTS");
    });

    it("takes the notice period from the configuration", async () => {
      const t2 = await startTestServer("admission-days", { ADMISSION_NOTICE_DAYS: "10" });
      try {
        const api2 = apiClient(t2.baseUrl);
        const b2 = await login(api2, t2.admin.email, t2.admin.password);
        const p = await orgAdmin(api2, "provider", b2);
        const res = await api2.post("/api/admissions", { providerId: p.orgId }, { token: b2 });
        expect(Date.parse(res.body.endsAt) - Date.parse(res.body.opensAt)).to.equal(10 * DAY);
      } finally {
        await t2.stop();
      }
    });
  });
});

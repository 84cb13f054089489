// Registration review rounds: a rejected registration is corrected and resubmitted; the bureau
// revokes registrations; a credit code or provider name held only by a rejected or revoked
// registration does not block the real organization; every decision has exactly one winner.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { enterpriseBody, login, orgAdmin, providerBody, registerUser, type TestUser } from "../factories/accounts";
import { eventId } from "../../server/db/event-store";

describe("registration review rounds", function () {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;

  before(async () => {
    t = await startTestServer("rounds");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
  });
  after(() => t.stop());

  async function registered(type: "enterprise" | "provider", body: Record<string, unknown>): Promise<TestUser> {
    const user = await registerUser(api, type);
    const res = await api.post(`/api/${type}s`, body, { token: user.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return { ...user, orgId: res.body.id };
  }
  const reject = (type: string, id: string, reason = "营业执照照片不清晰") =>
    api.post(`/api/${type}s/${id}/review`, { decision: "reject", reason }, { token: bureau });

  describe("resubmitting a rejected registration", () => {
    it("shows the rejection reason, takes the corrected fields as round 2, and the bureau reviews it again", async () => {
      const body = enterpriseBody();
      const admin = await registered("enterprise", body);
      expect((await reject("enterprise", admin.orgId!)).status).to.equal(200);
      const seen = await api.get(`/api/enterprises/${admin.orgId}`, { token: admin.token });
      expect(seen.body).to.include({ status: "rejected", reviewReason: "营业执照照片不清晰", round: 1 });

      const corrected = { ...body, name: `${body.name} (更正)`, industry: "chemicals" };
      const res = await api.post(`/api/enterprises/${admin.orgId}/resubmit`, corrected, { token: admin.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ ...corrected, status: "pending", round: 2 });
      expect(res.body).to.not.have.property("reviewReason");

      const queue = await api.get(`/api/enterprises?status=pending&q=${encodeURIComponent(corrected.name)}`, { token: bureau });
      expect(queue.body.items.map((x: { id: string; round: number }) => [x.id, x.round])).to.deep.equal([[admin.orgId, 2]]);
      const approved = await api.post(`/api/enterprises/${admin.orgId}/review`, { decision: "approve" }, { token: bureau });
      expect(approved.body).to.include({ status: "approved", round: 2 });
      const me = await api.get("/api/me", { token: admin.token });
      expect(me.body.organization).to.include({ status: "approved", name: corrected.name });
      const types = (await t.db.conn.collection("events").find({ aggregateId: admin.orgId }).sort({ seq: 1 }).toArray()).map((e) => e.type);
      expect(types).to.deep.equal(["registered", "reviewed", "resubmitted", "reviewed"]);
    });

    it("answers 409 REGISTRATION_NOT_REJECTED for a pending or approved registration", async () => {
      const pending = await orgAdmin(api, "provider");
      const res = await api.post(`/api/providers/${pending.orgId}/resubmit`, providerBody(), { token: pending.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("REGISTRATION_NOT_REJECTED");
    });

    it("answers 404 to another organization's admin trying to resubmit it", async () => {
      const admin = await registered("enterprise", enterpriseBody());
      await reject("enterprise", admin.orgId!);
      const other = await orgAdmin(api, "enterprise");
      const res = await api.post(`/api/enterprises/${admin.orgId}/resubmit`, enterpriseBody(), { token: other.token });
      expect(res.status).to.equal(404);
    });

    it("answers 409 CREDIT_CODE_TAKEN when the real company registered the code while it was rejected", async () => {
      const body = enterpriseBody();
      const squatter = await registered("enterprise", body);
      await reject("enterprise", squatter.orgId!);
      await registered("enterprise", { ...body, name: "真正的轴承有限公司" });
      const res = await api.post(`/api/enterprises/${squatter.orgId}/resubmit`, body, { token: squatter.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("CREDIT_CODE_TAKEN");
      expect((await api.get(`/api/enterprises/${squatter.orgId}`, { token: squatter.token })).body.status).to.equal("rejected");
    });
  });

  describe("credit codes and names held by dead registrations", () => {
    it("a code held only by a rejected registration does not block the real company, and a second live one is refused", async () => {
      const body = enterpriseBody();
      const first = await registered("enterprise", body);
      await reject("enterprise", first.orgId!);
      const real = await registered("enterprise", { ...body, name: "真正的公司" });
      expect(real.orgId).to.not.equal(first.orgId);
      const third = await registerUser(api);
      const res = await api.post("/api/enterprises", body, { token: third.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("CREDIT_CODE_TAKEN");
    });

    it("revoking an approved registration releases its credit code; the revoked one stays revoked", async () => {
      const body = enterpriseBody();
      const holder = await orgAdmin(api, "enterprise", bureau);
      const code = (await api.get(`/api/enterprises/${holder.orgId}`, { token: holder.token })).body.creditCode;
      const blocked = await registerUser(api);
      expect((await api.post("/api/enterprises", { ...body, creditCode: code }, { token: blocked.token })).status).to.equal(409);

      const revoked = await api.post(`/api/enterprises/${holder.orgId}/revoke`, { reason: "冒用他人信用代码" }, { token: bureau });
      expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
      expect(revoked.body).to.include({ status: "revoked", reviewReason: "冒用他人信用代码" });
      expect((await api.get("/api/me", { token: holder.token })).body.organization.status).to.equal("revoked");
      const again = await api.post(`/api/enterprises/${holder.orgId}/revoke`, { reason: "x" }, { token: bureau });
      expect(again.body.error.code).to.equal("REGISTRATION_REVOKED");
      const resubmit = await api.post(`/api/enterprises/${holder.orgId}/resubmit`, body, { token: holder.token });
      expect(resubmit.body.error.code).to.equal("REGISTRATION_NOT_REJECTED");

      expect((await api.post("/api/enterprises", { ...body, creditCode: code }, { token: blocked.token })).status).to.equal(201);
    });

    it("a provider name held by a revoked provider is free again, compared after normalization", async () => {
      const name = `聊城市 计量测试所 ${Math.random().toString(36).slice(2, 8)}`;
      const first = await registered("provider", providerBody({ name }));
      const spelled = `${name.replace(/ /g, "\u200b ")}`.toUpperCase();
      const other = await registerUser(api);
      expect((await api.post("/api/providers", providerBody({ name: spelled }), { token: other.token })).body.error.code).to.equal("PROVIDER_NAME_TAKEN");
      expect((await api.post(`/api/providers/${first.orgId}/revoke`, { reason: "重复登记" }, { token: bureau })).status).to.equal(200);
      const res = await api.post("/api/providers", providerBody({ name: spelled }), { token: other.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.name).to.not.include("\u200b");
    });

    it("refuses a name that is only format characters and spaces (400), and an email with a zero-width space", async () => {
      const user = await registerUser(api);
      const res = await api.post("/api/providers", providerBody({ name: "\u200b\u200b \u200b" }), { token: user.token });
      expect(res.status).to.equal(400);
      const email = await api.post("/api/auth/register", { email: `a\u200bb-${user.id}@example.test`, password: "long enough pass", name: "x" });
      expect(email.status).to.equal(400);
    });

    it("a code registered before claims existed (no claim, as the demo seed writes) still blocks while live", async () => {
      const admin = await registered("enterprise", enterpriseBody());
      const doc = await t.db.conn.collection("enterprises").findOne({ _id: admin.orgId as never });
      await t.db.conn.collection("registration_claims").deleteMany({ orgId: admin.orgId });
      const other = await registerUser(api);
      const res = await api.post("/api/enterprises", enterpriseBody({ creditCode: doc!.creditCode }), { token: other.token });
      expect(res.body.error?.code).to.equal("CREDIT_CODE_TAKEN");
    });
  });

  describe("under concurrency", () => {
    it("100 parallel registrations of a code a rejected registration held: one winner, 99 × 409, no stray memberships", async () => {
      const body = enterpriseBody();
      const rejected = await registered("enterprise", body);
      await reject("enterprise", rejected.orgId!);
      const users = await Promise.all(Array.from({ length: 100 }, () => registerUser(api)));
      const results = await Promise.all(users.map((u) => api.post("/api/enterprises", body, { token: u.token })));
      expect(results.map((r) => r.status).filter((s) => s === 201)).to.have.length(1);
      expect(results.filter((r) => r.status === 409 && r.body.error.code === "CREDIT_CODE_TAKEN")).to.have.length(99);
      const ids = users.map((u) => u.id);
      expect(await t.db.conn.collection("memberships").countDocuments({ _id: { $in: ids as never[] } })).to.equal(1);
      const live = await t.db.conn.collection("enterprises").countDocuments({ creditCode: body.creditCode, status: { $in: ["pending", "approved"] } });
      expect(live).to.equal(1);
    });

    it("the rejected registrant resubmitting while 20 others register its code: exactly one live registration", async () => {
      const body = enterpriseBody();
      const rejected = await registered("enterprise", body);
      await reject("enterprise", rejected.orgId!);
      const users = await Promise.all(Array.from({ length: 20 }, () => registerUser(api)));
      const results = await Promise.all([
        api.post(`/api/enterprises/${rejected.orgId}/resubmit`, body, { token: rejected.token }),
        ...users.map((u) => api.post("/api/enterprises", body, { token: u.token })),
      ]);
      expect(results.filter((r) => r.status >= 500)).to.have.length(0);
      expect(results.filter((r) => r.status === 200 || r.status === 201)).to.have.length(1);
      const live = await t.db.conn.collection("enterprises").countDocuments({ creditCode: body.creditCode, status: { $in: ["pending", "approved"] } });
      expect(live).to.equal(1);
    });

    it("two reviewers deciding a resubmitted round at once: one decision, the other 409", async () => {
      const admin = await registered("provider", providerBody());
      await reject("provider", admin.orgId!);
      const again = await api.post(`/api/providers/${admin.orgId}/resubmit`, providerBody(), { token: admin.token });
      expect(again.status, JSON.stringify(again.body)).to.equal(200);
      const [a, b] = await Promise.all([
        api.post(`/api/providers/${admin.orgId}/review`, { decision: "approve" }, { token: bureau }),
        api.post(`/api/providers/${admin.orgId}/review`, { decision: "reject", reason: "仍不合格" }, { token: bureau }),
      ]);
      expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
      const winner = (a.status === 200 ? a : b).body.status;
      expect((await api.get(`/api/providers/${admin.orgId}`, { token: bureau })).body).to.include({ status: winner, round: 2 });
      expect(await t.db.conn.collection("events").countDocuments({ aggregateId: admin.orgId })).to.equal(4);
    });

    it("a resubmission racing a revocation (10 rounds): one wins each time, the stream and the projection agree", async () => {
      for (let i = 0; i < 10; i++) {
        const body = enterpriseBody();
        const admin = await registered("enterprise", body);
        await reject("enterprise", admin.orgId!);
        const [resubmit, revoke] = await Promise.all([
          api.post(`/api/enterprises/${admin.orgId}/resubmit`, body, { token: admin.token }),
          api.post(`/api/enterprises/${admin.orgId}/revoke`, { reason: "撤销" }, { token: bureau }),
        ]);
        expect([resubmit.status, revoke.status].sort(), JSON.stringify([resubmit.body, revoke.body])).to.deep.equal([200, 409]);
        const final = (await api.get(`/api/enterprises/${admin.orgId}`, { token: bureau })).body.status;
        expect(final).to.equal(resubmit.status === 200 ? "pending" : "revoked");
        const third = await t.db.conn.collection("events").findOne({ _id: eventId(admin.orgId!, 3) as never });
        expect(third?.type).to.equal(resubmit.status === 200 ? "resubmitted" : "revoked");
        expect(await t.db.conn.collection("events").countDocuments({ aggregateId: admin.orgId })).to.equal(3);
        // After a revocation won, the code is free at once (the loser gave its claim back).
        if (revoke.status === 200) {
          const real = await registerUser(api);
          expect((await api.post("/api/enterprises", body, { token: real.token })).status).to.equal(201);
        }
      }
    });
  });

  describe("reads that heal stale projections", () => {
    async function writeEventDirectly(orgId: string, seq: number, type: string, data: Record<string, unknown>) {
      await t.db.conn.collection("events").insertOne({
        _id: eventId(orgId, seq) as never, aggregateId: orgId, seq, type, data, actorId: "someone", at: new Date(),
      });
    }

    it("/api/me shows a review written to the stream whose projection was never updated", async () => {
      const admin = await registered("enterprise", enterpriseBody());
      await writeEventDirectly(admin.orgId!, 2, "reviewed", { status: "rejected", reason: "材料不全" });
      const me = await api.get("/api/me", { token: admin.token });
      expect(me.body.organization.status).to.equal("rejected");
    });

    it("a provider approved only in its stream may publish an instrument at once", async () => {
      const admin = await orgAdmin(api, "provider");
      const instrument = {
        name: "愈合测试光谱仪", category: "analytical", priceFen: 10000, priceUnit: "hour",
        openHours: [{ weekday: 1, start: "08:00", end: "12:00" }], originalValueFen: 1_000_000,
      };
      const before = await api.post("/api/instruments", instrument, { token: admin.token });
      expect(before.body.error?.code).to.equal("PROVIDER_NOT_APPROVED");
      await writeEventDirectly(admin.orgId!, 2, "reviewed", { status: "approved" });
      const after = await api.post("/api/instruments", instrument, { token: admin.token });
      expect(after.status, JSON.stringify(after.body)).to.equal(201);
    });

    it("the bureau's list shows a revocation written to the stream whose projection was never updated", async () => {
      const admin = await registered("provider", providerBody());
      await writeEventDirectly(admin.orgId!, 2, "revoked", { status: "revoked", reason: "r" });
      const name = (await api.get(`/api/providers/${admin.orgId}`, { token: bureau })).body.name;
      const list = await api.get(`/api/providers?q=${encodeURIComponent(name)}`, { token: bureau });
      expect(list.body.items.map((x: { status: string }) => x.status)).to.deep.equal(["revoked"]);
    });
  });
});

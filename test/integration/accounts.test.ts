// Accounts end to end over real HTTP and the embedded database: sessions, registration, review,
// invitations, and the races and crashes the exclusive-insert design must survive.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { enterpriseBody, login, orgAdmin, registerUser, uniqueEmail, validCreditCode } from "../factories/accounts";
import { eventId } from "../../server/db/event-store";

describe("accounts", function () {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;

  before(async () => {
    t = await startTestServer("accounts");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
  });
  after(() => t.stop());

  describe("registering and logging in", () => {
    it("registers, sets an httpOnly session cookie, and the cookie and the bearer token both authenticate", async () => {
      const email = uniqueEmail();
      const res = await api.post("/api/auth/register", { email, password: "secret-pass-1", name: "张三" });
      expect(res.status).to.equal(201);
      expect(res.body.user).to.include({ email, name: "张三", locale: "zh-CN" });
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).to.match(/labshare_session=[^;]+/).and.match(/HttpOnly/i);
      const viaCookie = await api.get("/api/me", { headers: { cookie: cookie.split(";")[0]! } });
      expect(viaCookie.status).to.equal(200);
      expect(viaCookie.body).to.deep.include({ organization: null, roles: [] });
      const viaBearer = await api.get("/api/me", { token: res.body.token });
      expect(viaBearer.body.user.id).to.equal(res.body.user.id);
    });

    it("stores only a scrypt hash of the password and only a hash of the session token", async () => {
      const user = await registerUser(api);
      const doc = await t.db.conn.collection("users").findOne({ email: user.email });
      expect(doc?.passwordHash).to.match(/^scrypt\$/).and.not.include(user.password);
      expect(await t.db.conn.collection("sessions").countDocuments({ _id: user.token as never })).to.equal(0);
    });

    it("answers 409 EMAIL_TAKEN for an email already registered, whatever its case", async () => {
      const user = await registerUser(api);
      const res = await api.post("/api/auth/register", { email: user.email.toUpperCase(), password: "another-pass", name: "x" });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("EMAIL_TAKEN");
    });

    it("answers 401 INVALID_CREDENTIALS for a wrong password and for an unknown email alike", async () => {
      const user = await registerUser(api);
      const wrong = await api.post("/api/auth/login", { email: user.email, password: "nope-nope" });
      const unknown = await api.post("/api/auth/login", { email: uniqueEmail(), password: "nope-nope" });
      for (const res of [wrong, unknown]) {
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal("INVALID_CREDENTIALS");
      }
    });

    it("logs out: the token stops working", async () => {
      const user = await registerUser(api);
      expect((await api.post("/api/auth/logout", undefined, { token: user.token })).status).to.equal(200);
      const me = await api.get("/api/me", { token: user.token });
      expect(me.status).to.equal(401);
      expect(me.body.error.code).to.equal("UNAUTHENTICATED");
    });

    it("refuses an expired session", async () => {
      const user = await registerUser(api);
      await t.db.conn.collection("sessions").updateMany({ userId: user.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await api.get("/api/me", { token: user.token })).status).to.equal(401);
    });

    it("changes my name and language", async () => {
      const user = await registerUser(api);
      const res = await api.patch("/api/me", { name: "李四", locale: "en" }, { token: user.token });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ name: "李四", locale: "en" });
    });
  });

  describe("login rate limit", () => {
    let limited: TestServer;
    before(async () => {
      limited = await startTestServer("ratelimit", { LOGIN_ATTEMPTS_PER_15_MIN: "3" });
    });
    after(() => limited.stop());

    it("answers 429 RATE_LIMITED with Retry-After after too many failed attempts, and only for that email", async () => {
      const lapi = apiClient(limited.baseUrl);
      const user = await registerUser(lapi);
      for (let i = 0; i < 3; i++) {
        expect((await lapi.post("/api/auth/login", { email: user.email, password: "wrong-wrong" })).status).to.equal(401);
      }
      const blocked = await lapi.post("/api/auth/login", { email: user.email, password: user.password }, { headers: { "accept-language": "en" } });
      expect(blocked.status).to.equal(429);
      expect(blocked.body.error.code).to.equal("RATE_LIMITED");
      expect(blocked.body.error.message).to.match(/try again in \d+ s/);
      expect(Number(blocked.headers.get("retry-after"))).to.be.greaterThan(0);
      const other = await registerUser(lapi);
      expect((await lapi.post("/api/auth/login", { email: other.email, password: other.password })).status).to.equal(200);
    });
  });

  describe("registering an organization", () => {
    it("makes the caller the enterprise's admin, pending review", async () => {
      const user = await registerUser(api);
      const body = enterpriseBody();
      const res = await api.post("/api/enterprises", body, { token: user.token });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ ...body, status: "pending" });
      const me = await api.get("/api/me", { token: user.token });
      expect(me.body.organization).to.deep.equal({ id: res.body.id, type: "enterprise", name: body.name, status: "pending" });
      expect(me.body.roles).to.deep.equal(["enterprise_admin"]);
    });

    it("answers 400 INVALID_CREDIT_CODE when the check character is wrong, and writes nothing", async () => {
      const user = await registerUser(api);
      const good = validCreditCode();
      const bad = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
      const res = await api.post("/api/enterprises", enterpriseBody({ creditCode: bad }), { token: user.token });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal("INVALID_CREDIT_CODE");
      expect(await t.db.conn.collection("memberships").countDocuments({ _id: user.id as never })).to.equal(0);
    });

    it("answers 409 CREDIT_CODE_TAKEN and leaves the loser without a membership", async () => {
      const first = await registerUser(api);
      const second = await registerUser(api);
      const body = enterpriseBody();
      expect((await api.post("/api/enterprises", body, { token: first.token })).status).to.equal(201);
      const res = await api.post("/api/enterprises", { ...body, name: "另一家公司" }, { token: second.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("CREDIT_CODE_TAKEN");
      expect((await api.get("/api/me", { token: second.token })).body.organization).to.equal(null);
      expect((await api.post("/api/enterprises", enterpriseBody(), { token: second.token })).status).to.equal(201);
    });

    it("answers 409 ALREADY_MEMBER for a second organization", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const res = await api.post("/api/providers", { name: "第二个机构", kind: "institute", county: "gaotang" }, { token: admin.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("ALREADY_MEMBER");
    });

    it("answers 409 PROVIDER_NAME_TAKEN for the same provider name written differently", async () => {
      const a = await registerUser(api);
      const b = await registerUser(api);
      const name = `聊城大学 分析测试中心 ${a.id.slice(-6)}`;
      expect((await api.post("/api/providers", { name, kind: "university", county: "dongchangfu" }, { token: a.token })).status).to.equal(201);
      const res = await api.post("/api/providers", { name: name.replace(/ /g, "  ").toUpperCase(), kind: "university", county: "dongchangfu" }, { token: b.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("PROVIDER_NAME_TAKEN");
    });
  });

  describe("the bureau's review", () => {
    it("approves into the registry; a second review answers 409 ALREADY_REVIEWED", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const ok = await api.post(`/api/enterprises/${admin.orgId}/review`, { decision: "approve" }, { token: bureau });
      expect(ok.status).to.equal(200);
      expect(ok.body.status).to.equal("approved");
      expect(ok.body.reviewedAt).to.be.a("string");
      const again = await api.post(`/api/enterprises/${admin.orgId}/review`, { decision: "reject", reason: "x" }, { token: bureau });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal("ALREADY_REVIEWED");
      expect((await api.get("/api/me", { token: admin.token })).body.organization.status).to.equal("approved");
    });

    it("requires a reason to reject, and shows it to the applicant", async () => {
      const admin = await orgAdmin(api, "provider");
      const noReason = await api.post(`/api/providers/${admin.orgId}/review`, { decision: "reject" }, { token: bureau });
      expect(noReason.status).to.equal(400);
      expect(noReason.body.error.fields[0].field).to.equal("/body/reason");
      await api.post(`/api/providers/${admin.orgId}/review`, { decision: "reject", reason: "资质材料不全" }, { token: bureau });
      const own = await api.get(`/api/providers/${admin.orgId}`, { token: admin.token });
      expect(own.body).to.include({ status: "rejected", reviewReason: "资质材料不全" });
    });

    it("lists pending registrations for the bureau with filters and pagination", async () => {
      const created = await Promise.all([1, 2, 3].map(() => orgAdmin(api, "enterprise")));
      const res = await api.get("/api/enterprises?status=pending&county=linqing&pageSize=2&page=1", { token: bureau });
      expect(res.status).to.equal(200);
      expect(res.body.items).to.have.length(2);
      expect(res.body.total).to.be.at.least(3);
      const byName = await api.get(`/api/enterprises?q=${encodeURIComponent(created[0]!.orgId!)}`, { token: bureau });
      expect(byName.body.total).to.equal(0); // ids are not searched: names and credit codes are
      const one = (await api.get(`/api/enterprises/${created[1]!.orgId}`, { token: bureau })).body;
      const found = await api.get(`/api/enterprises?q=${encodeURIComponent(one.creditCode)}`, { token: bureau });
      expect(found.body.items.map((x: { id: string }) => x.id)).to.deep.equal([one.id]);
    });
  });

  describe("under concurrency", () => {
    it("100 parallel reviews of one registration: exactly one wins, the rest answer 409, none 5xx", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          api.post(`/api/enterprises/${admin.orgId}/review`, i % 2 ? { decision: "approve" } : { decision: "reject", reason: "r" }, { token: bureau }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(1);
      expect(statuses.filter((s) => s === 409)).to.have.length(99);
      const winner = results.find((r) => r.status === 200)!.body.status;
      expect((await api.get(`/api/enterprises/${admin.orgId}`, { token: bureau })).body.status).to.equal(winner);
      expect(await t.db.conn.collection("events").countDocuments({ aggregateId: admin.orgId })).to.equal(2);
    });

    it("100 users racing for one credit code: one enterprise, 99 × 409, no stray memberships", async () => {
      const users = await Promise.all(Array.from({ length: 100 }, () => registerUser(api)));
      const body = enterpriseBody();
      const results = await Promise.all(users.map((u) => api.post("/api/enterprises", body, { token: u.token })));
      expect(results.filter((r) => r.status === 201)).to.have.length(1);
      expect(results.filter((r) => r.status === 409 && r.body.error.code === "CREDIT_CODE_TAKEN")).to.have.length(99);
      const ids = users.map((u) => u.id);
      expect(await t.db.conn.collection("memberships").countDocuments({ _id: { $in: ids as never[] } })).to.equal(1);
      expect(await t.db.conn.collection("enterprises").countDocuments({ creditCode: body.creditCode })).to.equal(1);
    });

    it("one user registering 50 enterprises at once gets exactly one", async () => {
      const user = await registerUser(api);
      const results = await Promise.all(Array.from({ length: 50 }, () => api.post("/api/enterprises", enterpriseBody(), { token: user.token })));
      expect(results.filter((r) => r.status === 201)).to.have.length(1);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === "ALREADY_MEMBER")).to.equal(true);
      expect(await t.db.conn.collection("enterprises").countDocuments({ createdBy: user.id })).to.equal(1);
    });

    it("an invitation accepted 30 times at once is used exactly once", async () => {
      const admin = await orgAdmin(api, "provider");
      const invitee = await registerUser(api);
      const inv = await api.post("/api/organization/invitations", { email: invitee.email, role: "provider_staff" }, { token: admin.token });
      const results = await Promise.all(Array.from({ length: 30 }, () => api.post(`/api/invitations/${inv.body.token}/accept`, undefined, { token: invitee.token })));
      expect(results.filter((r) => r.status === 200)).to.have.length(1);
      expect(results.filter((r) => r.status === 409)).to.have.length(29);
      const members = await api.get("/api/organization/members", { token: admin.token });
      expect(members.body.items.map((m: { role: string }) => m.role).sort()).to.deep.equal(["provider_admin", "provider_staff"]);
    });
  });

  describe("after a crash in the middle", () => {
    it("a membership whose organization was never written does not block the user and is swept", async () => {
      const user = await registerUser(api);
      const longAgo = new Date(Date.now() - 5 * 60_000);
      await t.db.conn.collection("memberships").insertOne({ _id: user.id as never, orgType: "enterprise", orgId: "ghost", role: "enterprise_admin", joinedAt: longAgo });
      expect((await api.get("/api/me", { token: user.token })).body.organization).to.equal(null);
      expect((await api.post("/api/enterprises", enterpriseBody(), { token: user.token })).status).to.equal(201);

      const other = await registerUser(api);
      await t.db.conn.collection("memberships").insertOne({ _id: other.id as never, orgType: "provider", orgId: "ghost2", role: "provider_admin", joinedAt: longAgo });
      const swept = await t.server.services.accounts.sweep();
      expect(swept.memberships).to.be.at.least(1);
      expect(await t.db.conn.collection("memberships").countDocuments({ _id: other.id as never })).to.equal(0);
    });

    it("a review event written without its projection is applied on the next read", async () => {
      const admin = await orgAdmin(api, "enterprise");
      // The process died after inserting review event #2 and before updating the enterprise document.
      await t.db.conn.collection("events").insertOne({
        _id: eventId(admin.orgId!, 2) as never,
        aggregateId: admin.orgId,
        seq: 2,
        type: "reviewed",
        data: { status: "approved" },
        actorId: "someone",
        at: new Date(),
      });
      const seen = await api.get(`/api/enterprises/${admin.orgId}`, { token: admin.token });
      expect(seen.body.status).to.equal("approved");
      const again = await api.post(`/api/enterprises/${admin.orgId}/review`, { decision: "reject", reason: "x" }, { token: bureau });
      expect(again.status).to.equal(409);
      const doc = await t.db.conn.collection("enterprises").findOne({ _id: admin.orgId as never });
      expect(doc).to.include({ status: "approved", version: 2 });
    });
  });

  describe("the bureau administrator from the environment", () => {
    it("is created once; later starts find it", async () => {
      const email = uniqueEmail("admin");
      expect(await t.server.services.accounts.ensureBureauAdmin(email, "admin-password")).to.equal("created");
      expect(await t.server.services.accounts.ensureBureauAdmin(email, "admin-password")).to.equal("exists");
      const token = await login(api, email, "admin-password");
      expect((await api.get("/api/me", { token })).body.roles).to.deep.equal(["bureau_admin"]);
    });
  });
});

// Invitations expire and can be revoked; an admin removes members (their sessions end and their
// sockets disconnect); the last admin cannot be removed, even by two admins removing each other.
import { expect } from "chai";
import { io as connect, type Socket } from "socket.io-client";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, orgMember, registerUser, type TestUser } from "../factories/accounts";

describe("organization members and invitations", function () {
  let t: TestServer;
  let api: ApiClient;
  const sockets: Socket[] = [];

  before(async () => {
    t = await startTestServer("members");
    api = apiClient(t.baseUrl);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));
  after(() => t.stop());

  async function invite(admin: TestUser, email: string, role = "enterprise_member") {
    const res = await api.post("/api/organization/invitations", { email, role }, { token: admin.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { token: string; expiresAt: string; createdAt: string; state: string };
  }
  const invitationId = async (admin: TestUser, email: string) =>
    (await api.get("/api/organization/invitations", { token: admin.token })).body.items.find((x: { email: string }) => x.email === email).id as string;

  describe("invitations", () => {
    it("expire 7 days after they are made by default; an expired link answers 410 INVITATION_EXPIRED", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const invitee = await registerUser(api);
      const inv = await invite(admin, invitee.email);
      expect(Date.parse(inv.expiresAt) - Date.parse(inv.createdAt)).to.equal(7 * 86_400_000);
      expect(inv.state).to.equal("pending");
      await t.db.conn.collection("invitations").updateMany({ orgId: admin.orgId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await api.get(`/api/invitations/${inv.token}`, { token: invitee.token })).body.state).to.equal("expired");
      const res = await api.post(`/api/invitations/${inv.token}/accept`, undefined, { token: invitee.token });
      expect(res.status).to.equal(410);
      expect(res.body.error.code).to.equal("INVITATION_EXPIRED");
      expect((await api.get("/api/me", { token: invitee.token })).body.organization).to.equal(null);
    });

    it("take their lifetime from INVITATION_DAYS", async () => {
      const short = await startTestServer("members_days", { INVITATION_DAYS: "2" });
      try {
        const sapi = apiClient(short.baseUrl);
        const admin = await orgAdmin(sapi, "provider");
        const res = await sapi.post("/api/organization/invitations", { email: "x@example.test", role: "provider_staff" }, { token: admin.token });
        expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).to.equal(2 * 86_400_000);
      } finally {
        await short.stop();
      }
    });

    it("are listed for the organization's admins with their state, without their tokens", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const a = await registerUser(api);
      const inv = await invite(admin, a.email);
      await api.post(`/api/invitations/${inv.token}/accept`, undefined, { token: a.token });
      await invite(admin, "waiting@example.test");
      const list = await api.get("/api/organization/invitations", { token: admin.token });
      expect(list.status).to.equal(200);
      const states = Object.fromEntries(list.body.items.map((x: { email: string; state: string }) => [x.email, x.state]));
      expect(states).to.deep.equal({ [a.email]: "accepted", "waiting@example.test": "pending" });
      expect(JSON.stringify(list.body)).to.not.include(inv.token);
    });

    it("can be revoked by an admin: the link then answers 410 INVITATION_REVOKED; an accepted one answers 409", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const invitee = await registerUser(api);
      const inv = await invite(admin, invitee.email);
      const id = await invitationId(admin, invitee.email);
      const revoked = await api.call("DELETE", `/api/organization/invitations/${id}`, { token: admin.token });
      expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
      expect(revoked.body.state).to.equal("revoked");
      const res = await api.post(`/api/invitations/${inv.token}/accept`, undefined, { token: invitee.token });
      expect(res.status).to.equal(410);
      expect(res.body.error.code).to.equal("INVITATION_REVOKED");

      const other = await registerUser(api);
      const used = await invite(admin, other.email);
      await api.post(`/api/invitations/${used.token}/accept`, undefined, { token: other.token });
      const late = await api.call("DELETE", `/api/organization/invitations/${await invitationId(admin, other.email)}`, { token: admin.token });
      expect(late.status).to.equal(409);
      expect(late.body.error.code).to.equal("INVITATION_USED");
    });

    it("cannot be revoked from another organization (404)", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const stranger = await orgAdmin(api, "enterprise");
      await invite(admin, "someone@example.test");
      const id = await invitationId(admin, "someone@example.test");
      expect((await api.call("DELETE", `/api/organization/invitations/${id}`, { token: stranger.token })).status).to.equal(404);
    });

    it("an acceptance racing a revocation (20 rounds): exactly one wins, and the member exists only if acceptance won", async () => {
      const admin = await orgAdmin(api, "enterprise");
      for (let i = 0; i < 20; i++) {
        const invitee = await registerUser(api);
        const inv = await invite(admin, invitee.email);
        const id = await invitationId(admin, invitee.email);
        const [acc, rev] = await Promise.all([
          api.post(`/api/invitations/${inv.token}/accept`, undefined, { token: invitee.token }),
          api.call("DELETE", `/api/organization/invitations/${id}`, { token: admin.token }),
        ]);
        expect([acc.status, rev.status].filter((s) => s === 200)).to.have.length(1);
        const me = await api.get("/api/me", { token: invitee.token });
        expect(me.body.organization?.id ?? null).to.equal(acc.status === 200 ? admin.orgId : null);
      }
    });
  });

  describe("removing members", () => {
    function socketOf(token: string): Promise<Socket> {
      const s = connect(t.baseUrl, { transports: ["websocket"], reconnection: false, auth: { token } });
      sockets.push(s);
      return new Promise((resolve, reject) => {
        s.once("connect", () => resolve(s));
        s.once("connect_error", reject);
      });
    }

    it("removes the member: every session of theirs ends and their sockets are disconnected", async () => {
      const admin = await orgAdmin(api, "provider");
      const staff = await orgMember(api, admin, "provider_staff");
      const second = await login(api, staff.email, staff.password);
      const [s1, s2] = await Promise.all([socketOf(staff.token), socketOf(second)]);
      const adminSocket = await socketOf(admin.token);
      const closed = Promise.all([s1, s2].map((s) => new Promise<string>((resolve) => s.once("disconnect", resolve))));
      const res = await api.call("DELETE", `/api/organization/members/${staff.id}`, { token: admin.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(await closed).to.deep.equal(["io server disconnect", "io server disconnect"]);
      for (const token of [staff.token, second]) expect((await api.get("/api/me", { token })).status).to.equal(401);
      const again = await login(api, staff.email, staff.password);
      expect((await api.get("/api/me", { token: again })).body.organization).to.equal(null);
      const members = await api.get("/api/organization/members", { token: admin.token });
      expect(members.body.items.map((m: { userId: string }) => m.userId)).to.deep.equal([admin.id]);
      expect(adminSocket.connected).to.equal(true);
    });

    it("refuses to remove the last admin (409 LAST_ADMIN), but removes an admin who has a co-admin", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const res = await api.call("DELETE", `/api/organization/members/${admin.id}`, { token: admin.token });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal("LAST_ADMIN");
      const co = await orgMember(api, admin, "enterprise_admin");
      expect((await api.call("DELETE", `/api/organization/members/${admin.id}`, { token: co.token })).status).to.equal(200);
    });

    it("answers 404 for someone outside the organization, and 403 to a non-admin member", async () => {
      const admin = await orgAdmin(api, "enterprise");
      const member = await orgMember(api, admin, "enterprise_member");
      const outsider = await orgAdmin(api, "enterprise");
      expect((await api.call("DELETE", `/api/organization/members/${outsider.id}`, { token: admin.token })).status).to.equal(404);
      expect((await api.call("DELETE", `/api/organization/members/${admin.id}`, { token: member.token })).status).to.equal(403);
    });

    it("two admins removing each other at once (10 rounds): one removal wins, the organization keeps an admin", async () => {
      for (let i = 0; i < 10; i++) {
        const a = await orgAdmin(api, "enterprise");
        const b = await orgMember(api, a, "enterprise_admin");
        const [ra, rb] = await Promise.all([
          api.call("DELETE", `/api/organization/members/${b.id}`, { token: a.token }),
          api.call("DELETE", `/api/organization/members/${a.id}`, { token: b.token }),
        ]);
        expect([ra.status, rb.status].filter((s) => s === 200), JSON.stringify([ra.body, rb.body])).to.have.length(1);
        const admins = await t.db.conn.collection("memberships").countDocuments({ orgId: a.orgId, role: "enterprise_admin" });
        expect(admins).to.equal(1);
      }
    });
  });
});

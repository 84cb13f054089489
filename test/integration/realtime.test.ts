// Socket.IO over the real server: authentication with the session token, rooms per organization,
// and domain events arriving as validated payloads.
import { expect } from "chai";
import { io as connect, type Socket } from "socket.io-client";
import type { ServerToClientEvents } from "../../shared/events";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, registerUser } from "../factories/accounts";

type ClientSocket = Socket<ServerToClientEvents>;

describe("realtime (Socket.IO)", () => {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  const open: ClientSocket[] = [];

  function socket(opts: { token?: string; cookie?: string } = {}): ClientSocket {
    const s: ClientSocket = connect(t.baseUrl, {
      transports: ["websocket"],
      reconnection: false,
      auth: opts.token ? { token: opts.token } : {},
      extraHeaders: opts.cookie ? { cookie: opts.cookie } : {},
    });
    open.push(s);
    return s;
  }

  const connected = (s: ClientSocket) =>
    new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", reject);
    });

  const refused = (s: ClientSocket) =>
    new Promise<Error & { data?: { code?: string } }>((resolve, reject) => {
      s.once("connect", () => reject(new Error("connected without a valid token")));
      s.once("connect_error", resolve);
    });

  /** Resolves with the next event, or with null if none arrives within `ms`. */
  const next = <K extends keyof ServerToClientEvents>(s: ClientSocket, name: K, ms = 2000) =>
    new Promise<Parameters<ServerToClientEvents[K]>[0] | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ms);
      (s.once as (n: string, f: (p: never) => void) => void)(name, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });

  before(async () => {
    t = await startTestServer("realtime");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
  });
  afterEach(() => open.splice(0).forEach((s) => s.disconnect()));
  after(() => t.stop());

  it("refuses a connection without a token, or with a wrong one", async () => {
    const none = await refused(socket());
    expect(none.message).to.equal("UNAUTHENTICATED");
    expect(none.data?.code).to.equal("UNAUTHENTICATED");
    expect((await refused(socket({ token: "not-a-real-token-at-all" }))).message).to.equal("UNAUTHENTICATED");
  });

  it("accepts the session token in the handshake or as the session cookie", async () => {
    const user = await registerUser(api);
    await connected(socket({ token: user.token }));
    await connected(socket({ cookie: `labshare_session=${user.token}` }));
  });

  it("tells an organization's members, and no one else, that the bureau reviewed it", async () => {
    const a = await orgAdmin(api, "enterprise");
    const b = await orgAdmin(api, "enterprise");
    const sa = socket({ token: a.token });
    const sb = socket({ token: b.token });
    await Promise.all([connected(sa), connected(sb)]);
    const gotA = next(sa, "organization:reviewed");
    const gotB = next(sb, "organization:reviewed", 500);
    await api.post(`/api/enterprises/${a.orgId}/review`, { decision: "approve" }, { token: bureau });
    expect(await gotA).to.deep.equal({ organizationId: a.orgId, type: "enterprise", status: "approved" });
    expect(await gotB).to.equal(null);
  });

  it("a user who joins an organization while connected receives its events from then on", async () => {
    const admin = await orgAdmin(api, "provider");
    const staff = await registerUser(api);
    const s = socket({ token: staff.token });
    await connected(s);
    const inv = await api.post("/api/organization/invitations", { email: staff.email, role: "provider_staff" }, { token: admin.token });
    await api.post(`/api/invitations/${inv.body.token}/accept`, undefined, { token: staff.token });
    const got = next(s, "organization:reviewed");
    await api.post(`/api/providers/${admin.orgId}/review`, { decision: "reject", reason: "材料不全" }, { token: bureau });
    expect(await got).to.deep.include({ organizationId: admin.orgId, status: "rejected" });
  });
});

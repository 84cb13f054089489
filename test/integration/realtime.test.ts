// Socket.IO over the real server: authentication with the session token, rooms per organization,
// instrument subscriptions, and domain events arriving as validated payloads in the right rooms.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { DateTime } from "luxon";
import { io as connect, type Socket } from "socket.io-client";
import type { Ack, BookingChanged, ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import { MAX_SUBSCRIPTIONS } from "../../server/realtime/subscriptions";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckAnswer = Parameters<Ack>[0];

/** An instrument open around the clock in UTC, one-hour slots, so any future whole hour is bookable. */
function alwaysOpenInstrument(overrides: Record<string, unknown> = {}) {
  return {
    name: `扫描电子显微镜 ${randomBytes(3).toString("hex")}`,
    category: "analytical",
    priceFen: 50000,
    priceUnit: "hour",
    timezone: "UTC",
    slotMinutes: 60,
    openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
    originalValueFen: 300_000_000,
    ...overrides,
  };
}

describe("realtime (Socket.IO)", () => {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  const open: ClientSocket[] = [];

  function socket(opts: { token?: string; cookie?: string; locale?: string; acceptLanguage?: string } = {}): ClientSocket {
    const s: ClientSocket = connect(t.baseUrl, {
      transports: ["websocket"],
      reconnection: false,
      auth: { ...(opts.token ? { token: opts.token } : {}), ...(opts.locale ? { locale: opts.locale } : {}) },
      extraHeaders: {
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...(opts.acceptLanguage ? { "accept-language": opts.acceptLanguage } : {}),
      },
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

  it("disconnects the sockets of a session when it logs out, and only those", async () => {
    const user = await registerUser(api);
    const other = await login(api, user.email, user.password); // a second session of the same user
    const ending = socket({ token: user.token });
    const staying = socket({ token: other });
    await Promise.all([connected(ending), connected(staying)]);
    const closed = new Promise<string>((resolve) => ending.once("disconnect", resolve));
    expect((await api.post("/api/auth/logout", undefined, { token: user.token })).status).to.equal(200);
    expect(await closed).to.equal("io server disconnect");
    await new Promise((r) => setTimeout(r, 200));
    expect(staying.connected).to.equal(true);
    expect((await refused(socket({ token: user.token }))).message).to.equal("UNAUTHENTICATED");
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

  describe("instrument subscriptions", () => {
    let provider: TestUser;
    let user: TestUser;
    let instrumentId: string;

    const publish = async (overrides: Record<string, unknown> = {}) => {
      const res = await api.post("/api/instruments", alwaysOpenInstrument(overrides), { token: provider.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body.id as string;
    };

    /** Emits a client event and resolves with its acknowledgement. */
    const ask = (s: ClientSocket, name: keyof ClientToServerEvents, payload: unknown) =>
      s.timeout(5000).emitWithAck(name, payload as never) as Promise<AckAnswer>;

    const connectedAs = async (who: { token: string }, opts: { locale?: string; acceptLanguage?: string } = {}) => {
      const s = socket({ token: who.token, ...opts });
      await connected(s);
      return s;
    };

    before(async () => {
      provider = await orgAdmin(api, "provider", bureau);
      user = await registerUser(api);
      instrumentId = await publish();
    });

    it("acknowledges a subscription to an existing instrument, for any signed-in user", async () => {
      const s = await connectedAs(user);
      expect(await ask(s, "subscribe", { instrumentId })).to.deep.equal({ ok: true });
      expect(await ask(s, "subscribe", { instrumentId }), "again: idempotent").to.deep.equal({ ok: true });
      expect(await ask(s, "unsubscribe", { instrumentId })).to.deep.equal({ ok: true });
      expect(await ask(s, "unsubscribe", { instrumentId }), "again: idempotent").to.deep.equal({ ok: true });
    });

    it("answers VALIDATION_FAILED, in the socket's language, for a payload that does not match the schema", async () => {
      const en = await connectedAs(user, { locale: "en" });
      const zh = await connectedAs(user);
      for (const payload of [{}, { instrumentId: 7 }, { instrumentId: "a/b" }, { instrumentId, extra: true }, "x", null]) {
        const answer = await ask(en, "subscribe", payload);
        expect(answer, JSON.stringify(payload)).to.deep.include({ ok: false });
        expect((answer as { error: object }).error).to.deep.include({ code: "VALIDATION_FAILED", message: "The request is invalid" });
      }
      const answer = (await ask(zh, "unsubscribe", { instrumentId: "" })) as { ok: false; error: { code: string; message: string; fields: { field: string }[] } };
      expect(answer.error).to.deep.include({ code: "VALIDATION_FAILED", message: "请求数据不合法" });
      expect(answer.error.fields.map((f) => f.field)).to.include("/payload/instrumentId");
    });

    it("answers NOT_FOUND for an unknown instrument, in the language of Accept-Language", async () => {
      const en = await connectedAs(user, { acceptLanguage: "en-US,en;q=0.9" });
      expect(await ask(en, "subscribe", { instrumentId: "no-such-instrument" })).to.deep.equal({
        ok: false,
        error: { code: "NOT_FOUND", message: "Not found" },
      });
      const zh = await connectedAs(user, { acceptLanguage: "zh-CN" });
      expect(await ask(zh, "subscribe", { instrumentId: "no-such-instrument" })).to.deep.equal({
        ok: false,
        error: { code: "NOT_FOUND", message: "未找到请求的资源" },
      });
    });

    it("survives events without an acknowledgement callback, and bad ones", async () => {
      const s = await connectedAs(user);
      (s.emit as (name: string, ...args: unknown[]) => void)("subscribe", { instrumentId: 42 });
      (s.emit as (name: string, ...args: unknown[]) => void)("subscribe", { instrumentId }, "not a function");
      (s.emit as (name: string, ...args: unknown[]) => void)("no-such-event", { instrumentId });
      expect(await ask(s, "subscribe", { instrumentId })).to.deep.equal({ ok: true });
      expect(s.connected).to.equal(true);
    });

    it(`caps one connection at ${MAX_SUBSCRIPTIONS} instruments with TOO_MANY_SUBSCRIPTIONS`, async function () {
      this.timeout(60_000);
      const ids = [instrumentId];
      while (ids.length <= MAX_SUBSCRIPTIONS) ids.push(...(await Promise.all(Array.from({ length: 10 }, () => publish()))));
      const s = await connectedAs(user, { locale: "en" });
      const answers = await Promise.all(ids.slice(0, MAX_SUBSCRIPTIONS + 1).map((id) => ask(s, "subscribe", { instrumentId: id })));
      const refused = answers.filter((a) => !a.ok);
      expect(answers.filter((a) => a.ok)).to.have.length(MAX_SUBSCRIPTIONS);
      expect(refused).to.deep.equal([
        { ok: false, error: { code: "TOO_MANY_SUBSCRIPTIONS", message: `Too many instrument subscriptions (at most ${MAX_SUBSCRIPTIONS} per connection)` } },
      ]);
      // Leaving one makes room again.
      const joined = ids.filter((_, i) => answers[i]!.ok);
      const left = ids.slice(0, MAX_SUBSCRIPTIONS + 1).find((_, i) => !answers[i]!.ok)!;
      expect(await ask(s, "unsubscribe", { instrumentId: joined[0] })).to.deep.equal({ ok: true });
      expect(await ask(s, "subscribe", { instrumentId: left })).to.deep.equal({ ok: true });
    });

    it("delivers availability:changed to that instrument's subscribers only, until they unsubscribe", async () => {
      const other = await publish();
      const [watching, elsewhere, idle] = await Promise.all([connectedAs(user), connectedAs(user), connectedAs(provider)]);
      expect(await ask(watching, "subscribe", { instrumentId })).to.deep.equal({ ok: true });
      expect(await ask(elsewhere, "subscribe", { instrumentId: other })).to.deep.equal({ ok: true });
      const change = { instrumentId, changes: [{ start: "2031-03-03T02:00:00.000Z", end: "2031-03-03T03:00:00.000Z", free: 0 }] };

      const got = next(watching, "availability:changed");
      const notElsewhere = next(elsewhere, "availability:changed", 500);
      const notIdle = next(idle, "availability:changed", 500);
      t.server.services.bus.emit("availability.changed", change);
      expect(await got).to.deep.equal(change);
      expect(await notElsewhere).to.equal(null);
      expect(await notIdle).to.equal(null);

      expect(await ask(watching, "unsubscribe", { instrumentId })).to.deep.equal({ ok: true });
      const after = next(watching, "availability:changed", 500);
      t.server.services.bus.emit("availability.changed", change);
      expect(await after).to.equal(null);
    });
  });

  describe("maintenance windows", () => {
    it("a blackout tells the instrument's subscribers that its slots closed", async () => {
      const provider = await orgAdmin(api, "provider", bureau);
      const res = await api.post("/api/instruments", alwaysOpenInstrument(), { token: provider.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const s = socket({ token: (await registerUser(api)).token });
      await connected(s);
      expect(await s.timeout(5000).emitWithAck("subscribe", { instrumentId: res.body.id })).to.deep.equal({ ok: true });
      const start = DateTime.utc().plus({ days: 4 }).startOf("day").set({ hour: 9 });
      const got = next(s, "availability:changed", 5000);
      const blackout = await api.post(
        `/api/instruments/${res.body.id}/blackouts`,
        { start: start.toISO(), end: start.plus({ hours: 2 }).toISO(), reason: "年度校准" },
        { token: provider.token },
      );
      expect(blackout.status, JSON.stringify(blackout.body)).to.equal(201);
      const change = await got;
      expect(change?.instrumentId).to.equal(res.body.id);
      const closed = change!.changes.filter((c) => Date.parse(c.start) >= start.toMillis() && Date.parse(c.end) <= start.plus({ hours: 2 }).toMillis());
      expect(closed.map((c) => c.free), JSON.stringify(change)).to.deep.equal([0, 0]);
    });
  });

  describe("booking events", () => {
    it("go to the booker's enterprise, each provider involved and the bureau — no one else", async () => {
      const [enterprise, otherEnterprise, providerA, providerB, uninvolved] = await Promise.all([
        orgAdmin(api, "enterprise", bureau),
        orgAdmin(api, "enterprise", bureau),
        orgAdmin(api, "provider", bureau),
        orgAdmin(api, "provider", bureau),
        orgAdmin(api, "provider", bureau),
      ]);
      const listeners = {
        enterprise: socket({ token: enterprise.token }),
        providerA: socket({ token: providerA.token }),
        providerB: socket({ token: providerB.token }),
        bureau: socket({ token: bureau }),
        otherEnterprise: socket({ token: otherEnterprise.token }),
        uninvolved: socket({ token: uninvolved.token }),
      };
      await Promise.all(Object.values(listeners).map(connected));
      const booking: BookingChanged = {
        bookingId: `b-${randomBytes(4).toString("hex")}`,
        status: "pending",
        enterpriseId: enterprise.orgId!,
        providerIds: [providerA.orgId!, providerB.orgId!],
        instrumentIds: ["i-1", "i-2"],
      };
      for (const [domain, event] of [["booking.created", "booking:created"], ["booking.updated", "booking:updated"]] as const) {
        const arrivals = Object.fromEntries(Object.entries(listeners).map(([who, s]) => [who, next(s, event, 1000)]));
        t.server.services.bus.emit(domain, booking);
        const got = Object.fromEntries(await Promise.all(Object.entries(arrivals).map(async ([who, p]) => [who, await p])));
        expect(got, event).to.deep.equal({
          enterprise: booking,
          providerA: booking,
          providerB: booking,
          bureau: booking,
          otherEnterprise: null,
          uninvolved: null,
        });
      }
    });

    it("leave only the properties the shared schema names, and a payload that breaks it is not sent", async () => {
      const enterprise = await orgAdmin(api, "enterprise", bureau);
      const s = socket({ token: enterprise.token });
      await connected(s);
      const booking: BookingChanged = { bookingId: "b-1", status: "confirmed", enterpriseId: enterprise.orgId!, providerIds: [], instrumentIds: [] };
      const got = next(s, "booking:updated");
      t.server.services.bus.emit("booking.updated", { ...booking, internalNote: "not for the wire" } as BookingChanged);
      expect(await got).to.deep.equal(booking);
      const broken = next(s, "booking:updated", 500);
      t.server.services.bus.emit("booking.updated", { ...booking, status: "no-such-status" } as unknown as BookingChanged);
      expect(await broken).to.equal(null);
    });
  });

  // End to end through the booking API (server/modules/scheduling).
  describe("bookings through the API", () => {
    let enterprise: TestUser;
    let provider: TestUser;
    let instrumentId: string;

    before(async () => {
      [enterprise, provider] = await Promise.all([orgAdmin(api, "enterprise", bureau), orgAdmin(api, "provider", bureau)]);
      const res = await api.post("/api/instruments", alwaysOpenInstrument(), { token: provider.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      instrumentId = res.body.id;
    });

    it("a booking tells its instrument's subscribers the slot's new free count, and its parties that it exists", async () => {
      const start = DateTime.utc().plus({ days: 3 }).startOf("hour").set({ hour: 10 });
      const end = start.plus({ hours: 1 });
      const watcher = await registerUser(api);
      const [w, e, p, b] = [socket({ token: watcher.token }), socket({ token: enterprise.token }), socket({ token: provider.token }), socket({ token: bureau })];
      await Promise.all([w, e, p, b].map(connected));
      expect(await w.timeout(5000).emitWithAck("subscribe", { instrumentId })).to.deep.equal({ ok: true });

      const changed = next(w, "availability:changed", 5000);
      const created = [e, p, b].map((s) => next(s, "booking:created", 5000));
      const notWatcher = next(w, "booking:created", 1000);
      const res = await api.post("/api/bookings", { instrumentId, start: start.toISO(), end: end.toISO() }, { token: enterprise.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);

      const availability = await changed;
      expect(availability?.instrumentId).to.equal(instrumentId);
      const slot = availability!.changes.find((c) => Date.parse(c.start) === start.toMillis());
      expect(slot, JSON.stringify(availability)).to.deep.include({ free: 0 });
      for (const got of await Promise.all(created)) {
        expect(got).to.deep.include({ bookingId: res.body.id, enterpriseId: enterprise.orgId, status: res.body.status });
        expect(got!.providerIds).to.deep.equal([provider.orgId]);
      }
      expect(await notWatcher).to.equal(null);

      const updated = [e, p, b].map((s) => next(s, "booking:updated", 5000));
      const freed = next(w, "availability:changed", 5000);
      const cancel = await api.post(`/api/bookings/${res.body.id}/cancel`, { reason: "计划变更" }, { token: enterprise.token });
      expect(cancel.status, JSON.stringify(cancel.body)).to.equal(200);
      for (const got of await Promise.all(updated)) expect(got).to.deep.include({ bookingId: res.body.id, status: "cancelled" });
      const again = await freed;
      expect(again!.changes.find((c) => Date.parse(c.start) === start.toMillis())).to.deep.include({ free: 1 });
    });
  });
});

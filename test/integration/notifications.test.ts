// The notification centre (issue 11) over the real server, database and sockets: who is told
// what, once per event whatever replays or races; the list, the unread count and marking read;
// and a failing notification write never touching the booking request.
import { expect } from "chai";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/events";
import type { Notification } from "../../shared/schemas/notifications";
import { notificationModels } from "../../server/modules/notifications/model";
import { NotificationsService } from "../../server/modules/notifications/service";
import { NotificationFollower } from "../../server/modules/notifications/follow";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { publishInstrument } from "../factories/catalog";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const HOUR = 3_600_000;
const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));

describe("the notification centre", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let staff: TestUser;
  let ent: TestUser;
  let entMember: TestUser;
  let instrumentId: string;
  let nextHour = 0;
  const sockets: ClientSocket[] = [];
  const follower = () => t.server.services.notificationFollower;
  const as = (u: TestUser) => ({ token: u.token });

  /** A one-hour slot nobody has booked yet, a few hours from now (the instrument is open around the clock, UTC). */
  function freshSlot() {
    const start = Math.ceil(Date.now() / HOUR) * HOUR + (3 + nextHour++) * HOUR;
    return { instrumentId, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() };
  }

  async function book(who: TestUser = ent): Promise<{ id: string; holdExpiresAt?: string }> {
    const res = await api.post("/api/bookings", freshSlot(), as(who));
    expectStatus(res, 201);
    return res.body;
  }

  /** The user's notifications (newest first) once every write under way has landed. */
  async function inbox(who: TestUser, query = "limit=50"): Promise<Notification[]> {
    await follower().idle();
    const res = await api.get(`/api/notifications?${query}`, as(who));
    expectStatus(res, 200);
    return res.body.items;
  }
  const about = async (who: TestUser, bookingId: string) => (await inbox(who)).filter((n) => n.bookingId === bookingId);
  const kindsAbout = async (who: TestUser, bookingId: string) => (await about(who, bookingId)).map((n) => n.kind);

  async function unread(who: TestUser): Promise<number> {
    await follower().idle();
    const res = await api.get("/api/notifications/unread-count", as(who));
    expectStatus(res, 200);
    return res.body.unread;
  }

  before(async () => {
    t = await startTestServer("notifications");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
    [staff, entMember] = await Promise.all([orgMember(api, provider, "provider_staff"), orgMember(api, ent, "enterprise_member")]);
    instrumentId = (await publishInstrument(api, provider, { timezone: "UTC", slotMinutes: 60, openHours: allDay, rules: { maxDurationMinutes: 60 } })).id;
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));
  after(() => t.stop());

  describe("who is told what", () => {
    it("tells every member of the provider about a new request, live on their own socket, and not the booker", async () => {
      const s = connect(t.baseUrl, { transports: ["websocket"], reconnection: false, auth: { token: staff.token } }) as ClientSocket;
      sockets.push(s);
      await new Promise<void>((resolve, reject) => s.once("connect", resolve).once("connect_error", reject));
      const live = new Promise<Notification>((resolve) => s.on("notification:new", (n) => n.kind === "booking_requested" && resolve(n)));
      const b = await book();
      const pushed = await live;
      expect(pushed).to.include({ kind: "booking_requested", bookingId: b.id, bookingStatus: "pending", read: false });
      expect(pushed.id).to.match(new RegExp(`^${staff.id}:\\d+$`));
      expect(pushed).to.not.have.property("userId");
      expect((await about(staff, b.id))[0]).to.deep.equal(pushed);
      expect(await kindsAbout(provider, b.id)).to.deep.equal(["booking_requested"]);
      expect(await kindsAbout(ent, b.id)).to.deep.equal([]);
      expect(await kindsAbout(entMember, b.id)).to.deep.equal([]);
    });

    it("tells the booker when the provider confirms or rejects, and not the provider who acted", async () => {
      const [a, b] = [await book(entMember), await book(entMember)];
      expectStatus(await api.post(`/api/bookings/${a.id}/confirm`, {}, as(staff)), 200);
      expectStatus(await api.post(`/api/bookings/${b.id}/reject`, { reason: "设备临时维护" }, as(provider)), 200);
      expect(await kindsAbout(entMember, a.id)).to.deep.equal(["booking_confirmed"]);
      expect(await kindsAbout(entMember, b.id)).to.deep.equal(["booking_rejected"]);
      expect(await kindsAbout(ent, a.id)).to.deep.equal([]); // the other member did not book it
      expect(await kindsAbout(staff, a.id)).to.deep.equal(["booking_requested"]);
    });

    it("tells the provider's members when the enterprise cancels, and the booker when the provider cancels", async () => {
      const [a, b] = [await book(), await book()];
      expectStatus(await api.post(`/api/bookings/${a.id}/cancel`, { reason: "样品未备齐" }, as(ent)), 200);
      expectStatus(await api.post(`/api/bookings/${b.id}/cancel`, { reason: "设备故障" }, as(provider)), 200);
      expect(await kindsAbout(provider, a.id)).to.deep.equal(["booking_cancelled", "booking_requested"]);
      expect(await kindsAbout(staff, a.id)).to.deep.equal(["booking_cancelled", "booking_requested"]);
      expect(await kindsAbout(ent, a.id)).to.deep.equal([]); // the booker cancelled it
      expect(await kindsAbout(ent, b.id)).to.deep.equal(["booking_cancelled"]);
      expect(await kindsAbout(staff, b.id)).to.deep.equal(["booking_requested"]); // their own admin cancelled it
    });

    it("reminds the booker once of a pending request that lapses within 12 hours, and not of one lapsing later", async () => {
      const b = await book();
      const lapses = Date.parse(b.holdExpiresAt!);
      await follower().remindLapsing(lapses - 13 * HOUR);
      expect(await kindsAbout(ent, b.id)).to.deep.equal([]);
      expect(await follower().remindLapsing(lapses - 11 * HOUR)).to.be.at.least(1);
      await follower().remindLapsing(lapses - 11 * HOUR);
      await follower().remindLapsing(lapses - 1 * HOUR);
      const told = await about(ent, b.id);
      expect(told.map((n) => n.kind)).to.deep.equal(["booking_expiring"]);
      expect(told[0]!.expiresAt).to.equal(new Date(lapses).toISOString());
    });

    it("tells the applicant that the bureau reviewed the registration", async () => {
      const applicant = await orgAdmin(api, "enterprise");
      expect(await unread(applicant)).to.equal(0);
      expectStatus(await api.post(`/api/enterprises/${applicant.orgId}/review`, { decision: "reject", reason: "营业执照不清晰" }, { token: bureau }), 200);
      const [n] = await inbox(applicant);
      expect(n).to.include({ kind: "registration_reviewed", organizationId: applicant.orgId, decision: "rejected", read: false });
      expect(await unread(applicant)).to.equal(1);
    });
  });

  describe("exactly once", () => {
    it("writes one 'requested' per provider member per booking for 100 parallel bookings, numbered without gaps", async function () {
      this.timeout(300_000);
      const p = await orgAdmin(api, "provider", bureau);
      const s = await orgMember(api, p, "provider_staff");
      const inst = (await publishInstrument(api, p, { timezone: "UTC", slotMinutes: 60, openHours: allDay, rules: { maxDurationMinutes: 60 } })).id;
      const base = Math.ceil(Date.now() / HOUR) * HOUR + 4 * HOUR;
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          api.post("/api/bookings", { instrumentId: inst, start: new Date(base + i * HOUR).toISOString(), end: new Date(base + (i + 1) * HOUR).toISOString() }, as(i % 2 ? ent : entMember)),
        ),
      );
      const ids = results.map((r) => (expectStatus(r, 201), r.body.id as string));
      await follower().idle();
      for (const member of [p, s]) {
        const requested: Notification[] = [];
        let before = "";
        for (;;) {
          const res = await api.get(`/api/notifications?limit=50${before}`, as(member));
          expectStatus(res, 200);
          requested.push(...res.body.items.filter((n: Notification) => n.kind === "booking_requested"));
          if (!res.body.nextBefore) break;
          before = `&before=${res.body.nextBefore}`;
        }
        expect(requested.map((n) => n.bookingId).sort()).to.deep.equal([...ids].sort());
        const seqs = requested.map((n) => n.seq).sort((a, b) => a - b);
        expect(seqs[seqs.length - 1]! - seqs[0]! + 1, "consecutive numbers").to.equal(100);
      }
    });

    it("adds nothing when an event is replayed, or followed by a second process at the same time", async () => {
      const b = await book();
      await follower().idle();
      const payload = { bookingId: b.id, status: "pending" as const, enterpriseId: ent.orgId!, providerIds: [provider.orgId!], instrumentIds: [instrumentId] };
      // A second process: its own service and follower over the same database, with a cold head cache.
      const services = t.server.services;
      const other = new NotificationsService(notificationModels(t.db.conn), services.bus);
      const otherFollower = new NotificationFollower(other, {
        bus: services.bus,
        bookings: services.scheduling,
        memberIds: (orgId) => services.members.memberIds(orgId),
        reviewRound: async () => 1,
      });
      try {
        services.bus.emit("booking.created", payload); // both followers hear it again
        await Promise.all([...Array.from({ length: 10 }, () => follower().bookingCreated(payload)), otherFollower.bookingCreated(payload), otherFollower.idle()]);
      } finally {
        otherFollower.detach();
      }
      expect(await kindsAbout(provider, b.id)).to.deep.equal(["booking_requested"]);
      expect(await kindsAbout(staff, b.id)).to.deep.equal(["booking_requested"]);
    });

    it("answers the booking 201 when writing its notifications fails, and reports the failure", async () => {
      const service = t.server.services.notifications;
      const deliver = service.deliver.bind(service);
      const original = follower().reportFailure;
      const reported: string[] = [];
      service.deliver = () => Promise.reject(new Error("database gone"));
      follower().reportFailure = (step, subject) => reported.push(`${step} ${subject}`);
      try {
        const b = await book();
        await follower().idle();
        expect(reported).to.deep.equal([`booking.created ${b.id}`]);
        expectStatus(await api.get(`/api/bookings/${b.id}`, as(ent)), 200);
      } finally {
        service.deliver = deliver;
        follower().reportFailure = original;
      }
    });
  });

  describe("reading and marking", () => {
    it("pages newest first, filters unread, marks one or all read and counts the unread", async () => {
      const p = await orgAdmin(api, "provider", bureau); // told: registration approved (1)
      const inst = (await publishInstrument(api, p, { timezone: "UTC", slotMinutes: 60, openHours: allDay })).id;
      const base = Math.ceil(Date.now() / HOUR) * HOUR + 200 * HOUR;
      for (let i = 0; i < 4; i++) {
        expectStatus(await api.post("/api/bookings", { instrumentId: inst, start: new Date(base + i * HOUR).toISOString(), end: new Date(base + (i + 1) * HOUR).toISOString() }, as(ent)), 201);
      }
      const all = await inbox(p);
      expect(all.map((n) => n.seq)).to.deep.equal([5, 4, 3, 2, 1]);
      expect(all.map((n) => n.kind)).to.deep.equal(["booking_requested", "booking_requested", "booking_requested", "booking_requested", "registration_reviewed"]);
      expect(await unread(p)).to.equal(5);

      const page1 = await api.get("/api/notifications?limit=2", as(p));
      expect(page1.body.items.map((n: Notification) => n.seq)).to.deep.equal([5, 4]);
      expect(page1.body.nextBefore).to.equal(4);
      const page3 = await api.get("/api/notifications?limit=2&before=2", as(p));
      expect(page3.body.items.map((n: Notification) => n.seq)).to.deep.equal([1]);
      expect(page3.body).to.not.have.property("nextBefore");

      const read = await api.post(`/api/notifications/${all[1]!.id}/read`, undefined, as(p));
      expectStatus(read, 200);
      expect(read.body).to.include({ id: all[1]!.id, read: true });
      expectStatus(await api.post(`/api/notifications/${all[1]!.id}/read`, undefined, as(p)), 200); // again: still read
      expect(await unread(p)).to.equal(4);
      expect((await inbox(p, "unread=true")).map((n) => n.seq)).to.deep.equal([5, 3, 2, 1]);

      const after = await api.post("/api/notifications/read-all", undefined, as(p));
      expectStatus(after, 200);
      expect(after.body).to.deep.equal({ unread: 0, latestSeq: 5 });
      expect(await inbox(p, "unread=true")).to.deep.equal([]);
      expect((await inbox(p)).every((n) => n.read)).to.equal(true);

      // A later notification is unread again.
      expectStatus(await api.post("/api/bookings", { instrumentId: inst, start: new Date(base + 10 * HOUR).toISOString(), end: new Date(base + 11 * HOUR).toISOString() }, as(ent)), 201);
      expect(await unread(p)).to.equal(1);
      expect((await inbox(p, "unread=true")).map((n) => n.seq)).to.deep.equal([6]);
    });

    it("answers 404 for someone else's notification or one that does not exist, and leaves it unread", async () => {
      const b = await book();
      const [theirs] = await about(staff, b.id);
      expectStatus(await api.post(`/api/notifications/${theirs!.id}/read`, undefined, as(ent)), 404, "NOT_FOUND");
      expectStatus(await api.post(`/api/notifications/${staff.id}:999999/read`, undefined, as(staff)), 404, "NOT_FOUND");
      expect((await about(staff, b.id))[0]!.read).to.equal(false);
    });

    it("answers 400 VALIDATION_FAILED for a bad limit, cursor, filter or id", async () => {
      for (const query of ["limit=0", "limit=51", "limit=abc", "before=0", "before=-3", "before=1.5", "unread=maybe", "page=2"]) {
        expectStatus(await api.get(`/api/notifications?${query}`, as(ent)), 400, "VALIDATION_FAILED");
      }
      for (const id of ["nope", `${ent.id}:0`, `${ent.id}:x`, `${ent.id}:1:2`, "a".repeat(90) + ":1"]) {
        expectStatus(await api.post(`/api/notifications/${encodeURIComponent(id)}/read`, undefined, as(ent)), 400, "VALIDATION_FAILED");
      }
    });

    it("answers 401 without a session", async () => {
      expectStatus(await api.get("/api/notifications"), 401, "UNAUTHENTICATED");
      expectStatus(await api.get("/api/notifications/unread-count"), 401, "UNAUTHENTICATED");
    });
  });
});

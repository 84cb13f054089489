// The commit point of a booking: once its event 1 ("created") is written the booking exists. A step
// after it that fails (projection write, bus emit, availability announce) is healed later; it must
// not release the claims nor forget the Idempotency-Key. Faults are injected by replacing one step
// on the real service object; the database is real.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import type { SchedulingService } from "../../server/modules/scheduling/service";

type Step = "saveProjection" | "emitBooking" | "announceClaimed";

describe("a booking whose step after event 1 fails", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  let day = 3;
  const scheduling = (): SchedulingService => t.server.services.scheduling;
  const claims = () => t.db.conn.collection("slot_claims");
  const bookings = () => t.db.conn.collection("bookings");
  const events = () => t.db.conn.collection("events");

  /** Makes `step` throw on its next call only, on the real service object; returns the failures reported. */
  function failOnce(step: Step): { reported: string[] } {
    const svc = scheduling() as unknown as Record<Step, (...args: unknown[]) => unknown>;
    const reported: string[] = [];
    let armed = true;
    const real = svc[step];
    svc[step] = function (this: unknown, ...args: unknown[]) {
      if (armed) {
        armed = false;
        throw new Error(`injected failure in ${step}`);
      }
      return real.apply(this, args);
    };
    scheduling().reportDeferred = (name) => reported.push(name);
    return { reported };
  }
  afterEach(() => {
    const svc = scheduling() as unknown as Record<string, unknown>;
    for (const step of ["saveProjection", "emitBooking", "announceClaimed"]) delete svc[step];
    scheduling().reportDeferred = () => {};
  });

  before(async () => {
    t = await startTestServer("booking-faults");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t.stop());

  for (const [step, what] of [["saveProjection", "the projection write"], ["emitBooking", "the bus emit"], ["announceClaimed", "the availability announce"]] as const) {
    it(`keeps the booking when ${what} fails: a retry with the same Idempotency-Key returns it, claims intact, no second booking`, async () => {
      const inst = await publishInstrument(api, provider);
      const d = day++;
      const body = { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") };
      const key = { "Idempotency-Key": `fault-${step}` };
      const { reported } = failOnce(step);

      const first = await api.post("/api/bookings", body, { token: ent.token, headers: key });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      await scheduling().announcementsSent();
      expect(reported).to.have.length(1);
      const id = first.body.id;
      const held = await claims().find({ instrumentId: inst.id }).toArray();
      expect(held.map((c) => c.bookingId), "the claims stay with the booking").to.deep.equal([id, id]);
      expect(await t.db.conn.collection("idempotency_records").countDocuments({ bookingId: id })).to.equal(1);

      const retry = await api.post("/api/bookings", body, { token: ent.token, headers: key });
      expect(retry.status, JSON.stringify(retry.body)).to.equal(201);
      expect(retry.body.id).to.equal(id);
      expect(retry.body.status).to.equal("pending");
      expect(await events().countDocuments({ type: "created", "data.instrumentIds": inst.id })).to.equal(1);
      expect(await bookings().countDocuments({ instrumentIds: inst.id })).to.equal(1);
      expect((await claims().find({ instrumentId: inst.id }).toArray()).map((c) => c.bookingId)).to.deep.equal([id, id]);
      // The time really is held: another booking of it is refused.
      const other = await api.post("/api/bookings", body, { token: ent.token });
      expect(other.status).to.equal(409);
      expect(other.body.error.code).to.equal("SLOT_TAKEN");
    });
  }

  it("a booking left without its projection shows in lists after the next sweep, without waiting for the grace period", async () => {
    const inst = await publishInstrument(api, provider);
    const d = day++;
    // The notification centre reads every new booking (and so heals it): off, so the sweeper is the one.
    const follower = t.server.services.notificationFollower;
    follower.detach();
    failOnce("saveProjection");
    const res = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }, { token: ent.token });
    follower.attach();
    expect(res.status).to.equal(201);
    expect(await bookings().countDocuments({ _id: res.body.id as never })).to.equal(0);
    const result = await scheduling().sweep();
    expect(result.healed).to.be.greaterThanOrEqual(1);
    const list = await api.get(`/api/bookings?instrumentId=${inst.id}`, { token: provider.token });
    expect(list.body.items.map((b: { id: string }) => b.id)).to.deep.equal([res.body.id]);
    expect(await claims().countDocuments({ bookingId: res.body.id })).to.equal(2);
  });
});

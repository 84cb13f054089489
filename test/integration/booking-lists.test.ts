// Lists tell the truth: a booking's projection may lag its event stream (a crash between the event
// and the projection write, or two writers racing); every list read heals its page from the stream,
// and a status filter heals the open bookings in scope first, so items, filters and totals agree
// with the events.
import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";

describe("booking lists", function () {
  this.timeout(120_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  let day = 3;
  const events = () => t.db.conn.collection("events");
  const claims = () => t.db.conn.collection("slot_claims");

  before(async () => {
    t = await startTestServer("booking-lists");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t.stop());

  /** The status the event stream of a booking ends in. */
  async function streamStatus(id: string): Promise<string> {
    const last = await events().find({ aggregateId: id }).sort({ seq: -1 }).limit(1).next();
    return (last!.data as { status: string }).status;
  }
  const list = (who: TestUser, query: string) => api.get(`/api/bookings?pageSize=100&${query}`, { token: who.token });

  async function pendingBookings(instrumentId: string, d: number, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let k = 0; k < n; k++) {
      const hh = (h: number) => `${String(8 + Math.floor(h / 2)).padStart(2, "0")}:${h % 2 ? "30" : "00"}`;
      const res = await api.post("/api/bookings", { instrumentId, start: shanghai(d, hh(k)), end: shanghai(d, hh(k + 1)) }, { token: ent.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids.push(res.body.id);
    }
    return ids;
  }

  it("after confirms race cancels on 20 bookings, every list, status filter and total shows the state each stream ends in", async () => {
    const inst = await publishInstrument(api, provider);
    const ids = await pendingBookings(inst.id, day++, 20);
    await Promise.all(
      ids.flatMap((id) => [
        ...[0, 1].map(() => api.post(`/api/bookings/${id}/confirm`, {}, { token: provider.token })),
        ...[0, 1].map(() => api.post(`/api/bookings/${id}/cancel`, {}, { token: ent.token })),
      ]),
    );
    const truth = new Map(await Promise.all(ids.map(async (id) => [id, await streamStatus(id)] as const)));
    for (const who of [provider, ent]) {
      const all = await list(who, `instrumentId=${inst.id}`);
      expect(new Map(all.body.items.map((b: { id: string; status: string }) => [b.id, b.status]))).to.deep.equal(truth);
      for (const status of ["pending", "confirmed", "cancelled"]) {
        const expected = ids.filter((id) => truth.get(id) === status).sort();
        const filtered = await list(who, `instrumentId=${inst.id}&status=${status}`);
        expect(filtered.body.items.map((b: { id: string }) => b.id).sort(), status).to.deep.equal(expected);
        expect(filtered.body.total, `total ${status}`).to.equal(expected.length);
      }
    }
  });

  it("a projection left behind its stream (an event written directly) shows its final state in the list, the status filters, the totals and the agenda", async () => {
    const inst = await publishInstrument(api, provider);
    const d = day++;
    const [a, b] = await pendingBookings(inst.id, d, 2);
    for (const id of [a, b]) expect((await api.post(`/api/bookings/${id}/confirm`, {}, { token: provider.token })).status).to.equal(200);
    // A cancel of `a` that crashed right after its event: the projection still says confirmed.
    await events().insertOne({ _id: `${a}:3` as never, aggregateId: a, seq: 3, type: "cancelled", data: { status: "cancelled", reason: "仪器故障" }, actorId: provider.id, at: new Date() });
    expect((await t.db.conn.collection("bookings").findOne({ _id: a as never }))!.status).to.equal("confirmed");

    const confirmed = await list(provider, `instrumentId=${inst.id}&status=confirmed`);
    expect(confirmed.body.items.map((x: { id: string }) => x.id)).to.deep.equal([b]);
    expect(confirmed.body.total).to.equal(1);
    const cancelled = await list(ent, `status=cancelled`);
    expect(cancelled.body.items.map((x: { id: string }) => x.id)).to.include(a);
    const agenda = await list(provider, `scope=provider&from=${encodeURIComponent(shanghai(d, "00:00"))}&to=${encodeURIComponent(shanghai(d + 1, "00:00"))}`);
    expect(agenda.body.items.find((x: { id: string }) => x.id === a).status).to.equal("cancelled");
    // Healing a booking into an inactive state releases its time.
    expect(await claims().countDocuments({ bookingId: a })).to.equal(0);
  });

  it("a page read without a status filter heals each booking on it", async () => {
    const inst = await publishInstrument(api, provider);
    const [a] = await pendingBookings(inst.id, day++, 1);
    await events().insertOne({ _id: `${a}:2` as never, aggregateId: a, seq: 2, type: "confirmed", data: { status: "confirmed" }, actorId: provider.id, at: new Date() });
    const page = await list(ent, `instrumentId=${inst.id}`);
    expect(page.body.items.map((x: { status: string }) => x.status)).to.deep.equal(["confirmed"]);
    expect((await t.db.conn.collection("bookings").findOne({ _id: a as never }))!.status, "the projection is written back").to.equal("confirmed");
  });
});

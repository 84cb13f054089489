// Availability reads slot claims by their computed `_id`s (claims.ts `at`): the first generation of
// every grid slot × unit, then the next generation of each released one. These tests check that the
// walk over generations gives the right free counts, that the read is an `_id` read (FerretDB
// explain: the unique `_id` index), and the sweeper's single flight and age-only idempotency expiry.
import { expect } from "chai";
import { DateTime } from "luxon";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument, publishPackage, shanghai } from "../factories/catalog";
import { claimId } from "../../server/modules/scheduling/claims";

const DAY = 24 * 3600_000;

describe("claim reads by _id", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;

  const claims = () => t.db.conn.collection("slot_claims");
  const scheduling = () => t.server.services.scheduling;

  before(async () => {
    t = await startTestServer("claim-reads");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t.stop());

  async function freeAt(instrumentId: string, d: number): Promise<Record<string, number>> {
    const res = await api.get(`/api/instruments/${instrumentId}/availability?from=${encodeURIComponent(shanghai(d, "00:00"))}&to=${encodeURIComponent(shanghai(d + 1, "00:00"))}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return Object.fromEntries(res.body.slots.map((s: { start: string; free: number }) => [DateTime.fromISO(s.start).setZone("Asia/Shanghai").toFormat("HH:mm"), s.free]));
  }
  async function bookNine(instrumentId: string, d: number): Promise<string> {
    const res = await api.post("/api/bookings", { instrumentId, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id;
  }
  async function cancel(id: string) {
    const res = await api.post(`/api/bookings/${id}/cancel`, { reason: "计划变更" }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  }

  it("availability shows a slot released and claimed again (generation #1, then #2) as taken by its new holder, and free once that holder lets go", async () => {
    const inst = await publishInstrument(api, provider, { capacity: 2, rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    const d = 5;
    const nine = claimId(inst.id, Date.parse(shanghai(d, "09:00")), 0);
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 2, "09:30": 2 });

    const first = await bookNine(inst.id, d);
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 1, "09:30": 1, "10:00": 2 });
    await cancel(first);
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 2, "09:30": 2 });

    const second = await bookNine(inst.id, d);
    expect(await claims().findOne({ _id: `${nine}#1` as never }), "unit 0 is claimed again as generation #1").to.include({ bookingId: second });
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 1, "09:30": 1 });
    const third = await bookNine(inst.id, d); // unit 1, its first generation
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 0, "09:30": 0, "10:00": 2 });

    await cancel(second);
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 1, "09:30": 1 });
    const fourth = await bookNine(inst.id, d);
    expect(await claims().findOne({ _id: `${nine}#2` as never })).to.include({ bookingId: fourth });
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 0, "09:30": 0 });
    await Promise.all([cancel(third), cancel(fourth)]);
    expect(await freeAt(inst.id, d)).to.include({ "09:00": 2, "09:30": 2 });
  });

  it("availability reads claims only by _id: every claims query of the request filters on _id $in, and FerretDB answers it from the _id index", async () => {
    const inst = await publishInstrument(api, provider, { capacity: 3, rules: { requiresConfirmation: false } });
    const d = 6;
    await cancel(await bookNine(inst.id, d));
    await bookNine(inst.id, d);
    await scheduling().announcementsSent(); // the booking's own reads, sent after its answer
    const filters: Record<string, unknown>[] = [];
    t.db.conn.set("debug", (collection: string, method: string, filter: Record<string, unknown>) => {
      if (collection === "slot_claims") filters.push({ method, filter });
    });
    try {
      const res = await api.get(`/api/instruments/${inst.id}/availability?from=${encodeURIComponent(shanghai(d, "00:00"))}&to=${encodeURIComponent(shanghai(d + 7, "00:00"))}`);
      expect(res.status).to.equal(200);
    } finally {
      t.db.conn.set("debug", false);
    }
    expect(filters, "the first generations, then #1 of the released slots").to.have.length(2);
    for (const { method, filter } of filters as { method: string; filter: { _id: { $in: string[] } } }[]) {
      expect(method).to.equal("find");
      expect(Object.keys(filter)).to.deep.equal(["_id"]);
      expect(filter._id.$in.length).to.be.within(1, 1000);
    }
    const info = await t.db.conn.db!.admin().command({ buildInfo: 1 });
    if (!("ferretdbVersion" in info)) return; // MongoDB indexes _id itself
    const { filter } = filters[0] as { filter: Record<string, unknown> };
    const explained = await claims().find(filter).explain();
    const plan = (explained.queryPlanner as { Plan: string[] }).Plan.join("\n");
    expect(plan).to.match(/USING INDEX \S+__id_/).and.not.match(/\bSCAN\b/);
  });

  it("a window of more than 10,000 slot × unit ids (5-minute slots, 100 units) is read by one range scan, with the same free counts", async () => {
    const inst = await publishInstrument(api, provider, { capacity: 100, slotMinutes: 5, rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    const d = 7;
    const res = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "09:10") }, { token: ent.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await scheduling().announcementsSent();
    const queries: { method: string; filter: Record<string, unknown> }[] = [];
    t.db.conn.set("debug", (collection: string, method: string, filter: Record<string, unknown>) => {
      if (collection === "slot_claims") queries.push({ method, filter });
    });
    let free: Record<string, number>;
    try {
      free = await freeAt(inst.id, d); // 120 slots × 100 units
    } finally {
      t.db.conn.set("debug", false);
    }
    expect(free).to.include({ "08:55": 100, "09:00": 99, "09:05": 99, "09:10": 100 });
    expect(queries).to.have.length(1);
    expect(queries[0]!.filter).to.not.have.property("_id");
  });

  it("package planning reads claims by _id, a week at first, and further when the plan reaches what it has not read", async () => {
    const weekday = DateTime.fromISO(shanghai(10, "09:00")).setZone("Asia/Shanghai").weekday;
    const openHours = [{ weekday, start: "09:00", end: "10:00" }]; // one slot a week
    const inst = await publishInstrument(api, provider, { openHours, slotMinutes: 60, rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    const booked = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(10, "09:00"), end: shanghai(10, "10:00") }, { token: ent.token });
    expect(booked.status, JSON.stringify(booked.body)).to.equal(201);
    const pkg = await publishPackage(api, provider, [{ instrumentId: inst.id, minutes: 60 }]);
    const queries: { method: string; filter: Record<string, unknown> }[] = [];
    t.db.conn.set("debug", (collection: string, method: string, filter: Record<string, unknown>) => {
      if (collection === "slot_claims") queries.push({ method, filter });
    });
    let preview;
    try {
      preview = await api.get(`/api/packages/${pkg.id}/schedule?start=${encodeURIComponent(shanghai(10, "00:00"))}`);
    } finally {
      t.db.conn.set("debug", false);
    }
    expect(preview.status, JSON.stringify(preview.body)).to.equal(200);
    expect(Date.parse(preview.body.items[0].start)).to.equal(Date.parse(shanghai(17, "09:00")));
    expect(queries.length).to.be.at.least(2);
    for (const q of queries) expect(Object.keys(q.filter)).to.deep.equal(["_id"]);
  });

  it("the sweeper runs single-flight: a call while a sweep runs gets that sweep's promise, a call after it a new sweep", async () => {
    const a = scheduling().sweep();
    const b = scheduling().sweep(new Date(Date.now() + DAY));
    expect(b).to.equal(a);
    await a;
    const c = scheduling().sweep();
    expect(c).to.not.equal(a);
    await c;
  });

  it("the sweeper forgets idempotency records by age alone: a day old goes, a younger one stays, no events are read or written for them", async () => {
    const records = t.db.conn.collection("idempotency_records");
    const now = Date.now();
    await records.insertMany([
      { _id: "org-x:old-key" as never, bookingId: "never-made-old", fingerprint: "f", createdAt: new Date(now - DAY - 60_000) },
      { _id: "org-x:young-key" as never, bookingId: "never-made-young", fingerprint: "f", createdAt: new Date(now - 3600_000) },
    ]);
    const swept = await scheduling().sweep(new Date(now));
    expect(swept.idempotency).to.equal(1);
    expect((await records.find({ _id: { $in: ["org-x:old-key", "org-x:young-key"] as never[] } }).toArray()).map((r) => r._id)).to.deep.equal(["org-x:young-key"]);
    expect(await t.db.conn.collection("events").countDocuments({ aggregateId: { $in: ["never-made-old", "never-made-young"] } })).to.equal(0);
  });

  it("a retry of a request that died before recording its booking tombstones it and books anew under the key's next generation; later retries find that booking", async () => {
    const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    const body = { instrumentId: inst.id, start: shanghai(8, "09:00"), end: shanghai(8, "10:00") };
    const headers = { "Idempotency-Key": "died-before-commit" };
    const first = await api.post("/api/bookings", body, { token: ent.token, headers });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    // As if the request had died right after inserting its record: no claims, no event 1, no projection.
    const records = t.db.conn.collection("idempotency_records");
    const record = (await records.findOne({ bookingId: first.body.id }))!;
    await Promise.all([
      claims().deleteMany({ bookingId: first.body.id }),
      t.db.conn.collection("events").deleteOne({ _id: `${first.body.id}:1` as never }),
      t.db.conn.collection("bookings").deleteOne({ _id: first.body.id as never }),
      records.updateOne({ _id: record._id }, { $set: { createdAt: new Date(Date.now() - 3 * 60_000) } }),
    ]);
    const retry = await api.post("/api/bookings", body, { token: ent.token, headers });
    expect(retry.status, JSON.stringify(retry.body)).to.equal(201);
    expect(retry.body.id).to.not.equal(first.body.id);
    expect((await t.db.conn.collection("events").findOne({ _id: `${first.body.id}:1` as never }))?.type).to.equal("abandoned");
    expect(await records.findOne({ _id: `${record._id}#1` as never })).to.include({ bookingId: retry.body.id });
    const again = await Promise.all([1, 2, 3].map(() => api.post("/api/bookings", body, { token: ent.token, headers })));
    expect(again.map((r) => r.body.id)).to.deep.equal([retry.body.id, retry.body.id, retry.body.id]);
  });
  it("a read sent after a booking's 201 shows the booking even while a read of the same week that started before the booking is still running", async () => {
    const inst = await publishInstrument(api, provider, { capacity: 1, rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    const d = 6;
    const store = scheduling().claims as unknown as { read: (...args: unknown[]) => Promise<unknown> };
    const read = store.read;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    store.read = async function (this: unknown, ...args: unknown[]) {
      const result = await read.apply(this, args); // what the database said before the booking
      if (held++ === 0) await gate;
      return result;
    };
    try {
      const early = freeAt(inst.id, d); // its read is held until after the booking
      await new Promise((r) => setTimeout(r, 50));
      await bookNine(inst.id, d);
      const late = freeAt(inst.id, d);
      await new Promise((r) => setTimeout(r, 50));
      release();
      expect((await early)["09:00"], "the read that began before the booking").to.equal(1);
      expect((await late)["09:00"], "the read sent after the 201").to.equal(0);
    } finally {
      store.read = read;
    }
  });

  it("shares availability reads among concurrent identical requests, yet each read sent after a booking's 201 shows it, under a stream of 200 concurrent reads", async () => {
    const inst = await publishInstrument(api, provider, { capacity: 1, rules: { requiresConfirmation: false, bufferMinutes: 0, maxDurationMinutes: 60 } });
    const d = 7;
    const week = `/api/instruments/${inst.id}/availability?from=${encodeURIComponent(shanghai(d, "00:00"))}&to=${encodeURIComponent(shanghai(d + 1, "00:00"))}`;
    let reading = true;
    let reads = 0;
    const readers = Array.from({ length: 20 }, async () => {
      while (reading && reads < 200) {
        reads++;
        expect((await api.get(week)).status).to.equal(200);
      }
    });
    for (const [from, to] of [["08:00", "09:00"], ["10:00", "11:00"], ["12:00", "13:00"], ["14:00", "15:00"], ["16:00", "17:00"]]) {
      const res = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(d, from!), end: shanghai(d, to!) }, { token: ent.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect((await freeAt(inst.id, d))[from!], `${from} right after its booking`).to.equal(0);
    }
    reading = false;
    await Promise.all(readers);
    expect(Object.values(await freeAt(inst.id, d)).filter((free) => free === 0)).to.have.length(10); // five hours of 30-minute slots
  });

  it("a minute's sweep reads bookings only by _id, those its live claims name: a closed booking is never read, a lapsed hold still expires", async () => {
    const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: true, bufferMinutes: 0 } });
    const book = async (from: string, to: string) => {
      const res = await api.post("/api/bookings", { instrumentId: inst.id, start: shanghai(9, from), end: shanghai(9, to) }, { token: ent.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body as { id: string; holdExpiresAt: string };
    };
    const [held, closed] = [await book("09:00", "10:00"), await book("11:00", "12:00")];
    expect((await api.post(`/api/bookings/${closed.id}/cancel`, {}, { token: ent.token })).status).to.equal(200);

    const bookings = scheduling().m.bookings;
    const find = bookings.find;
    const filters: Record<string, unknown>[] = [];
    bookings.find = function (this: typeof bookings, filter: Record<string, unknown>, ...rest: unknown[]) {
      filters.push(filter);
      return (find as (...a: unknown[]) => unknown).call(this, filter, ...rest);
    } as typeof find;
    try {
      const at = new Date(Date.parse(held.holdExpiresAt) + 60_000);
      const swept = await scheduling().sweep(at, "live");
      expect(swept.expired).to.be.at.least(1);
      expect(filters, "every bookings query of the live sweep").to.have.length.greaterThan(0);
      for (const f of filters) expect(Object.keys(f), JSON.stringify(f)).to.deep.equal(["_id"]);
      expect(JSON.stringify(filters)).to.include(held.id).and.not.include(closed.id);
      expect((await api.get(`/api/bookings/${held.id}`, { token: ent.token })).body.status).to.equal("expired");

      filters.length = 0;
      await scheduling().sweep(at, "all");
      expect(filters.some((f) => "status" in f), "the first sweep of a process reads every active booking").to.equal(true);
    } finally {
      bookings.find = find;
    }
  });

  it("drops 40,000 claims of slots long over in one sweep (a single deleteMany of that many fails on FerretDB: too many SQL variables)", async function () {
    this.timeout(120_000);
    const past = Date.now() - 3 * DAY;
    const docs = Array.from({ length: 40_000 }, (_, i) => ({ _id: `past-inst:${new Date(past - i * 60_000).toISOString()}:0`, instrumentId: "past-inst", start: new Date(past - i * 60_000), unit: 0, createdAt: new Date(past - 7 * DAY), released: true }));
    for (let k = 0; k < docs.length; k += 5_000) await claims().insertMany(docs.slice(k, k + 5_000) as never[]);
    const swept = await scheduling().sweep(new Date(), "live");
    expect(swept.pastClaims).to.be.at.least(40_000);
    expect(await claims().countDocuments({ instrumentId: "past-inst" })).to.equal(0);
  });
});

// Scheduling end to end over real HTTP and the embedded database: availability, booking instrument
// time and packages, the guarantees under concurrency (no overlap on a unit, packages all-or-nothing),
// crash recovery by the sweeper, idempotency, the lifecycle and who may do what.
import { expect } from "chai";
import { DateTime } from "luxon";
import { startTestServer, type TestServer } from "../support/server";
import { atTime } from "../support/clock";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { acceptAsPartners, publishInstrument, publishPackage, shanghai } from "../factories/catalog";
import { claimId } from "../../server/modules/scheduling/claims";
import { SWEEP_GRACE_MS } from "../../server/modules/scheduling/service";

const HOUR = 3600_000;

describe("scheduling", function () {
  this.timeout(60_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let staff: TestUser;
  let otherProvider: TestUser;
  let ent: TestUser;
  let entMember: TestUser;
  let otherEnt: TestUser;
  let pendingEnt: TestUser;
  let day = 3; // each test books on days of its own
  const nextDay = () => day++;

  const claims = () => t.db.conn.collection("slot_claims");
  const scheduling = () => t.server.services.scheduling;
  const book = (who: TestUser, body: Record<string, unknown>, headers?: Record<string, string>) =>
    api.post("/api/bookings", body, { token: who.token, headers });
  const act = (who: TestUser, id: string, action: string, body: Record<string, unknown> = {}) =>
    api.post(`/api/bookings/${id}/${action}`, body, { token: who.token });
  const withClock = <T>(ms: number, f: () => Promise<T>) => atTime(scheduling(), ms, f);

  before(async () => {
    t = await startTestServer("scheduling");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    [provider, otherProvider, ent, otherEnt, pendingEnt] = await Promise.all([
      orgAdmin(api, "provider", bureau),
      orgAdmin(api, "provider", bureau),
      orgAdmin(api, "enterprise", bureau),
      orgAdmin(api, "enterprise", bureau),
      orgAdmin(api, "enterprise"),
    ]);
    [staff, entMember] = await Promise.all([orgMember(api, provider, "provider_staff"), orgMember(api, ent, "enterprise_member")]);
  });
  after(() => t.stop());

  describe("availability", () => {
    it("lists the open slots of a day with free units, minus bookings, to anyone", async () => {
      const inst = await publishInstrument(api, provider, { capacity: 2 });
      const d = nextDay();
      const first = await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") });
      expectStatus(first, 201);
      const res = await api.get(`/api/instruments/${inst.id}/availability?from=${encodeURIComponent(shanghai(d, "00:00"))}&to=${encodeURIComponent(shanghai(d + 1, "00:00"))}`);
      expectStatus(res, 200);
      expect(res.body).to.include({ instrumentId: inst.id, timezone: "Asia/Shanghai", slotMinutes: 30, capacity: 2 });
      expect(res.body.slots).to.have.length(20);
      const free = Object.fromEntries(res.body.slots.map((s: { start: string; free: number }) => [DateTime.fromISO(s.start).setZone("Asia/Shanghai").toFormat("HH:mm"), s.free]));
      expect(free).to.include({ "08:30": 2, "09:00": 1, "09:30": 1, "10:00": 2 });
    });

    it("answers 400 for a range over 31 days or ending before it starts", async () => {
      const inst = await publishInstrument(api, provider);
      const q = (from: string, to: string) => api.get(`/api/instruments/${inst.id}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      expectStatus(await q(shanghai(1, "00:00"), shanghai(33, "00:00")), 400, "VALIDATION_FAILED");
      expectStatus(await q(shanghai(2, "00:00"), shanghai(1, "00:00")), 400, "VALIDATION_FAILED");
    });

    it("reads one week of one instrument with a constant number of queries (measured)", async () => {
      const inst = await publishInstrument(api, provider);
      const from = shanghai(1, "00:00");
      const to = shanghai(8, "00:00");
      const started = performance.now();
      const res = await api.get(`/api/instruments/${inst.id}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      const ms = performance.now() - started;
      expectStatus(res, 200);
      const total = await claims().estimatedDocumentCount();
      // Queries: instrument by _id (+ its next revision event), blackouts in range, claims in range.
      console.log(`      availability of one week: ${res.body.slots.length} slots, 4 queries over ${total} claims, ${ms.toFixed(1)} ms`);
      expect(res.body.slots.length).to.be.greaterThan(100);
    });
  });

  describe("booking instrument time", () => {
    it("announces a new booking's slots: full at once on a one-unit instrument, without reading claims; read again, with what is left, on a two-unit one", async () => {
      const single = await publishInstrument(api, provider, { capacity: 1, rules: { requiresConfirmation: false, bufferMinutes: 0 } });
      const double = await publishInstrument(api, provider, { capacity: 2, rules: { requiresConfirmation: false, bufferMinutes: 0 } });
      const d = nextDay();
      const seen: { instrumentId: string; changes: { start: string; free: number }[] }[] = [];
      const off = t.server.services.bus.on("availability.changed", (p) => seen.push(p));
      let claimReads = 0;
      t.db.conn.set("debug", (collection: string, method: string) => void (collection === "slot_claims" && method === "find" && claimReads++));
      try {
        expectStatus(await book(ent, { instrumentId: single.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }), 201);
        await scheduling().announcementsSent();
        expect(claimReads, "no claims read for the one-unit instrument").to.equal(0);
        expectStatus(await book(ent, { instrumentId: double.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }), 201);
        await scheduling().announcementsSent();
        expect(claimReads, "the two-unit instrument's slots are read again").to.be.at.least(1);
      } finally {
        t.db.conn.set("debug", false);
        off();
      }
      const frees = (id: string) => seen.filter((e) => e.instrumentId === id).flatMap((e) => e.changes.map((c) => c.free));
      expect(frees(single.id)).to.deep.equal([0, 0]);
      expect(frees(double.id)).to.deep.equal([1, 1]);
      expect(seen.find((e) => e.instrumentId === single.id)!.changes[0]!.start).to.equal(DateTime.fromISO(shanghai(d, "09:00")).setZone("Asia/Shanghai").toISO());
    });

    it("books whole slots: 201 pending, priced by the hour, with history; the slot is taken", async () => {
      const inst = await publishInstrument(api, provider, { priceFen: 30000 });
      const d = nextDay();
      const seen: unknown[] = [];
      const offs = [t.server.services.bus.on("booking.created", (p) => seen.push(p)), t.server.services.bus.on("availability.changed", (p) => seen.push(p))];
      const res = await book(entMember, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:30"), note: " 需要液氮 " });
      await t.server.services.scheduling.announcementsSent(); // availability.changed follows the answer
      offs.forEach((off) => off());
      expectStatus(res, 201);
      expect(res.body).to.include({ kind: "instrument", status: "pending", enterpriseId: ent.orgId, instrumentId: inst.id, priceFen: 45000, useVoucher: false, note: "需要液氮" });
      expect(res.body.items).to.have.length(1);
      expect(res.body.items[0]).to.include({ instrumentId: inst.id, unit: 0, providerId: provider.orgId });
      expect(Date.parse(res.body.holdExpiresAt) - Date.parse(res.body.createdAt)).to.be.closeTo(48 * HOUR, 5000);
      expect(res.body.history.map((h: { status: string }) => h.status)).to.deep.equal(["pending"]);
      expect(await claims().countDocuments({ bookingId: res.body.id })).to.equal(3);
      expect(seen).to.have.length(2);
      const [changed, created] = [seen.filter((p) => "changes" in (p as object)), seen.filter((p) => !("changes" in (p as object)))];
      expect(created).to.deep.equal([{ bookingId: res.body.id, status: "pending", enterpriseId: ent.orgId, providerIds: [provider.orgId], instrumentIds: [inst.id] }]);
      expect((changed[0] as { changes: { free: number }[] }).changes.map((c) => c.free)).to.deep.equal([0, 0, 0]);
      const again = await book(ent, { instrumentId: inst.id, start: shanghai(d, "10:00"), end: shanghai(d, "11:00") });
      expectStatus(again, 409, "SLOT_TAKEN");
      expect(again.body.error.conflicts).to.deep.equal([{ instrumentId: inst.id, start: new Date(shanghai(d, "10:00")).toISOString(), end: new Date(shanghai(d, "10:30")).toISOString() }]);
      expect(await claims().countDocuments({ instrumentId: inst.id })).to.equal(3);
    });

    it("creates the booking confirmed when the instrument needs no confirmation; prices per sample", async () => {
      const inst = await publishInstrument(api, provider, { priceUnit: "sample", priceFen: 5000, rules: { requiresConfirmation: false } });
      const d = nextDay();
      const res = await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "09:30"), samples: 3 });
      expectStatus(res, 201);
      expect(res.body).to.include({ status: "confirmed", priceFen: 15000, samples: 3 });
      expect(res.body).to.not.have.property("holdExpiresAt");
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "10:00"), end: shanghai(d, "10:30") }), 400, "VALIDATION_FAILED");
    });

    it("claims the buffer after a booking", async () => {
      const inst = await publishInstrument(api, provider, { rules: { bufferMinutes: 30 } });
      const d = nextDay();
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }), 201);
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "10:00"), end: shanghai(d, "10:30") }), 409, "SLOT_TAKEN");
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "10:30"), end: shanghai(d, "11:00") }), 201);
    });

    it("answers 422 with a code for each rule and 400 for malformed requests, holding nothing", async () => {
      const inst = await publishInstrument(api, provider, { rules: { maxDurationMinutes: 120, minDurationMinutes: 60 } });
      const d = nextDay();
      const cases: [Record<string, unknown>, number, string][] = [
        [{ start: shanghai(d, "09:10"), end: shanghai(d, "10:00") }, 422, "NOT_ON_GRID"],
        [{ start: shanghai(d, "07:00"), end: shanghai(d, "08:30") }, 422, "OUTSIDE_OPEN_HOURS"],
        [{ start: shanghai(d, "17:00"), end: shanghai(d, "19:00") }, 422, "OUTSIDE_OPEN_HOURS"],
        [{ start: shanghai(0, "00:00"), end: shanghai(0, "01:00") }, 422, "OUTSIDE_OPEN_HOURS"],
        [{ start: shanghai(95, "09:00"), end: shanghai(95, "10:00") }, 422, "TOO_FAR_AHEAD"],
        [{ start: shanghai(d, "09:00"), end: shanghai(d, "09:30") }, 422, "TOO_SHORT"],
        [{ start: shanghai(d, "09:00"), end: shanghai(d, "12:00") }, 422, "TOO_LONG"],
        [{ start: shanghai(d, "10:00"), end: shanghai(d, "09:00") }, 400, "VALIDATION_FAILED"],
        [{ start: shanghai(d, "09:00") }, 400, "VALIDATION_FAILED"],
        [{ start: "tomorrow", end: shanghai(d, "10:00") }, 400, "VALIDATION_FAILED"],
      ];
      for (const [body, status, code] of cases) expectStatus(await book(ent, { instrumentId: inst.id, ...body }), status, code);
      expectStatus(await book(ent, { instrumentId: inst.id, packageId: "x", start: shanghai(d, "09:00") }), 400, "VALIDATION_FAILED");
      const soon = DateTime.now().setZone("Asia/Shanghai").plus({ hours: 1 }).startOf("hour");
      const notice = await publishInstrument(api, provider, { openHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })) });
      expectStatus(await book(ent, { instrumentId: notice.id, start: soon.toISO(), end: soon.plus({ hours: 1 }).toISO() }), 422, "TOO_SHORT_NOTICE");
      const window = { start: shanghai(d, "12:00"), end: shanghai(d, "13:00"), reason: "年度校准" };
      expectStatus(await api.post(`/api/instruments/${inst.id}/blackouts`, window, { token: provider.token }), 201);
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "11:30"), end: shanghai(d, "12:30") }), 422, "IN_BLACKOUT");
      await api.patch(`/api/instruments/${inst.id}`, { status: "maintenance" }, { token: provider.token });
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "14:00"), end: shanghai(d, "15:00") }), 422, "INSTRUMENT_NOT_BOOKABLE");
      expect(await claims().countDocuments({ instrumentId: inst.id })).to.equal(0);
    });

    it("lets only members of an approved enterprise book", async () => {
      const inst = await publishInstrument(api, provider);
      const d = nextDay();
      const body = { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") };
      expectStatus(await book(pendingEnt, body), 403, "ENTERPRISE_NOT_APPROVED");
      expectStatus(await book(provider, body), 403, "FORBIDDEN");
      expectStatus(await api.post("/api/bookings", body, { token: bureau }), 403, "FORBIDDEN");
      expectStatus(await api.post("/api/bookings", body), 401, "UNAUTHENTICATED");
    });

    it("emits availability.changed when a maintenance window is added or removed", async () => {
      const inst = await publishInstrument(api, provider);
      const d = nextDay();
      const seen: { changes: { free: number }[] }[] = [];
      const off = t.server.services.bus.on("availability.changed", (p) => seen.push(p));
      const added = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: shanghai(d, "09:00"), end: shanghai(d, "10:00"), reason: "维修" }, { token: provider.token });
      await api.call("DELETE", `/api/instruments/${inst.id}/blackouts/${added.body.id}`, { token: provider.token });
      off();
      expect(seen.map((e) => e.changes.map((c) => c.free))).to.deep.equal([[0, 0], [1, 1]]);
    });
  });

  describe("under concurrency", () => {
    it("gives one slot to exactly one of 200 parallel requests; the others get 409 and hold nothing", async () => {
      const inst = await publishInstrument(api, provider);
      const d = nextDay();
      const body = { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") };
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => book(i % 2 ? ent : otherEnt, body)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).to.have.length(1);
      expect(statuses.filter((s) => s === 409)).to.have.length(199);
      const winner = results.find((r) => r.status === 201)!.body.id;
      const held = await claims().find({ instrumentId: inst.id }).toArray();
      expect(held.map((c) => c.bookingId)).to.deep.equal([winner, winner]);
    });

    it("never lets two active bookings overlap on a unit: 200 random requests on three instruments", async () => {
      const insts = await Promise.all([publishInstrument(api, provider), publishInstrument(api, provider, { capacity: 2 }), publishInstrument(api, otherProvider, { capacity: 2 })]);
      const d = nextDay();
      const rnd = (n: number) => Math.floor(Math.random() * n);
      const results = await Promise.all(
        Array.from({ length: 200 }, () => {
          const inst = insts[rnd(3)]!;
          const startSlot = rnd(12);
          const start = DateTime.fromISO(shanghai(d, "08:00")).plus({ minutes: 30 * startSlot });
          return book(rnd(2) ? ent : otherEnt, { instrumentId: inst.id, start: start.toISO(), end: start.plus({ minutes: 30 * (1 + rnd(4)) }).toISO() });
        }),
      );
      expect(results.filter((r) => r.status >= 500), JSON.stringify(results.find((r) => r.status >= 500)?.body)).to.deep.equal([]);
      expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === "SLOT_TAKEN"))).to.equal(true);
      const bookings = await t.db.conn.collection("bookings").find({ instrumentIds: { $in: insts.map((i) => i.id) } }).toArray();
      expect(bookings).to.have.length(results.filter((r) => r.status === 201).length);
      const byUnit = new Map<string, [number, number][]>();
      for (const b of bookings) {
        for (const item of b.items) {
          const key = `${item.instrumentId}:${item.unit}`;
          const mine: [number, number] = [item.start.getTime(), item.end.getTime()];
          for (const other of byUnit.get(key) ?? []) expect(mine[0] < other[1] && other[0] < mine[1], `overlap on ${key}`).to.equal(false);
          byUnit.set(key, [...(byUnit.get(key) ?? []), mine]);
        }
      }
      const claimCount = await claims().countDocuments({ instrumentId: { $in: insts.map((i) => i.id) } });
      const slotCount = bookings.reduce((n, b) => n + (b.items[0].end - b.items[0].start) / 1800_000, 0);
      expect(claimCount).to.equal(slotCount);
    });

    it("holds all of a package's slots or none, with packages racing single bookings", async () => {
      const [x, y] = await Promise.all([publishInstrument(api, provider), publishInstrument(api, otherProvider)]);
      const pkg = await publishPackage(api, provider, [{ instrumentId: x.id, minutes: 60 }, { instrumentId: y.id, minutes: 90 }]);
      await acceptAsPartners(api, pkg.id, [otherProvider]);
      const d = nextDay();
      const requests = [
        ...Array.from({ length: 15 }, () => book(ent, { packageId: pkg.id, start: shanghai(d, "08:00") })),
        ...Array.from({ length: 30 }, (_, i) => {
          const start = DateTime.fromISO(shanghai(d, "08:00")).plus({ minutes: 30 * (i % 10) });
          return book(otherEnt, { instrumentId: i % 2 ? x.id : y.id, start: start.toISO(), end: start.plus({ minutes: 30 }).toISO() });
        }),
      ];
      const results = await Promise.all(requests);
      expect(results.filter((r) => r.status >= 500)).to.deep.equal([]);
      const packages = results.slice(0, 15).filter((r) => r.status === 201).map((r) => r.body);
      expect(packages.length).to.be.greaterThan(0);
      for (const b of packages) {
        expect(b).to.include({ kind: "package", packageId: pkg.id, priceFen: pkg.priceFen });
        expect(b.providerIds).to.have.members([provider.orgId, otherProvider.orgId]);
        expect(await claims().countDocuments({ bookingId: b.id })).to.equal(2 + 3);
      }
      const bookingIds = new Set((await t.db.conn.collection("bookings").find({}, { projection: { _id: 1 } }).toArray()).map((b) => String(b._id)));
      const held = await claims().find({ instrumentId: { $in: [x.id, y.id] } }).toArray();
      expect(held.filter((c) => !bookingIds.has(c.bookingId)), "claims of no booking").to.deep.equal([]);
    });

    it("proposes a package's schedule without holding anything, and books the same one", async () => {
      const [x, y] = await Promise.all([publishInstrument(api, provider), publishInstrument(api, provider, { priceUnit: "sample", priceFen: 1000 })]);
      const pkg = await publishPackage(api, provider, [{ instrumentId: x.id, minutes: 45 }, { instrumentId: y.id, samples: 4 }, { instrumentId: x.id, minutes: 30 }]);
      const d = nextDay();
      expectStatus(await book(otherEnt, { instrumentId: x.id, start: shanghai(d, "08:00"), end: shanghai(d, "09:00") }), 201);
      const proposal = await api.get(`/api/packages/${pkg.id}/schedule?start=${encodeURIComponent(shanghai(d, "08:00"))}`);
      expectStatus(proposal, 200);
      const hhmm = (iso: string) => DateTime.fromISO(iso).setZone("Asia/Shanghai").toFormat("HH:mm");
      expect(proposal.body.items.map((i: { start: string; end: string }) => `${hhmm(i.start)}-${hhmm(i.end)}`)).to.deep.equal(["09:00-10:00", "08:00-08:30", "10:00-10:30"]);
      const booked = await book(ent, { packageId: pkg.id, start: shanghai(d, "08:00") });
      expectStatus(booked, 201);
      expect(booked.body.items.map((i: { start: string; end: string }) => `${hhmm(i.start)}-${hhmm(i.end)}`)).to.deep.equal(["09:00-10:00", "08:00-08:30", "10:00-10:30"]);
      // An item longer than a day's open hours now runs over two days (package-plan.test.ts); nothing
      // fits when the start is past the instrument's maximum advance (90 days).
      expectStatus(await book(ent, { packageId: pkg.id, start: shanghai(d + 91, "08:00") }), 422, "NO_FEASIBLE_SCHEDULE");
    });
  });

  describe("crash safety", () => {
    it("the sweeper releases claims of a booking that was never recorded, and the slot is bookable again", async () => {
      const inst = await publishInstrument(api, provider);
      const d = nextDay();
      const start = Date.parse(shanghai(d, "09:00"));
      const old = new Date(Date.now() - SWEEP_GRACE_MS - 1000);
      await claims().insertMany([0, 1].map((k) => ({ _id: claimId(inst.id, start + k * 1800_000, 0) as never, instrumentId: inst.id, start: new Date(start + k * 1800_000), unit: 0, bookingId: "crashed-booking", createdAt: old })));
      const fresh = { _id: claimId(inst.id, start + 2 * 1800_000, 0) as never, instrumentId: inst.id, start: new Date(start + 2 * 1800_000), unit: 0, bookingId: "in-flight", createdAt: new Date() };
      await claims().insertOne(fresh);
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }), 409, "SLOT_TAKEN");
      const swept = await scheduling().sweep();
      expect(swept.orphanClaims).to.be.at.least(2);
      expect((await claims().find({ instrumentId: inst.id }).toArray()).map((c) => c.bookingId)).to.deep.equal(["in-flight"]);
      expectStatus(await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") }), 201);
      // The crashed request cannot record its booking any more: event 1 is a tombstone.
      expect((await t.db.conn.collection("events").findOne({ _id: "crashed-booking:1" as never }))?.type).to.equal("abandoned");
    });

    it("a booking stuck mid-way (event written, projection missing, claims not released) heals", async () => {
      const inst = await publishInstrument(api, provider);
      const d = nextDay();
      const res = await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") });
      const id = res.body.id;
      // Simulate a cancel that crashed after its event: the event exists, nothing else happened.
      await t.db.conn.collection("events").insertOne({ _id: `${id}:2` as never, aggregateId: id, seq: 2, type: "cancelled", data: { status: "cancelled" }, actorId: ent.id, at: new Date() });
      await t.db.conn.collection("bookings").deleteOne({ _id: id as never });
      const read = await api.get(`/api/bookings/${id}`, { token: ent.token });
      expectStatus(read, 200);
      expect(read.body.status).to.equal("cancelled");
      expect(await claims().countDocuments({ bookingId: id })).to.equal(0);
      const rebuilt = await scheduling().rebuildBooking(id);
      const stored = await t.db.conn.collection("bookings").findOne({ _id: id as never });
      expect(JSON.parse(JSON.stringify(rebuilt))).to.deep.equal(JSON.parse(JSON.stringify(stored)));
    });
  });

  describe("idempotency", () => {
    it("returns the same booking for a retried key and a new one for a new key; concurrent retries book once", async () => {
      const inst = await publishInstrument(api, provider, { capacity: 3 });
      const d = nextDay();
      const body = { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") };
      const first = await book(ent, body, { "Idempotency-Key": `k-${d}-1` });
      const retry = await book(entMember, body, { "Idempotency-Key": `k-${d}-1` });
      expectStatus(first, 201);
      expectStatus(retry, 201);
      expect(retry.body.id).to.equal(first.body.id);
      const other = await book(ent, body, { "Idempotency-Key": `k-${d}-2` });
      expectStatus(other, 201);
      expect(other.body.id).to.not.equal(first.body.id);
      expectStatus(await book(ent, { ...body, note: "changed" }, { "Idempotency-Key": `k-${d}-1` }), 422, "IDEMPOTENCY_KEY_REUSED");
      const parallel = await Promise.all(Array.from({ length: 10 }, () => book(ent, body, { "Idempotency-Key": `k-${d}-3` })));
      const ids = new Set(parallel.filter((r) => r.status === 201).map((r) => r.body.id));
      expect(ids.size).to.equal(1);
      expect(parallel.every((r) => r.status === 201 || r.body.error?.code === "IDEMPOTENCY_IN_PROGRESS")).to.equal(true);
      expect(await claims().countDocuments({ instrumentId: inst.id })).to.equal(6);
    });
  });

  describe("the lifecycle", () => {
    async function pending(overrides: Record<string, unknown> = {}, start = "09:00", end = "10:00") {
      const inst = await publishInstrument(api, provider, overrides);
      const d = nextDay();
      const res = await book(ent, { instrumentId: inst.id, start: shanghai(d, start), end: shanghai(d, end) });
      expectStatus(res, 201);
      return res.body as { id: string; cancelDeadline: string; items: { start: string }[]; holdExpiresAt: string };
    }

    it("goes pending → confirmed → in progress → completed, recording who and when", async () => {
      const b = await pending();
      expectStatus(await act(staff, b.id, "complete", { contractAmountFen: 1, reportNumber: "R1" }), 409, "INVALID_TRANSITION");
      expect((await act(staff, b.id, "confirm")).body.status).to.equal("confirmed");
      expectStatus(await act(provider, b.id, "confirm"), 409, "INVALID_TRANSITION");
      // Check-in opens 30 minutes before the start (booking-lifecycle.test.ts): the clock is moved to the start.
      expect((await withClock(Date.parse(b.items[0]!.start), () => act(provider, b.id, "check-in"))).body.status).to.equal("in_progress");
      const done = await act(staff, b.id, "complete", { contractAmountFen: 28000, reportNumber: " LC-2026-001 " });
      expectStatus(done, 200);
      expect(done.body).to.include({ status: "completed", contractAmountFen: 28000, reportNumber: "LC-2026-001" });
      expect(done.body.history.map((h: { status: string; actorId: string }) => [h.status, h.actorId])).to.deep.equal([
        ["pending", ent.id], ["confirmed", staff.id], ["in_progress", provider.id], ["completed", staff.id],
      ]);
      expect(await claims().countDocuments({ bookingId: b.id })).to.equal(0);
      const rebuilt = await scheduling().rebuildBooking(b.id);
      expect(rebuilt!.status).to.equal("completed");
      expect(rebuilt!.history).to.have.length(4);
    });

    it("answers INVALID_TRANSITION with the current status for every illegal move", async () => {
      const b = await pending();
      expectStatus(await act(staff, b.id, "reject", {}), 400, "VALIDATION_FAILED");
      expectStatus(await act(staff, b.id, "reject", { reason: "样品不符合要求" }), 200);
      for (const action of ["confirm", "reject", "cancel", "check-in", "no-show"]) {
        const res = await act(provider, b.id, action, { reason: "x" });
        expectStatus(res, 409, "INVALID_TRANSITION");
        expect(res.body.error.message).to.include("rejected");
      }
      expectStatus(await act(provider, b.id, "complete", { contractAmountFen: 1, reportNumber: "x" }), 409, "INVALID_TRANSITION");
    });

    it("lets the enterprise cancel before the deadline, a provider only with a reason, and frees the slot", async () => {
      const b = await pending();
      expectStatus(await act(provider, b.id, "cancel", {}), 400, "VALIDATION_FAILED");
      expectStatus(await act(otherEnt, b.id, "cancel"), 404, "NOT_FOUND");
      expectStatus(await act(entMember, b.id, "cancel"), 200);
      expect(await claims().countDocuments({ bookingId: b.id })).to.equal(0);
      const c = await pending({ rules: { cancelDeadlineHours: 24 } });
      expectStatus(await act(provider, c.id, "confirm"), 200);
      const afterDeadline = Date.parse(c.cancelDeadline) + 1000;
      await withClock(afterDeadline, async () => {
        expectStatus(await act(ent, c.id, "cancel"), 422, "CANCEL_DEADLINE_PASSED");
        expectStatus(await act(provider, c.id, "cancel", { reason: "设备故障" }), 200);
      });
    });

    it("records a no-show only after the start", async () => {
      const b = await pending();
      expectStatus(await act(provider, b.id, "confirm"), 200);
      expectStatus(await act(provider, b.id, "no-show"), 422, "NOT_STARTED");
      await withClock(Date.parse(b.items[0]!.start) + 60_000, async () => expectStatus(await act(provider, b.id, "no-show"), 200));
      expect(await claims().countDocuments({ bookingId: b.id })).to.equal(0);
    });

    it("expires a hold not confirmed in time (sweeper), and a late confirm loses", async () => {
      const b = await pending({ rules: { holdHours: 1 } });
      const later = Date.parse(b.holdExpiresAt) + 1000;
      await withClock(later, async () => {
        const swept = await scheduling().sweep();
        expect(swept.expired).to.be.at.least(1);
        const res = await act(provider, b.id, "confirm");
        expectStatus(res, 409, "INVALID_TRANSITION");
        expect(res.body.error.message).to.include("expired");
      });
      expect(await claims().countDocuments({ bookingId: b.id })).to.equal(0);
      const c = await pending({ rules: { holdHours: 1 } });
      await withClock(Date.parse(c.holdExpiresAt) + 1000, async () => expectStatus(await act(provider, c.id, "confirm"), 409, "INVALID_TRANSITION"));
      expect((await api.get(`/api/bookings/${c.id}`, { token: ent.token })).body.status).to.equal("expired");
    });

    it("has exactly one winner when 50 confirms race 50 rejects (both only leave pending)", async () => {
      const b = await pending();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          i % 2 ? act(staff, b.id, "confirm") : act(staff, b.id, "reject", { reason: "设备临时检修" }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).to.have.length(1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === "INVALID_TRANSITION")).to.equal(true);
      const final = await api.get(`/api/bookings/${b.id}`, { token: ent.token });
      expect(final.body.history).to.have.length(2);
    });

    it("orders 50 confirms racing 50 cancels into one legal history: confirm can precede cancel, never follow it", async () => {
      const b = await pending();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (i % 2 ? act(staff, b.id, "confirm") : act(ent, b.id, "cancel"))),
      );
      const final = await api.get(`/api/bookings/${b.id}`, { token: ent.token });
      const statuses = final.body.history.map((h: { status: string }) => h.status);
      expect([["pending", "cancelled"], ["pending", "confirmed", "cancelled"]]).to.deep.include(statuses);
      // One 200 per event after creation; every other request lost a race and said so.
      expect(results.filter((r) => r.status === 200)).to.have.length(statuses.length - 1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409)).to.equal(true);
      expect(await claims().countDocuments({ bookingId: b.id })).to.equal(0);
    });
  });

  describe("who sees what", () => {
    it("shows a booking to the booker's members, the involved provider and the bureau only", async () => {
      const inst = await publishInstrument(api, provider);
      const d = nextDay();
      const b = (await book(ent, { instrumentId: inst.id, start: shanghai(d, "09:00"), end: shanghai(d, "10:00") })).body;
      for (const who of [ent, entMember, provider, staff]) expectStatus(await api.get(`/api/bookings/${b.id}`, { token: who.token }), 200);
      expectStatus(await api.get(`/api/bookings/${b.id}`, { token: bureau }), 200);
      for (const who of [otherEnt, otherProvider]) expectStatus(await api.get(`/api/bookings/${b.id}`, { token: who.token }), 404, "NOT_FOUND");
      expectStatus(await act(otherProvider, b.id, "confirm"), 404, "NOT_FOUND");
      expectStatus(await act(ent, b.id, "confirm"), 403, "FORBIDDEN");
    });

    it("lists by scope with filters and pages", async () => {
      const inst = await publishInstrument(api, otherProvider);
      const d = nextDay();
      for (const h of ["09:00", "10:00", "11:00"]) {
        expectStatus(await book(otherEnt, { instrumentId: inst.id, start: shanghai(d, h), end: DateTime.fromISO(shanghai(d, h)).plus({ minutes: 30 }).toISO() }), 201);
      }
      const mine = await api.get(`/api/bookings?instrumentId=${inst.id}&pageSize=2`, { token: otherEnt.token });
      expectStatus(mine, 200);
      expect(mine.body).to.include({ total: 3, page: 1, pageSize: 2 });
      expect(mine.body.items).to.have.length(2);
      const asProvider = await api.get(`/api/bookings?instrumentId=${inst.id}&status=pending`, { token: otherProvider.token });
      expect(asProvider.body.total).to.equal(3);
      const ranged = await api.get(`/api/bookings?instrumentId=${inst.id}&from=${encodeURIComponent(shanghai(d, "10:00"))}&to=${encodeURIComponent(shanghai(d, "11:00"))}`, { token: bureau });
      expect(ranged.body.total).to.equal(1);
      expect((await api.get(`/api/bookings?instrumentId=${inst.id}`, { token: ent.token })).body.total).to.equal(0);
      expectStatus(await api.get("/api/bookings?scope=all", { token: ent.token }), 403, "FORBIDDEN");
      expectStatus(await api.get("/api/bookings?scope=provider", { token: otherEnt.token }), 403, "FORBIDDEN");
    });
  });
});

// Packages as labs run them: a long hourly item runs over consecutive open blocks and days, every
// demo package can be scheduled and booked, and 30 racing bookings of a multi-day package never
// overlap on a unit and hold all of their claims or none.
import { expect } from "chai";
import { DateTime } from "luxon";
import { seedDemoCity } from "../../server/demo/seed";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument, publishPackage } from "../factories/catalog";
import { apiClient, type ApiClient, expectStatus } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

const ZONE = "Asia/Shanghai";
/** Weekdays 08:00–12:00 and 13:30–17:30, hour slots: 8 open hours a day in two blocks. */
const OFFICE_HOURS = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: "08:00", end: "12:00" },
  { weekday, start: "13:30", end: "17:30" },
]);

/** Monday 08:00 in Shanghai, `weeks` weeks after the coming one. */
function monday(weeks = 0): DateTime {
  return DateTime.now().setZone(ZONE).startOf("week").plus({ weeks: 1 + weeks }).set({ hour: 8 });
}
interface Part {
  start: string;
  end: string;
}
interface Item {
  instrumentId: string;
  start: string;
  end: string;
  unit: number;
  parts: Part[];
}
const fmt = (iso: string, f: string) => DateTime.fromISO(iso).setZone(ZONE).toFormat(f);
const partsText = (item: Item) => item.parts.map((p) => `${fmt(p.start, "ccc HH:mm")}–${fmt(p.end, "HH:mm")}`);


describe("package planning", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let provider: TestUser;
  let ent: TestUser;
  const claims = () => t.db.conn.collection("slot_claims");
  const book = (who: TestUser, body: Record<string, unknown>) => api.post("/api/bookings", body, { token: who.token });

  before(async () => {
    t = await startTestServer("package-plan");
    api = apiClient(t.baseUrl);
    const bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t?.stop());

  describe("an hourly item longer than one open block", () => {
    it("runs over consecutive open blocks and days: 960 minutes on 8 open hours a day take two days", async () => {
      const inst = await publishInstrument(api, provider, { openHours: OFFICE_HOURS, slotMinutes: 60 });
      const pkg = await publishPackage(api, provider, [{ instrumentId: inst.id, minutes: 960 }]);
      const start = monday(0).toISO()!;
      const preview = await api.get(`/api/packages/${pkg.id}/schedule?start=${encodeURIComponent(start)}`);
      expectStatus(preview, 200);
      const expected = ["Mon 08:00–12:00", "Mon 13:30–17:30", "Tue 08:00–12:00", "Tue 13:30–17:30"];
      expect(partsText(preview.body.items[0])).to.deep.equal(expected);

      const booked = await book(ent, { packageId: pkg.id, start });
      expectStatus(booked, 201);
      const item: Item = booked.body.items[0];
      expect(partsText(item)).to.deep.equal(expected);
      expect(item.start).to.equal(item.parts[0]!.start);
      expect(item.end).to.equal(item.parts.at(-1)!.end);
      // Still one claim per slot, `<instrumentId>:<slotStartISO>:<unit>`.
      const held = await claims().find({ bookingId: booked.body.id }).sort({ start: 1 }).toArray();
      expect(held).to.have.length(16);
      expect(held[0]!._id).to.equal(`${inst.id}:${monday(0).toUTC().toISO({ suppressMilliseconds: false })}:0`);
      const again = await api.get(`/api/bookings/${booked.body.id}`, { token: ent.token });
      expect(partsText(again.body.items[0])).to.deep.equal(expected);
    });

    it("never leaves a free open slot out inside an item: a booking in the middle pushes the item after it", async () => {
      const inst = await publishInstrument(api, provider, { openHours: OFFICE_HOURS, slotMinutes: 60 });
      const mon = monday(1);
      const other = await book(ent, { instrumentId: inst.id, start: mon.set({ hour: 13, minute: 30 }).toISO(), end: mon.set({ hour: 14, minute: 30 }).toISO() });
      expectStatus(other, 201);
      const pkg = await publishPackage(api, provider, [{ instrumentId: inst.id, minutes: 960 }]);
      const booked = await book(ent, { packageId: pkg.id, start: mon.toISO() });
      expectStatus(booked, 201);
      expect(partsText(booked.body.items[0])).to.deep.equal(["Mon 14:30–17:30", "Tue 08:00–12:00", "Tue 13:30–17:30", "Wed 08:00–12:00", "Wed 13:30–14:30"]);
    });

    it("runs around a maintenance window inside the item, and the booking keeps every part", async () => {
      const inst = await publishInstrument(api, provider, { openHours: OFFICE_HOURS, slotMinutes: 60 });
      const mon = monday(3);
      const window = await api.post(
        `/api/instruments/${inst.id}/blackouts`,
        { start: mon.set({ hour: 13, minute: 30 }).toISO(), end: mon.set({ hour: 17, minute: 30 }).toISO(), reason: "年度校准" },
        { token: provider.token },
      );
      expectStatus(window, 201);
      const pkg = await publishPackage(api, provider, [{ instrumentId: inst.id, minutes: 480 }]);
      const booked = await book(ent, { packageId: pkg.id, start: mon.toISO() });
      expectStatus(booked, 201);
      expect(partsText(booked.body.items[0])).to.deep.equal(["Mon 08:00–12:00", "Tue 08:00–12:00"]);
      expect(await claims().countDocuments({ bookingId: booked.body.id })).to.equal(8);
    });

    it("keeps an item that fits in one block in one block, and puts the buffer after the last part only", async () => {
      const inst = await publishInstrument(api, provider, { openHours: OFFICE_HOURS, slotMinutes: 60, rules: { bufferMinutes: 60 } });
      const pkg = await publishPackage(api, provider, [{ instrumentId: inst.id, minutes: 180 }, { instrumentId: inst.id, minutes: 600 }]);
      const booked = await book(ent, { packageId: pkg.id, start: monday(2).set({ hour: 10 }).toISO() });
      expectStatus(booked, 201);
      // 3 h do not fit 10:00–12:00: they wait for the afternoon block; the buffer 16:30–17:30 follows.
      expect(partsText(booked.body.items[0])).to.deep.equal(["Mon 13:30–16:30"]);
      // 10 h may be split, but not around the first item: Monday has no free slot after its buffer.
      expect(partsText(booked.body.items[1])).to.deep.equal(["Tue 08:00–12:00", "Tue 13:30–17:30", "Wed 08:00–10:00"]);
      const held = await claims().countDocuments({ bookingId: booked.body.id });
      expect(held).to.equal(3 + 1 + 10 + 1);
    });
  });

  describe("30 parallel bookings of one multi-day package", () => {
    it("never overlap on a unit, and each holds all of its claims or none", async () => {
      const [long, short] = await Promise.all([
        publishInstrument(api, provider, { openHours: OFFICE_HOURS, slotMinutes: 60, capacity: 2 }),
        publishInstrument(api, provider, { openHours: OFFICE_HOURS, slotMinutes: 60 }),
      ]);
      const pkg = await publishPackage(api, provider, [{ instrumentId: long.id, minutes: 960 }, { instrumentId: short.id, minutes: 120 }]);
      const start = monday(3).toISO();
      const results = await Promise.all(Array.from({ length: 30 }, () => book(ent, { packageId: pkg.id, start })));
      expect(results.filter((r) => r.status !== 201 && r.status !== 409), "only 201 or 409").to.deep.equal([]);
      const booked = results.filter((r) => r.status === 201).map((r) => r.body as { id: string; items: Item[] });
      expect(booked.length).to.be.greaterThan(10);

      const all = await claims().find({ instrumentId: { $in: [long.id, short.id] } }).toArray();
      const byBooking = new Map<string, number>();
      for (const c of all) byBooking.set(c.bookingId, (byBooking.get(c.bookingId) ?? 0) + 1);
      // All of its 16 + 2 claims for each booking, none for the losers.
      expect([...byBooking.keys()]).to.have.members(booked.map((b) => b.id));
      for (const b of booked) expect(byBooking.get(b.id), b.id).to.equal(18);

      // No two bookings' parts overlap on the same unit of the same instrument.
      const parts = booked.flatMap((b) => b.items.flatMap((i) => i.parts.map((p) => ({ key: `${i.instrumentId}:${i.unit}`, s: Date.parse(p.start), e: Date.parse(p.end), id: b.id }))));
      for (const a of parts) {
        const clash = parts.find((p) => p.id !== a.id && p.key === a.key && p.s < a.e && a.s < p.e);
        expect(clash, `${a.id} and ${clash?.id}`).to.equal(undefined);
      }
    });
  });

  describe("the 12 demo packages", () => {
    let demoEnt: TestUser;
    let packageIds: string[];

    before(async () => {
      const seeded = await seedDemoCity(t.db.conn);
      const login0 = seeded.logins.find((l) => l.role === "enterprise_admin" && !l.note)!;
      demoEnt = { id: "", email: login0.email, password: login0.password, token: await login(api, login0.email, login0.password) };
      packageIds = (await t.db.conn.collection("packages").find({ _id: { $regex: "^demo-pkg-" } } as never, { projection: { _id: 1 } }).toArray()).map((p) => String(p._id));
    });

    it("are 12", () => expect(packageIds).to.have.length(12));

    it("each proposes a schedule from next Monday 08:00 with every item placed, and books it for an approved enterprise", async () => {
      const start = monday(0).toISO()!;
      for (const id of packageIds.sort()) {
        const pkg = (await api.get(`/api/packages/${id}`)).body;
        const preview = await api.get(`/api/packages/${id}/schedule?start=${encodeURIComponent(start)}`);
        expect(preview.status, `${id} ${pkg.name}: ${JSON.stringify(preview.body)}`).to.equal(200);
        expect(preview.body.items, id).to.have.length(pkg.items.length);
        for (const item of preview.body.items as Item[]) expect(Date.parse(item.start), id).to.be.at.least(Date.parse(start));
        const booked = await book(demoEnt, { packageId: id, start });
        expect(booked.status, `${id} ${pkg.name}: ${JSON.stringify(booked.body)}`).to.equal(201);
        expect(booked.body.items, id).to.have.length(pkg.items.length);
      }
    });
  });
});

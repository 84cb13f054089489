// Booking detail (issue 11): a readable number decided by an insert, the provider's address and
// contact for delivering samples, and the parties of a booking.
import { expect } from "chai";
import { DateTime } from "luxon";
import { BookingNumbers, bookingNumberModel } from "../../server/modules/scheduling/booking-number";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { login, orgAdmin, orgMember, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";

const NUMBER = /^YY-\d{8}-\d{4,}$/;
const hh = (h: number) => `${String(8 + Math.floor(h / 2)).padStart(2, "0")}:${h % 2 ? "30" : "00"}`;
const CONTACT = { address: "山东省聊城市东昌府区花园北路 1 号 检测楼 3 层", contactPerson: "王工", phone: "0635-8123456", email: "Lab@Example.test", note: "工作日 9:00–17:00 收样" };

describe("booking detail", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let provider: TestUser;
  let ent: TestUser;
  before(async () => {
    t = await startTestServer("booking-detail");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    [provider, ent] = await Promise.all([orgAdmin(api, "provider", bureau), orgAdmin(api, "enterprise", bureau)]);
  });
  after(() => t.stop());

  const book = (who: TestUser, instrumentId: string, day: number, slot: number) =>
    api.post("/api/bookings", { instrumentId, start: shanghai(day, hh(slot)), end: shanghai(day, hh(slot + 1)) }, { token: who.token });

  describe("booking numbers", () => {
    it("200 parallel bookings on 10 instruments each get a distinct number YY-<creation day in Shanghai>-<n>", async () => {
      const instruments = await Promise.all(Array.from({ length: 10 }, () => publishInstrument(api, provider)));
      const results = await Promise.all(instruments.flatMap((inst) => Array.from({ length: 20 }, (_, k) => book(ent, inst.id, 2, k))));
      for (const r of results) expectStatus(r, 201);
      const numbers = results.map((r) => r.body.number as string);
      for (const n of numbers) expect(n).to.match(NUMBER);
      expect(new Set(numbers).size).to.equal(200);
      const today = DateTime.now().setZone("Asia/Shanghai").toFormat("yyyyLLdd");
      expect(numbers.every((n) => n.split("-")[1] === today)).to.equal(true);
      // Gap-tolerant but dense: one process hands them out from its counter.
      const seqs = numbers.map((n) => Number(n.split("-")[2])).sort((a, b) => a - b);
      expect(seqs[seqs.length - 1]! - seqs[0]!).to.equal(199);
      // Each number names its booking in booking_numbers (the insert that decided it).
      const doc = await t.db.conn.collection("booking_numbers").findOne({ _id: numbers[7] as never });
      expect(doc!.bookingId).to.equal(results[7]!.body.id);
    });

    it("two processes (two counters) racing 150 numbers each for one day get 300 distinct ones; a restarted one starts after the last", async () => {
      const model = bookingNumberModel(t.db.conn);
      const at = Date.parse("2031-05-04T02:00:00Z");
      const [a, b] = [new BookingNumbers(model), new BookingNumbers(model)];
      const numbers = await Promise.all(Array.from({ length: 300 }, (_, k) => (k % 2 ? a : b).assign(`b${k}`, at)));
      expect(new Set(numbers).size).to.equal(300);
      expect(numbers.every((n) => n.startsWith("YY-20310504-"))).to.equal(true);
      const restarted = await new BookingNumbers(model).assign("late", at);
      expect(Number(restarted.split("-")[2])).to.equal(301);
      // The day is the platform zone's: 2031-05-04T20:00Z is already the 5th in Shanghai.
      expect(await new BookingNumbers(model).assign("night", Date.parse("2031-05-04T20:00:00Z"))).to.equal("YY-20310505-0001");
    });

    it("shows on the list and the detail, and the list finds a booking by its number (in the caller's scope only)", async () => {
      const inst = await publishInstrument(api, provider);
      const made = await book(ent, inst.id, 3, 0);
      expectStatus(made, 201);
      const number = made.body.number as string;
      const detail = await api.get(`/api/bookings/${made.body.id}`, { token: ent.token });
      expect(detail.body.number).to.equal(number);
      const listed = await api.get(`/api/bookings?instrumentId=${inst.id}`, { token: provider.token });
      expect(listed.body.items[0].number).to.equal(number);
      for (const q of [number, number.toLowerCase(), ` ${number} `]) {
        const found = await api.get(`/api/bookings?number=${encodeURIComponent(q)}`, { token: ent.token });
        expect(found.body.items.map((b: { id: string }) => b.id), q).to.deep.equal([made.body.id]);
      }
      const other = await orgAdmin(api, "enterprise", bureau);
      const foreign = await api.get(`/api/bookings?number=${number}`, { token: other.token });
      expect(foreign.body).to.include({ total: 0 });
      const unknown = await api.get(`/api/bookings?number=YY-20000101-9999`, { token: ent.token });
      expect(unknown.body).to.include({ total: 0 });
      expectStatus(await api.get(`/api/bookings?number=${"Y".repeat(41)}`, { token: ent.token }), 400, "VALIDATION_FAILED");
    });

    it("a booking made before numbers existed still shows, without a number", async () => {
      const inst = await publishInstrument(api, provider);
      const made = await book(ent, inst.id, 3, 4);
      const id = made.body.id as string;
      await t.db.conn.collection("events").updateOne({ _id: `${id}:1` as never }, { $unset: { "data.number": "" } });
      await t.db.conn.collection("bookings").updateOne({ _id: id as never }, { $unset: { number: "" } });
      const detail = await api.get(`/api/bookings/${id}`, { token: ent.token });
      expectStatus(detail, 200);
      expect(detail.body).not.to.have.property("number");
      expectStatus(await api.get(`/api/bookings/${id}/parties`, { token: ent.token }), 200);
    });
  });

  describe("the provider's address and contact", () => {
    const put = (who: TestUser, providerId: string, body: unknown) => api.call("PUT", `/api/providers/${providerId}/contact`, { token: who.token, json: body });

    it("its admin sets it (texts trimmed, email lower-cased); the booking's parties show it with the instrument's location and zone", async () => {
      expect((await api.get(`/api/providers/${provider.orgId}/contact`, { token: ent.token })).body).to.deep.equal({ contact: null });
      const res = await put(provider, provider.orgId!, { ...CONTACT, contactPerson: "  王工 " });
      expectStatus(res, 200);
      expect(res.body).to.include({ providerId: provider.orgId, contactPerson: "王工", email: "lab@example.test", phone: "0635-8123456" });
      const inst = await publishInstrument(api, provider, { location: "3 号楼 201 室", timezone: "Asia/Urumqi" });
      const made = await book(ent, inst.id, 4, 8); // 12:00 in Shanghai, 10:00 in Urumqi
      expectStatus(made, 201);
      const parties = await api.get(`/api/bookings/${made.body.id}/parties`, { token: ent.token });
      expectStatus(parties, 200);
      expect(parties.body.enterprise.id).to.equal(ent.orgId);
      expect(parties.body.providers).to.have.length(1);
      expect(parties.body.providers[0]).to.deep.include({ id: provider.orgId });
      expect(parties.body.providers[0].contact).to.include({ address: CONTACT.address, phone: CONTACT.phone, note: CONTACT.note });
      expect(parties.body.instruments).to.deep.equal([{ id: inst.id, name: inst.name, location: "3 号楼 201 室", timezone: "Asia/Urumqi" }]);
      // The provider's side and the bureau see the same; another enterprise does not see the booking.
      expectStatus(await api.get(`/api/bookings/${made.body.id}/parties`, { token: provider.token }), 200);
      expectStatus(await api.get(`/api/bookings/${made.body.id}/parties`, { token: bureau }), 200);
      const other = await orgAdmin(api, "enterprise", bureau);
      expectStatus(await api.get(`/api/bookings/${made.body.id}/parties`, { token: other.token }), 404, "NOT_FOUND");
    });

    it("refuses bad input with 400 and the failing fields, and keeps what was there", async () => {
      const own = await orgAdmin(api, "provider", bureau);
      expectStatus(await put(own, own.orgId!, CONTACT), 200);
      const bad: [Record<string, unknown>, string][] = [
        [{ ...CONTACT, phone: "call me" }, "/phone"],
        [{ ...CONTACT, phone: "1" }, "/phone"],
        [{ ...CONTACT, email: "not-an-email" }, "/email"],
        [{ ...CONTACT, address: "   " }, "/address"],
        [{ ...CONTACT, contactPerson: "\u200b" }, "/contactPerson"],
        [{ ...CONTACT, address: "x".repeat(201) }, "/address"],
        [{ ...CONTACT, website: "x" }, ""],
        [{ address: CONTACT.address }, ""],
      ];
      for (const [body, field] of bad) {
        const res = await put(own, own.orgId!, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.code).to.equal("VALIDATION_FAILED");
        if (field) expect(res.body.error.fields.map((f: { field: string }) => f.field).join(), JSON.stringify(body)).to.include(field);
      }
      const kept = await api.get(`/api/providers/${own.orgId}/contact`, { token: own.token });
      expect(kept.body.contact).to.include({ address: CONTACT.address, phone: CONTACT.phone });
    });

    it("only its own admin may set it: staff get 403, another provider's admin 404; a pending provider's contact is hidden from others", async () => {
      const staff = await orgMember(api, provider, "provider_staff");
      expectStatus(await put(staff, provider.orgId!, CONTACT), 403, "FORBIDDEN");
      const other = await orgAdmin(api, "provider", bureau);
      expectStatus(await put(other, provider.orgId!, CONTACT), 404, "NOT_FOUND");
      expectStatus(await put(ent, provider.orgId!, CONTACT), 403, "FORBIDDEN");
      const pending = await orgAdmin(api, "provider");
      expectStatus(await put(pending, pending.orgId!, CONTACT), 200);
      expectStatus(await api.get(`/api/providers/${pending.orgId}/contact`, { token: ent.token }), 404, "NOT_FOUND");
      expectStatus(await api.get(`/api/providers/${pending.orgId}/contact`, { token: bureau }), 200);
      expectStatus(await api.get(`/api/providers/${provider.orgId}/contact`), 401, "UNAUTHENTICATED");
    });
  });
});

// The catalog end to end over real HTTP and the embedded database: publishing and editing
// instruments, who may change what, validation, maintenance windows, packaged services and their
// prices, and search (text, filters, facets, paging) — including from a second server process.
import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { CATEGORIES } from "../../shared/enums";
import { createLogger } from "../../server/logger";
import { startServer, type RunningServer } from "../../server/server";
import { eventId } from "../../server/db/event-store";
import { CatalogChangeLog } from "../../server/modules/catalog/changes";
import { startTestServer, type TestServer } from "../support/server";
import { apiClient, type ApiClient } from "../support/http";
import { login, orgAdmin, orgMember, registerUser, type TestUser } from "../factories/accounts";

/** A valid instrument body: weekday mornings and afternoons, hourly price. */
function instrumentBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `原子吸收光谱仪 ${randomBytes(3).toString("hex")}`,
    nameEn: "Atomic Absorption Spectrometer",
    model: "AA-7000",
    manufacturer: "Shimadzu",
    category: "analytical",
    description: "火焰与石墨炉原子化，测定金属元素含量。",
    location: "检测大楼 301",
    priceFen: 30000,
    priceUnit: "hour",
    openHours: [
      { weekday: 1, start: "08:30", end: "12:00" },
      { weekday: 1, start: "13:30", end: "17:30" },
      { weekday: 2, start: "08:30", end: "12:00" },
    ],
    originalValueFen: 85_000_000,
    ...overrides,
  };
}

const facetMap = (list: { value: string; count: number }[]) => Object.fromEntries(list.map((f) => [f.value, f.count]));

describe("catalog", function () {
  let t: TestServer;
  let api: ApiClient;
  let bureau: string;
  let providerA: TestUser; // approved provider admin
  let staffA: TestUser; // staff of the same provider
  let providerB: TestUser; // another approved provider
  let enterprise: TestUser;

  const countInstruments = (filter: Record<string, unknown>) => t.db.conn.collection("instruments").countDocuments(filter);

  async function publish(owner: TestUser, overrides: Record<string, unknown> = {}) {
    const res = await api.post("/api/instruments", instrumentBody(overrides), { token: owner.token });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  before(async () => {
    t = await startTestServer("catalog");
    api = apiClient(t.baseUrl);
    bureau = await login(api, t.admin.email, t.admin.password);
    providerA = await orgAdmin(api, "provider", bureau);
    staffA = await orgMember(api, providerA, "provider_staff");
    providerB = await orgAdmin(api, "provider", bureau);
    enterprise = await orgAdmin(api, "enterprise", bureau);
  });
  after(() => t.stop());

  describe("categories", () => {
    it("lists every category code with its Chinese and English name, to anyone", async () => {
      const res = await api.get("/api/categories");
      expect(res.status).to.equal(200);
      expect(res.body.items).to.have.length(CATEGORIES.length);
      expect(res.body.items[0]).to.deep.equal({ code: "analytical", zh: "分析仪器", en: "Analytical instruments" });
    });
  });

  describe("publishing and editing instruments", () => {
    it("publishes for the caller's provider with defaults, and anyone reads it back", async () => {
      const body = instrumentBody();
      const res = await api.post("/api/instruments", body, { token: providerA.token });
      expect(res.status).to.equal(201);
      const { openHours, ...scalars } = body;
      expect(res.body).to.include({
        ...scalars,
        providerId: providerA.orgId,
        providerKind: "municipal_lab",
        county: "dongchangfu",
        timezone: "Asia/Shanghai",
        slotMinutes: 30,
        capacity: 1,
        status: "active",
      });
      expect(res.body.openHours).to.deep.equal(openHours);
      expect(res.body.providerName).to.match(/^测试检测中心/);
      expect(res.body).to.not.have.property("searchText");
      const read = await api.get(`/api/instruments/${res.body.id}`);
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal(res.body);
    });

    it("lets the provider's staff change it; fields not sent stay as they were", async () => {
      const inst = await publish(providerA);
      const res = await api.patch(`/api/instruments/${inst.id}`, { priceFen: 32000, location: " 检测大楼 402 " }, { token: staffA.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ priceFen: 32000, location: "检测大楼 402", name: inst.name, model: inst.model });
      expect(Date.parse(res.body.updatedAt)).to.be.greaterThan(Date.parse(inst.updatedAt));
    });

    it("emits instrument.changed after each write", async () => {
      const seen: unknown[] = [];
      const off = t.server.services.bus.on("instrument.changed", (p) => seen.push(p));
      try {
        const inst = await publish(providerA);
        await api.patch(`/api/instruments/${inst.id}`, { capacity: 2 }, { token: providerA.token });
        expect(seen).to.deep.equal([
          { instrumentId: inst.id, providerId: providerA.orgId },
          { instrumentId: inst.id, providerId: providerA.orgId },
        ]);
      } finally {
        off();
      }
    });

    it("answers 404 for an unknown instrument", async () => {
      expect((await api.get("/api/instruments/nope")).status).to.equal(404);
      const res = await api.patch("/api/instruments/nope", { capacity: 2 }, { token: providerA.token });
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal("NOT_FOUND");
    });

    it("keeps a retired instrument readable but out of the default search", async () => {
      const inst = await publish(providerA);
      const res = await api.patch(`/api/instruments/${inst.id}`, { status: "retired" }, { token: providerA.token });
      expect(res.body.status).to.equal("retired");
      expect((await api.get(`/api/instruments/${inst.id}`)).body.status).to.equal("retired");
      const repriced = await api.patch(`/api/instruments/${inst.id}`, { priceFen: 1000 }, { token: providerA.token });
      expect(repriced.body, "a PATCH changes only what it sends").to.include({ status: "retired", priceFen: 1000 });
      const listed = await api.get(`/api/instruments?providerId=${providerA.orgId}&pageSize=100`);
      expect(listed.body.items.map((i: { id: string }) => i.id)).to.not.include(inst.id);
      const retired = await api.get(`/api/instruments?providerId=${providerA.orgId}&status=retired&pageSize=100`);
      expect(retired.body.items.map((i: { id: string }) => i.id)).to.include(inst.id);
    });

    it("loses no field when several edits of one instrument race", async () => {
      const inst = await publish(providerA);
      const edits = [{ priceFen: 41000 }, { capacity: 3 }, { location: "B 楼" }, { model: "AA-9000" }, { description: "新描述" }];
      const results = await Promise.all(edits.map((e) => api.patch(`/api/instruments/${inst.id}`, e, { token: staffA.token })));
      expect(results.map((r) => r.status)).to.deep.equal(edits.map(() => 200));
      const final = await api.get(`/api/instruments/${inst.id}`);
      expect(final.body).to.include(Object.assign({}, ...edits));
      const history = await t.db.conn.collection("events").find({ aggregateId: inst.id, type: "revised" }).toArray();
      expect(history.map((e) => e.data.fields).flat().sort()).to.deep.equal(
        ["capacity", "description", "location", "model", "priceFen", "searchText", "searchText"].sort(),
      );
    });

    it("applies an edit whose document write a crash interrupted on the next read", async () => {
      const inst = await publish(providerA);
      const stored = await t.db.conn.collection("instruments").findOne({ _id: inst.id as never });
      const revision = (stored!.updatedAt as Date).getTime();
      // The edit's decision (its event) landed, the process died before writing the document.
      await t.db.conn.collection("events").insertOne({
        _id: eventId(inst.id, revision) as never,
        aggregateId: inst.id,
        seq: revision,
        type: "revised",
        data: { set: { priceFen: 12345, updatedAt: new Date(revision + 5) } },
        actorId: providerA.id,
        at: new Date(),
      });
      expect((await api.get(`/api/instruments/${inst.id}`)).body.priceFen).to.equal(12345);
      const next = await api.patch(`/api/instruments/${inst.id}`, { capacity: 4 }, { token: providerA.token });
      expect(next.body).to.include({ priceFen: 12345, capacity: 4 });
      expect((await t.db.conn.collection("instruments").findOne({ _id: inst.id as never }))!.priceFen).to.equal(12345);
    });
  });

  describe("who may change an instrument", () => {
    let inst: { id: string };
    before(async () => {
      inst = await publish(providerA);
    });

    it("answers 401 to anonymous writes and lets anonymous callers read", async () => {
      expect((await api.post("/api/instruments", instrumentBody())).status).to.equal(401);
      expect((await api.patch(`/api/instruments/${inst.id}`, { capacity: 2 })).status).to.equal(401);
      expect((await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z", reason: "x" })).status).to.equal(401);
      expect((await api.get(`/api/instruments/${inst.id}`)).status).to.equal(200);
    });

    it("answers 403 to an enterprise and to a user without an organization", async () => {
      const loner = await registerUser(api);
      for (const token of [enterprise.token, loner.token]) {
        const create = await api.post("/api/instruments", instrumentBody(), { token });
        expect(create.status).to.equal(403);
        expect(create.body.error.code).to.equal("FORBIDDEN");
        expect((await api.patch(`/api/instruments/${inst.id}`, { capacity: 2 }, { token })).status).to.equal(403);
      }
    });

    it("answers 403 to another provider, and a provider cannot publish in another's name", async () => {
      const res = await api.patch(`/api/instruments/${inst.id}`, { priceFen: 1 }, { token: providerB.token });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal("FORBIDDEN");
      const name = `冒名仪器 ${randomBytes(3).toString("hex")}`;
      const spoof = await api.post("/api/instruments", instrumentBody({ name, providerId: providerA.orgId }), { token: providerB.token });
      expect(spoof.status).to.equal(403);
      expect(await countInstruments({ name })).to.equal(0);
      expect((await api.get(`/api/instruments/${inst.id}`)).body.priceFen).to.equal(30000);
    });

    it("lets the bureau publish on a provider's behalf and change any instrument", async () => {
      const created = await api.post("/api/instruments", instrumentBody({ providerId: providerB.orgId }), { token: bureau });
      expect(created.status).to.equal(201);
      expect(created.body.providerId).to.equal(providerB.orgId);
      const edited = await api.patch(`/api/instruments/${inst.id}`, { capacity: 5 }, { token: bureau });
      expect(edited.status).to.equal(200);
      expect(edited.body.capacity).to.equal(5);
    });

    it("asks the bureau which provider it publishes for", async () => {
      const missing = await api.post("/api/instruments", instrumentBody(), { token: bureau });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.fields).to.deep.include({ field: "/body/providerId", rule: "required", message: missing.body.error.fields[0].message });
      const unknown = await api.post("/api/instruments", instrumentBody({ providerId: "no-such-provider" }), { token: bureau });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error.fields[0].field).to.equal("/body/providerId");
    });

    it("answers 403 PROVIDER_NOT_APPROVED to a provider still pending review, and writes nothing", async () => {
      const pending = await orgAdmin(api, "provider");
      const res = await api.post("/api/instruments", instrumentBody(), { token: pending.token, headers: { "accept-language": "en" } });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal("PROVIDER_NOT_APPROVED");
      expect(res.body.error.message).to.match(/not approved/);
      const onBehalf = await api.post("/api/instruments", instrumentBody({ providerId: pending.orgId }), { token: bureau });
      expect(onBehalf.body.error.code).to.equal("PROVIDER_NOT_APPROVED");
      expect(await countInstruments({ providerId: pending.orgId })).to.equal(0);
    });
  });

  describe("validation beyond the schema", () => {
    async function expectInvalid(body: Record<string, unknown>, fields: { field: string; rule: string }[]) {
      const name = `无效仪器 ${randomBytes(4).toString("hex")}`;
      const res = await api.post("/api/instruments", instrumentBody({ ...body, name }), { token: providerA.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.code).to.equal("VALIDATION_FAILED");
      expect(res.body.error.fields.map((f: { field: string; rule: string }) => ({ field: f.field, rule: f.rule }))).to.deep.equal(fields);
      expect(await countInstruments({ name }), "nothing written").to.equal(0);
    }

    it("refuses a time zone that is not an IANA zone", async () => {
      await expectInvalid({ timezone: "Mars/Olympus_Mons" }, [{ field: "/body/timezone", rule: "timezone" }]);
    });

    it("accepts another IANA zone and an opening range that ends at 24:00", async () => {
      const inst = await publish(providerA, { timezone: "Europe/Berlin", openHours: [{ weekday: 6, start: "18:00", end: "24:00" }] });
      expect(inst).to.include({ timezone: "Europe/Berlin" });
    });

    it("refuses an opening range that ends before it starts, pointing at it", async () => {
      await expectInvalid(
        { openHours: [{ weekday: 1, start: "08:00", end: "12:00" }, { weekday: 3, start: "14:00", end: "09:00" }] },
        [{ field: "/body/openHours/1/end", rule: "afterStart" }],
      );
    });

    it("refuses overlapping ranges on one weekday but not touching ones or other weekdays", async () => {
      await expectInvalid(
        {
          openHours: [
            { weekday: 2, start: "08:00", end: "18:00" },
            { weekday: 3, start: "08:00", end: "12:00" },
            { weekday: 2, start: "09:00", end: "10:00" },
            { weekday: 2, start: "17:00", end: "19:00" },
          ],
        },
        [
          { field: "/body/openHours/2", rule: "overlap" },
          { field: "/body/openHours/3", rule: "overlap" },
        ],
      );
      await publish(providerA, { openHours: [{ weekday: 2, start: "08:00", end: "12:00" }, { weekday: 2, start: "12:00", end: "18:00" }] });
    });

    it("refuses a range that is not a whole number of slots", async () => {
      await expectInvalid({ slotMinutes: 60, openHours: [{ weekday: 1, start: "08:00", end: "11:30" }] }, [
        { field: "/body/openHours/0/end", rule: "slotAligned" },
      ]);
    });

    it("refuses malformed times and unknown fields through the schema", async () => {
      await expectInvalid({ openHours: [{ weekday: 8, start: "8:00", end: "12:00" }], color: "red" }, [
        { field: "/body/color", rule: "additionalProperties" },
        { field: "/body/openHours/0/weekday", rule: "maximum" },
        { field: "/body/openHours/0/start", rule: "pattern" },
      ]);
    });

    it("checks an edit against the stored instrument and leaves it unchanged when it fails", async () => {
      const inst = await publish(providerA);
      const res = await api.patch(`/api/instruments/${inst.id}`, { slotMinutes: 45, name: "改名" }, { token: providerA.token });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).to.include("/body/slotMinutes");
      const tz = await api.patch(`/api/instruments/${inst.id}`, { timezone: "Asia/Beijing" }, { token: providerA.token });
      expect(tz.body.error.fields[0]).to.include({ field: "/body/timezone", rule: "timezone" });
      expect((await api.get(`/api/instruments/${inst.id}`)).body).to.deep.equal(inst);
    });
  });

  describe("maintenance windows (blackouts)", () => {
    let inst: { id: string };
    before(async () => {
      inst = await publish(providerA);
    });

    it("adds, lists by start (publicly) and removes windows", async () => {
      const later = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-03-10T00:00:00Z", end: "2030-03-12T00:00:00Z", reason: "年度校准" }, { token: staffA.token });
      expect(later.status, JSON.stringify(later.body)).to.equal(201);
      expect(later.body).to.include({ instrumentId: inst.id, start: "2030-03-10T00:00:00.000Z", end: "2030-03-12T00:00:00.000Z", reason: "年度校准" });
      const sooner = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-03-01T08:00:00+08:00", end: "2030-03-01T18:00:00+08:00", reason: "更换灯管" }, { token: bureau });
      expect(sooner.status).to.equal(201);
      const list = await api.get(`/api/instruments/${inst.id}/blackouts`);
      expect(list.status).to.equal(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).to.deep.equal([sooner.body.id, later.body.id]);
      expect(list.body.items[0].start).to.equal("2030-03-01T00:00:00.000Z");
      const del = await api.call("DELETE", `/api/instruments/${inst.id}/blackouts/${sooner.body.id}`, { token: providerA.token });
      expect(del.status).to.equal(200);
      expect(del.body).to.deep.equal({ ok: true });
      expect((await api.get(`/api/instruments/${inst.id}/blackouts`)).body.items).to.have.length(1);
      const again = await api.call("DELETE", `/api/instruments/${inst.id}/blackouts/${sooner.body.id}`, { token: providerA.token });
      expect(again.status).to.equal(404);
    });

    it("refuses a window that ends before it starts or lasts more than 366 days, and writes nothing", async () => {
      const before = (await api.get(`/api/instruments/${inst.id}/blackouts`)).body.items.length;
      const backwards = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-05-02T00:00:00Z", end: "2030-05-01T00:00:00Z", reason: "x" }, { token: providerA.token });
      expect(backwards.status).to.equal(400);
      expect(backwards.body.error.fields).to.have.length(1);
      expect(backwards.body.error.fields[0]).to.include({ field: "/body/end", rule: "afterStart" });
      const long = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-01-01T00:00:00Z", end: "2031-01-03T00:00:00Z", reason: "大修" }, { token: providerA.token });
      expect(long.status).to.equal(400);
      expect(long.body.error.fields[0]).to.include({ field: "/body/end", rule: "maxDuration" });
      const blank = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-01-01T00:00:00Z", end: "2030-01-02T00:00:00Z", reason: "  " }, { token: providerA.token });
      expect(blank.body.error.fields[0]).to.include({ field: "/body/reason" });
      const notADate = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "tomorrow", end: "2030-01-02T00:00:00Z", reason: "x" }, { token: providerA.token });
      expect(notADate.body.error.fields[0]).to.include({ field: "/body/start", rule: "format" });
      expect((await api.get(`/api/instruments/${inst.id}/blackouts`)).body.items).to.have.length(before);
    });

    it("answers 403 to another provider and 404 for another instrument's window", async () => {
      const window = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-06-01T00:00:00Z", end: "2030-06-02T00:00:00Z", reason: "检修" }, { token: providerA.token });
      const other = await api.post(`/api/instruments/${inst.id}/blackouts`, { start: "2030-06-01T00:00:00Z", end: "2030-06-02T00:00:00Z", reason: "检修" }, { token: providerB.token });
      expect(other.status).to.equal(403);
      expect((await api.call("DELETE", `/api/instruments/${inst.id}/blackouts/${window.body.id}`, { token: providerB.token })).status).to.equal(403);
      const elsewhere = await publish(providerA);
      expect((await api.call("DELETE", `/api/instruments/${elsewhere.id}/blackouts/${window.body.id}`, { token: providerA.token })).status).to.equal(404);
      expect((await api.get("/api/instruments/nope/blackouts")).status).to.equal(404);
    });
  });

  describe("packaged services (打包服务)", () => {
    let hourly: { id: string; name: string };
    let perSample: { id: string };
    let partner: { id: string };

    before(async () => {
      hourly = await publish(providerA, { priceFen: 30000, priceUnit: "hour" });
      perSample = await publish(providerA, { name: `金相显微镜 ${randomBytes(2).toString("hex")}`, priceFen: 8000, priceUnit: "sample" });
      partner = await publish(providerB, { name: `扫描电子显微镜 ${randomBytes(2).toString("hex")}`, priceFen: 12345, priceUnit: "hour" });
    });

    const packageBody = (overrides: Record<string, unknown> = {}) => ({
      name: `轴承钢标准起草套餐 ${randomBytes(3).toString("hex")}`,
      description: "标准起草所需的成分、金相与断口分析",
      purpose: "standard_drafting",
      items: [
        { instrumentId: hourly.id, minutes: 90 },
        { instrumentId: perSample.id, samples: 12 },
        { instrumentId: partner.id, minutes: 50 },
      ],
      priceFen: 120000,
      ...overrides,
    });

    it("prices each item on its own, sums them, and shows the savings and the applications it replaces", async () => {
      const res = await api.post("/api/packages", packageBody(), { token: providerA.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      // 30000 × 90 / 60 = 45000; 8000 × 12 = 96000; 12345 × 50 / 60 = 10287.5 → 10288 (half up)
      expect(res.body.items.map((i: { listPriceFen: number }) => i.listPriceFen)).to.deep.equal([45000, 96000, 10288]);
      expect(res.body).to.include({ listPriceFen: 151288, priceFen: 120000, savingsFen: 31288, applicationsReplaced: 3 });
      expect(res.body.items[2]).to.deep.include({ instrumentId: partner.id, providerId: providerB.orgId, priceFen: 12345, priceUnit: "hour", minutes: 50 });
      expect(res.body.items[1]).to.include({ samples: 12, priceUnit: "sample" }).and.not.have.property("minutes");
      expect(res.body).to.include({ providerId: providerA.orgId, status: "active", purpose: "standard_drafting" });
      const read = await api.get(`/api/packages/${res.body.id}`);
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal(res.body);
    });

    it("follows the instruments' current prices and its own price changes", async () => {
      const inst = await publish(providerA, { priceFen: 6000, priceUnit: "hour" });
      const pkg = (await api.post("/api/packages", packageBody({ items: [{ instrumentId: inst.id, minutes: 45 }], priceFen: 4000 }), { token: providerA.token })).body;
      expect(pkg).to.include({ listPriceFen: 4500, savingsFen: 500, applicationsReplaced: 1 });
      await api.patch(`/api/instruments/${inst.id}`, { priceFen: 7001 }, { token: providerA.token });
      // 7001 × 45 / 60 = 5250.75 → 5251
      expect((await api.get(`/api/packages/${pkg.id}`)).body).to.include({ listPriceFen: 5251, savingsFen: 1251 });
      const cheaper = await api.patch(`/api/packages/${pkg.id}`, { priceFen: 3000 }, { token: staffA.token });
      expect(cheaper.status).to.equal(200);
      expect(cheaper.body).to.include({ priceFen: 3000, listPriceFen: 5251, savingsFen: 2251 });
      const found = await api.get(`/api/packages?q=${encodeURIComponent(pkg.name)}`);
      expect(found.body.items[0]).to.include({ id: pkg.id, listPriceFen: 5251, savingsFen: 2251 });
    });

    it("needs minutes for an hourly instrument and samples for a per-sample one, and writes nothing otherwise", async () => {
      const name = `缺数量套餐 ${randomBytes(3).toString("hex")}`;
      const res = await api.post(
        "/api/packages",
        packageBody({
          name,
          items: [
            { instrumentId: hourly.id },
            { instrumentId: perSample.id, minutes: 30 },
            { instrumentId: "no-such-instrument", minutes: 30 },
            { instrumentId: hourly.id, minutes: 60, samples: 2 },
          ],
        }),
        { token: providerA.token },
      );
      expect(res.status).to.equal(400);
      expect(res.body.error.fields.map((f: { field: string; rule: string }) => `${f.field} ${f.rule}`)).to.deep.equal([
        "/body/items/0/minutes required",
        "/body/items/1/samples required",
        "/body/items/2/instrumentId exists",
        "/body/items/3/samples notApplicable",
      ]);
      expect(await t.db.conn.collection("packages").countDocuments({ name })).to.equal(0);
    });

    it("refuses a retired instrument, and changing the price unit of an instrument in a package", async () => {
      const old = await publish(providerB, { status: "retired" });
      const res = await api.post("/api/packages", packageBody({ items: [{ instrumentId: old.id, minutes: 60 }] }), { token: providerA.token });
      expect(res.status).to.equal(400);
      expect(res.body.error.fields[0]).to.include({ field: "/body/items/0/instrumentId", rule: "inService" });
      const unit = await api.patch(`/api/instruments/${partner.id}`, { priceUnit: "sample" }, { token: providerB.token });
      expect(unit.status).to.equal(409);
      expect(unit.body.error.code).to.equal("PRICE_UNIT_IN_USE");
    });

    it("lets only its provider and the bureau change it, and a pending provider publish none", async () => {
      const pkg = (await api.post("/api/packages", packageBody(), { token: providerA.token })).body;
      const other = await api.patch(`/api/packages/${pkg.id}`, { priceFen: 1 }, { token: providerB.token });
      expect(other.status).to.equal(403);
      expect((await api.patch(`/api/packages/${pkg.id}`, { priceFen: 1 }, { token: enterprise.token })).status).to.equal(403);
      expect((await api.patch(`/api/packages/${pkg.id}`, { priceFen: 1 })).status).to.equal(401);
      const byBureau = await api.patch(`/api/packages/${pkg.id}`, { status: "retired" }, { token: bureau });
      expect(byBureau.body).to.include({ status: "retired", priceFen: 120000 });
      const repriced = await api.patch(`/api/packages/${pkg.id}`, { priceFen: 110000 }, { token: staffA.token });
      expect(repriced.body, "a PATCH changes only what it sends").to.include({ status: "retired", priceFen: 110000 });
      const pending = await orgAdmin(api, "provider");
      const refused = await api.post("/api/packages", packageBody(), { token: pending.token });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal("PROVIDER_NOT_APPROVED");
      expect((await api.get("/api/packages/nope")).status).to.equal(404);
    });

    it("replaces the items on an edit and reprices", async () => {
      const pkg = (await api.post("/api/packages", packageBody(), { token: providerA.token })).body;
      const res = await api.patch(`/api/packages/${pkg.id}`, { items: [{ instrumentId: perSample.id, samples: 3 }] }, { token: providerA.token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ listPriceFen: 24000, savingsFen: 24000 - 120000, applicationsReplaced: 1 });
    });

    it("is found by its name and by its instruments' names, with purpose facets; retired ones only when asked", async () => {
      const marker = `pk${randomBytes(4).toString("hex")}`;
      const drafting = (await api.post("/api/packages", packageBody({ description: marker }), { token: providerA.token })).body;
      const failure = (await api.post("/api/packages", packageBody({ name: `失效分析 ${marker}`, purpose: "failure_analysis", items: [{ instrumentId: partner.id, minutes: 120 }], priceFen: 20000 }), { token: providerB.token })).body;
      const retired = (await api.post("/api/packages", packageBody({ description: marker, status: "retired" }), { token: providerA.token })).body;

      const all = await api.get(`/api/packages?q=${marker}&sort=name`);
      expect(all.status).to.equal(200);
      expect(all.body.items.map((p: { id: string }) => p.id).sort()).to.deep.equal([drafting.id, failure.id].sort());
      expect(facetMap(all.body.facets.purpose)).to.deep.equal({ standard_drafting: 1, failure_analysis: 1 });

      const chosen = await api.get(`/api/packages?q=${marker}&purpose=failure_analysis`);
      expect(chosen.body.items.map((p: { id: string }) => p.id)).to.deep.equal([failure.id]);
      expect(facetMap(chosen.body.facets.purpose), "other purposes still counted").to.deep.equal({ standard_drafting: 1, failure_analysis: 1 });

      const byInstrument = await api.get(`/api/packages?q=${encodeURIComponent(`${marker} 扫描电子`)}`);
      expect(byInstrument.body.items.map((p: { id: string }) => p.id).sort()).to.deep.equal([drafting.id, failure.id].sort());

      const old = await api.get(`/api/packages?q=${marker}&status=retired`);
      expect(old.body.items.map((p: { id: string }) => p.id)).to.deep.equal([retired.id]);
    });
  });

  describe("search", () => {
    const marker = `zq${randomBytes(4).toString("hex")}`;
    let uni: TestUser; // an approved university in another county
    const ids: Record<string, string> = {};

    const search = async (params: Record<string, string | number>) => {
      const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
      const res = await api.get(`/api/instruments?${qs}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body;
    };
    const names = (body: { items: { id: string }[] }) => body.items.map((i) => Object.keys(ids).find((k) => ids[k] === i.id));

    before(async () => {
      uni = await registerUser(api, "uni");
      const org = await api.post("/api/providers", { name: `聊城大学测试中心 ${marker}`, kind: "university", county: "linqing" }, { token: uni.token });
      await api.post(`/api/providers/${org.body.id}/review`, { decision: "approve" }, { token: bureau });
      uni.orgId = org.body.id;
      const add = async (key: string, owner: TestUser, body: Record<string, unknown>) => {
        ids[key] = (await publish(owner, { description: `${marker} 共享仪器`, ...body })).id;
      };
      await add("aas", providerA, { name: "原子吸收光谱仪", nameEn: "Atomic Absorption Spectrometer", model: "AA-7000", priceFen: 20000 });
      await add("ftir", providerA, { name: "傅里叶红外光谱仪", nameEn: "FTIR Spectrometer", model: "Nicolet iS50", priceFen: 15000 });
      await add("sem", providerA, { name: "扫描电子显微镜", nameEn: "Scanning Electron Microscope", model: "JSM-IT500 SEM", manufacturer: "JEOL", priceFen: 50000 });
      await add("utm", providerA, { name: "万能材料试验机", nameEn: "Universal Testing Machine", category: "physical_property", priceFen: 8000 });
      await add("cmm", providerA, { name: "三坐标测量机", nameEn: "Coordinate Measuring Machine", category: "metrology", priceFen: 15000, status: "maintenance" });
      await add("uv", providerA, { name: "紫外可见光谱仪", nameEn: "UV-Vis Spectrometer", priceFen: 9000, status: "retired" });
      await add("raman", uni, { name: "激光拉曼光谱仪", nameEn: "Raman Spectrometer", model: "LabRAM", priceFen: 30000 });
      await add("tem", uni, { name: "透射电子显微镜", nameEn: "Transmission Electron Microscope", model: "JEM-2100", priceFen: 15000 });
    });

    it("finds Chinese by substring: 光谱 finds 原子吸收光谱仪 and the other spectrometers in service", async () => {
      const body = await search({ q: `光谱 ${marker}` });
      expect(names(body).sort()).to.deep.equal(["aas", "ftir", "raman"]);
      expect(body.total).to.equal(3);
    });

    it("finds English without regard to case or full-width letters, in names and models", async () => {
      for (const q of ["spectrometer", "SPECTROMETER", "Spectro"]) {
        expect(names(await search({ q: `${q} ${marker}` })).sort(), q).to.deep.equal(["aas", "ftir", "raman"]);
      }
      expect(names(await search({ q: `ＳＥＭ ${marker}` }))).to.deep.equal(["sem"]);
      expect(names(await search({ q: `jem-2100 ${marker}` }))).to.deep.equal(["tem"]);
      expect(names(await search({ q: `jeol ${marker}` }))).to.deep.equal(["sem"]);
    });

    it("requires every term to match", async () => {
      expect(names(await search({ q: `电子 显微镜 ${marker}` })).sort()).to.deep.equal(["sem", "tem"]);
      expect((await search({ q: `电子 光谱 ${marker}` })).total).to.equal(0);
    });

    it("ranks a name match above a description match", async () => {
      const other = await publish(providerA, { name: "离子色谱仪", nameEn: "", model: "", description: `${marker} 可配合光谱仪使用` });
      ids.ic = other.id;
      const body = await search({ q: `光谱 ${marker}` });
      expect(names(body).at(-1)).to.equal("ic");
      await api.patch(`/api/instruments/${other.id}`, { status: "retired" }, { token: providerA.token });
    });

    it("filters by category, county, provider kind, provider and price", async () => {
      expect(names(await search({ q: marker, category: "physical_property" }))).to.deep.equal(["utm"]);
      expect(names(await search({ q: marker, county: "linqing", sort: "name" }))).to.have.members(["raman", "tem"]);
      expect(names(await search({ q: marker, providerKind: "university" }))).to.have.members(["raman", "tem"]);
      expect(names(await search({ q: marker, providerId: uni.orgId! }))).to.have.members(["raman", "tem"]);
      const ties = ["cmm", "ftir", "tem"].sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1)); // equal prices: by id
      expect(names(await search({ q: marker, minPriceFen: 15000, maxPriceFen: 20000, sort: "price_asc" }))).to.deep.equal([...ties, "aas"]);
    });

    it("hides retired instruments unless asked, and shows those under maintenance", async () => {
      expect(names(await search({ q: marker }))).to.include("cmm").and.not.include("uv");
      expect(names(await search({ q: marker, status: "retired" }))).to.include("uv");
      expect(names(await search({ q: marker, status: "maintenance" }))).to.deep.equal(["cmm"]);
    });

    it("counts each facet over the results filtered by the other filters only", async () => {
      const all = await search({ q: marker });
      expect(facetMap(all.facets.category)).to.deep.equal({ analytical: 5, physical_property: 1, metrology: 1 });
      expect(facetMap(all.facets.county)).to.deep.equal({ dongchangfu: 5, linqing: 2 });
      expect(facetMap(all.facets.providerKind)).to.deep.equal({ municipal_lab: 5, university: 2 });
      expect(all.facets.category[0]).to.deep.equal({ value: "analytical", count: 5 });

      const analytical = await search({ q: marker, category: "analytical" });
      expect(analytical.total).to.equal(5);
      expect(facetMap(analytical.facets.category), "other categories keep their counts").to.deep.equal({ analytical: 5, physical_property: 1, metrology: 1 });
      expect(facetMap(analytical.facets.county)).to.deep.equal({ dongchangfu: 3, linqing: 2 });

      const both = await search({ q: marker, category: "metrology", county: "linqing" });
      expect(both.total).to.equal(0);
      expect(facetMap(both.facets.category)).to.deep.equal({ analytical: 2, metrology: 0 });
      expect(facetMap(both.facets.county)).to.deep.equal({ dongchangfu: 1, linqing: 0 });
    });

    it("pages through a stable order: no entry twice, none missing, ties broken by id", async () => {
      for (const sort of ["price_asc", "price_desc", "name", "newest", "relevance"]) {
        const whole = await search({ q: marker, sort, pageSize: 100 });
        const walked: string[] = [];
        for (let page = 1; page <= 4; page++) {
          const body = await search({ q: marker, sort, page, pageSize: 2 });
          expect(body).to.include({ page, pageSize: 2, total: 7 });
          walked.push(...body.items.map((i: { id: string }) => i.id));
        }
        expect(walked, sort).to.deep.equal(whole.items.map((i: { id: string }) => i.id));
        expect(new Set(walked).size).to.equal(7);
      }
      const cheap = await search({ q: marker, sort: "price_asc", pageSize: 100 });
      const prices = cheap.items.map((i: { priceFen: number; id: string }) => [i.priceFen, i.id]);
      expect(prices).to.deep.equal([...prices].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
      expect((await search({ q: marker, page: 5, pageSize: 2 })).items).to.deep.equal([]);
    });

    it("answers 400 for invalid parameters", async () => {
      for (const qs of ["pageSize=101", "pageSize=0", "page=0", "sort=cheapest", "category=toys", "minPriceFen=-1", "minPriceFen=abc", "colour=red", "page=1&page=2"]) {
        const res = await api.get(`/api/instruments?${qs}`);
        expect(res.status, qs).to.equal(400);
        expect(res.body.error.code).to.equal("VALIDATION_FAILED");
      }
      const range = await api.get("/api/instruments?minPriceFen=500&maxPriceFen=100");
      expect(range.status).to.equal(400);
      expect(range.body.error.fields[0].field).to.equal("/query/maxPriceFen");
      expect((await api.get("/api/instruments?pageSize=100")).status).to.equal(200);
    });

    it("sees a write at once, in this process and in another server process on the same database", async () => {
      const config = t.config;
      const second: RunningServer = await startServer({ config, conn: t.db.conn, logger: createLogger("silent") }, 0);
      try {
        const api2 = apiClient(second.url);
        expect((await api2.get(`/api/instruments?q=${marker}`)).body.total).to.equal(7); // loaded before the write
        const renamed = `改名后的光谱仪 ${marker}`;
        await api.patch(`/api/instruments/${ids.aas}`, { name: renamed }, { token: providerA.token });
        const added = await publish(uni, { description: marker, name: "X射线荧光光谱仪" });
        for (const client of [api, api2]) {
          const body = (await client.get(`/api/instruments?q=${encodeURIComponent(`改名后 ${marker}`)}`)).body;
          expect(body.items.map((i: { id: string }) => i.id)).to.deep.equal([ids.aas]);
          expect((await client.get(`/api/instruments?q=${marker}`)).body.total).to.equal(8);
        }
        await api.patch(`/api/instruments/${added.id}`, { status: "retired" }, { token: uni.token });
        expect((await api2.get(`/api/instruments?q=${marker}`)).body.total).to.equal(7);
      } finally {
        await second.close();
      }
    });

    it("picks up documents a bulk load wrote directly once it records a change of kind all", async () => {
      const before = (await search({ q: marker })).total;
      const template = await t.db.conn.collection("instruments").findOne({ _id: ids.sem as never });
      await t.db.conn.collection("instruments").insertOne({ ...template!, _id: `bulk-${marker}` as never, name: "批量导入显微镜" });
      expect((await search({ q: marker })).total).to.equal(before);
      await new CatalogChangeLog(t.db.conn).append({ kind: "all" });
      expect((await search({ q: marker })).total).to.equal(before + 1);
    });
  });
});

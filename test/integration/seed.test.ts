// The demo city (`npm run seed`, `npm start` on an empty database): the article's numbers, valid
// data by the same rules the services apply, consistent event streams, working log-ins, and a load
// that is fast, idempotent and deterministic.
import { createHash } from "node:crypto";
import { expect } from "chai";
import { isValidCreditCode } from "../../shared/credit-code";
import { CATEGORY_CODES, COUNTY_CODES } from "../../shared/enums";
import { Instrument, InstrumentCreateBody, PackageCreateBody } from "../../shared/schemas/catalog";
import { compile } from "../../shared/validation";
import { DEMO_FIGURES, packageId } from "../../server/demo/city";
import { QUALITY_CENTER_FAMILY } from "../../server/demo/data";
import { DEMO_PASSWORD, existingDemoLogins, seedDemoCity, type SeedProgress, type SeedResult } from "../../server/demo/seed";
import type { EnterpriseDoc, MembershipDoc, ProviderDoc, UserDoc } from "../../server/modules/accounts/model";
import type { InstrumentDoc, PackageDoc } from "../../server/modules/catalog/model";
import { presentInstrument } from "../../server/modules/catalog/present";
import { openHoursErrors, timezoneErrors } from "../../server/modules/catalog/rules";
import { itemListPriceFen } from "../../shared/money";
import type { StoredEvent } from "../../server/db/event-store";
import { openTestDatabase } from "../support/db";
import { apiClient, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";

const COLLECTIONS = ["providers", "enterprises", "users", "memberships", "instruments", "packages", "events"] as const;
/** The demo city's documents (the test server adds a bureau admin of its own). */
const DEMO = { _id: { $regex: "^demo-" } };

async function countAll(conn: TestServer["db"]["conn"]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of COLLECTIONS) counts[name] = await conn.collection(name).countDocuments(DEMO as never);
  return counts;
}

/** A digest of every demo document, `_id` order; password hashes are salted, so left out. */
async function digest(conn: TestServer["db"]["conn"]): Promise<string> {
  const hash = createHash("sha256");
  for (const name of COLLECTIONS) {
    const projection = name === "users" ? { passwordHash: 0 } : {};
    const docs = await conn.collection(name).find(DEMO as never, { projection }).sort({ _id: 1 }).toArray();
    hash.update(`${name}\n${JSON.stringify(docs)}\n`);
  }
  return hash.digest("hex");
}

function tally<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe("the demo city seed", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let first: SeedResult;
  let firstMs: number;
  const progress: SeedProgress[] = [];
  let providers: ProviderDoc[];
  let enterprises: EnterpriseDoc[];
  let instruments: InstrumentDoc[];
  let packages: PackageDoc[];

  before(async () => {
    t = await startTestServer("seed");
    api = apiClient(t.baseUrl);
    const started = Date.now();
    first = await seedDemoCity(t.db.conn, { onProgress: (p) => progress.push(p) });
    firstMs = Date.now() - started;
    const c = t.db.conn;
    providers = await c.collection<ProviderDoc>("providers").find({}).toArray();
    enterprises = await c.collection<EnterpriseDoc>("enterprises").find({}).toArray();
    instruments = await c.collection<InstrumentDoc>("instruments").find({}).toArray();
    packages = await c.collection<PackageDoc>("packages").find({}).toArray();
  });
  after(() => t?.stop());

  it("loads in seconds, reporting progress up to the total", () => {
    console.log(`      seed (first run, empty database): ${firstMs} ms, ${first.inserted} documents`);
    expect(firstMs).to.be.below(30_000);
    expect(first.existing).to.equal(0);
    expect(progress[0]!.done).to.equal(0);
    expect(progress.at(-1)).to.deep.include({ done: first.inserted, total: first.inserted });
    expect(progress.map((p) => p.done)).to.deep.equal([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  describe("instruments", () => {
    it("counts the article's 1,177, in every one of the 15 categories", () => {
      expect(instruments).to.have.length(DEMO_FIGURES.instruments);
      const categories = tally(instruments, (i) => i.category);
      expect([...categories.keys()].sort()).to.deep.equal([...CATEGORY_CODES].sort());
      for (const heavy of ["analytical", "physical_property", "metrology", "special_testing", "electronic_measurement"]) {
        expect(categories.get(heavy), heavy).to.be.above(70);
      }
      for (const rare of ["astronomy", "marine"]) expect(categories.get(rare), rare).to.be.below(10);
    });

    it("are valid instruments: the API schema, the create-body schema, open hours, zone and prices", () => {
      const asResponse = compile(Instrument);
      const asBody = compile(InstrumentCreateBody);
      for (const doc of instruments) {
        const dto = presentInstrument(doc);
        expect(asResponse(dto), `${doc._id}: ${JSON.stringify(asResponse.errors)}`).to.equal(true);
        const { id: _id, providerId: _p, providerName: _n, providerKind: _k, county: _c, photos: _ph, createdAt: _a, updatedAt: _u, ...body } = dto;
        expect(asBody(body), `${doc._id}: ${JSON.stringify(asBody.errors)}`).to.equal(true);
        expect(openHoursErrors(doc.openHours, doc.slotMinutes, "/openHours"), doc._id).to.deep.equal([]);
        expect(timezoneErrors(doc.timezone, "/timezone")).to.deep.equal([]);
        expect(Number.isInteger(doc.priceFen) && doc.priceFen > 0, doc._id).to.equal(true);
        expect(doc._id).to.match(/^demo-inst-\d{4}$/);
      }
    });

    it("look like a city's large instruments: mostly active, ≥ 500,000 yuan, office hours, some round the clock", () => {
      const status = tally(instruments, (i) => i.status);
      expect(status.get("active")! / instruments.length).to.be.above(0.9);
      expect(status.get("maintenance")).to.be.above(0);
      expect(status.get("retired")).to.be.above(0);
      expect(instruments.filter((i) => i.originalValueFen >= 50_000_000).length / instruments.length).to.be.above(0.75);
      const weekdayOffice = instruments.filter((i) => i.openHours.some((r) => r.weekday === 1 && r.start === "08:30" && r.end === "12:00"));
      expect(weekdayOffice.length / instruments.length).to.be.above(0.5);
      expect(instruments.some((i) => i.openHours.some((r) => r.weekday === 6))).to.equal(true);
      const roundTheClock = instruments.filter((i) => i.openHours.length === 7 && i.openHours.every((r) => r.start === "00:00" && r.end === "24:00"));
      expect(roundTheClock.length).to.be.within(5, 120);
      expect(roundTheClock.some((i) => i.category === "computing")).to.equal(true);
      for (const name of ["原子吸收光谱仪", "电感耦合等离子体发射光谱仪", "傅里叶变换红外光谱仪", "X射线荧光光谱仪", "激光显微拉曼光谱仪",
        "场发射扫描电子显微镜", "轴承疲劳寿命强化试验机", "轴承振动测量仪", "三坐标测量机"]) {
        expect(instruments.some((i) => i.name === name), name).to.equal(true);
      }
    });

    it("carry their provider's name, kind and county, and the quality-center family owns most", () => {
      const byId = new Map(providers.map((p) => [p._id, p]));
      for (const i of instruments) {
        const p = byId.get(i.providerId)!;
        expect({ name: i.providerName, kind: i.providerKind, county: i.county }).to.deep.equal({ name: p.name, kind: p.kind, county: p.county });
      }
      const family = instruments.filter((i) => i.providerKind in QUALITY_CENTER_FAMILY).length;
      expect(family / instruments.length).to.be.above(0.5);
      expect(instruments.filter((i) => i.providerKind === "university").length).to.be.above(150);
    });
  });

  describe("organizations", () => {
    it("has the 鲁西质检中心 family of 2 national, 6 provincial, 5 metrology and 26 municipal labs, a university and institutes, all approved", () => {
      const kinds = Object.fromEntries(tally(providers, (p) => p.kind));
      expect(kinds).to.deep.equal({ ...QUALITY_CENTER_FAMILY, university: 1, institute: 4 });
      expect(providers.every((p) => p.status === "approved" && p.version === 2 && p.reviewedAt)).to.equal(true);
      expect(providers.some((p) => p.name === "聊城大学")).to.equal(true);
      expect(providers.some((p) => p.name === "聊城市农业科学院")).to.equal(true);
    });

    it("has about 745 enterprises in all 11 counties, bearings the largest industry at about 42%", () => {
      expect(enterprises.length).to.be.within(735, 755);
      expect([...tally(enterprises, (e) => e.county).keys()].sort()).to.deep.equal([...COUNTY_CODES].sort());
      const industries = [...tally(enterprises, (e) => e.industry)].sort((a, b) => b[1] - a[1]);
      expect(industries[0]![0]).to.equal("bearings");
      expect(industries[0]![1] / enterprises.length).to.be.within(0.4, 0.44);
      const counties = tally(enterprises, (e) => e.county);
      const heaviest = [...counties].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([c]) => c);
      expect(heaviest).to.have.members(["linqing", "dongchangfu"]);
    });

    it("puts the article's 594 in the tech-SME registry, a few rejected with a reason, the rest pending", () => {
      const status = tally(enterprises, (e) => e.status);
      expect(status.get("approved")).to.equal(DEMO_FIGURES.registry);
      expect(status.get("rejected")).to.be.within(1, 30);
      expect(status.get("pending")).to.equal(enterprises.length - status.get("approved")! - status.get("rejected")!);
      for (const e of enterprises) {
        expect(e.version, e._id).to.equal(e.status === "pending" ? 1 : 2);
        if (e.status === "rejected") expect(e.reviewReason?.trim(), e._id).to.have.length.above(0);
        if (e.reviewedAt) expect(e.reviewedAt.getTime(), e._id).to.be.above(e.createdAt.getTime());
      }
    });

    it("gives every enterprise a valid and unique unified social credit code", () => {
      for (const e of enterprises) expect(isValidCreditCode(e.creditCode), `${e._id} ${e.creditCode}`).to.equal(true);
      expect(new Set(enterprises.map((e) => e.creditCode)).size).to.equal(enterprises.length);
      expect(new Set(enterprises.map((e) => e.name)).size).to.equal(enterprises.length);
    });

    it("writes each registration's event stream so that the projections agree with it", async () => {
      const events = await t.db.conn.collection<StoredEvent>("events").find({ type: { $in: ["registered", "reviewed"] } }).toArray();
      const byId = new Map(events.map((e) => [e._id, e]));
      for (const org of [...providers, ...enterprises]) {
        const registered = byId.get(`${org._id}:1`);
        expect(registered?.type, org._id).to.equal("registered");
        expect(registered?.actorId).to.equal(org.createdBy);
        const reviewed = byId.get(`${org._id}:2`);
        if (org.status === "pending") expect(reviewed, org._id).to.equal(undefined);
        else expect(reviewed?.data, org._id).to.deep.equal({ status: org.status, ...(org.reviewReason ? { reason: org.reviewReason } : {}) });
        expect(byId.has(`${org._id}:3`)).to.equal(false);
      }
      const memberships = await t.db.conn.collection<MembershipDoc>("memberships").find({}).toArray();
      const orgIds = new Set([...providers, ...enterprises].map((o) => o._id).concat("bureau"));
      expect(memberships.every((m) => orgIds.has(m.orgId))).to.equal(true);
      const users = new Set((await t.db.conn.collection<UserDoc>("users").find({}, { projection: { _id: 1 } }).toArray()).map((u) => u._id));
      expect(memberships.every((m) => users.has(m._id))).to.equal(true);
    });
  });

  describe("packaged services", () => {
    it("has a dozen, across purposes, some combining two providers' instruments", () => {
      expect(packages.length).to.be.within(10, 14);
      expect(new Set(packages.map((p) => p.purpose)).size).to.be.at.least(4);
      const instrumentById = new Map(instruments.map((i) => [i._id, i]));
      const partnered = packages.filter((p) => new Set(p.items.map((item) => instrumentById.get(item.instrumentId)!.providerId)).size > 1);
      expect(partnered.length).to.be.at.least(2);
      const asBody = compile(PackageCreateBody);
      for (const p of packages) {
        const { name, nameEn, description, purpose, items, priceFen, status } = p;
        expect(asBody({ name, nameEn, description, purpose, items, priceFen, status }), `${p._id}: ${JSON.stringify(asBody.errors)}`).to.equal(true);
        for (const item of items) {
          const inst = instrumentById.get(item.instrumentId)!;
          expect(inst.status, `${p._id} ${inst._id}`).to.equal("active");
          if (inst.priceUnit === "hour") expect(item.minutes! % inst.slotMinutes).to.equal(0);
          else expect(item.samples).to.be.above(0);
        }
      }
    });

    it("has the standard-drafting package: 10 tests that list at about 40,000 yuan, sold for 20,000", async () => {
      const pkg = packages.find((p) => p._id === packageId(0))!;
      expect(pkg.purpose).to.equal("standard_drafting");
      expect(pkg.items).to.have.length(10);
      expect(pkg.priceFen).to.equal(2_000_000);
      const instrumentById = new Map(instruments.map((i) => [i._id, i]));
      const listPriceFen = pkg.items.reduce((sum, item) => {
        const inst = instrumentById.get(item.instrumentId)!;
        return sum + itemListPriceFen(inst.priceFen, inst.priceUnit, item);
      }, 0);
      expect(listPriceFen).to.be.within(3_800_000, 4_200_000);
      const res = await api.get(`/api/packages/${pkg._id}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ listPriceFen, priceFen: 2_000_000, applicationsReplaced: 10 });
    });
  });

  describe("demo log-ins", () => {
    it("prints one per role, every one signs in, and sees its organization", async () => {
      expect(first.logins.map((l) => l.role)).to.have.members([
        "bureau_admin", "bureau_reviewer", "enterprise_admin", "enterprise_member", "enterprise_admin", "provider_admin", "provider_staff",
      ]);
      for (const l of first.logins) {
        expect(l.password).to.equal(DEMO_PASSWORD);
        const res = await api.post("/api/auth/login", { email: l.email, password: l.password });
        expect(res.status, `${l.email}: ${JSON.stringify(res.body)}`).to.equal(200);
        const me = await api.get("/api/me", { token: res.body.token });
        expect(me.body.roles, l.email).to.deep.equal([l.role]);
        expect(me.body.organization.name, l.email).to.equal(l.organization);
        expect(me.body.organization.status).to.equal(l.note ? "pending" : "approved");
      }
    });

    it("shows the pending registration first in the reviewer's queue, and the catalog in search", async () => {
      const reviewer = first.logins.find((l) => l.role === "bureau_reviewer")!;
      const token = (await api.post("/api/auth/login", { email: reviewer.email, password: reviewer.password })).body.token;
      const queue = await api.get("/api/enterprises?status=pending", { token });
      expect(queue.status, JSON.stringify(queue.body)).to.equal(200);
      expect(queue.body.total).to.equal(enterprises.filter((e) => e.status === "pending").length);
      expect(queue.body.items[0].name).to.equal(first.logins.find((l) => l.note)!.organization);
      const spectra = await api.get(`/api/instruments?q=${encodeURIComponent("光谱")}`);
      expect(spectra.status, JSON.stringify(spectra.body)).to.equal(200);
      expect(spectra.body.total).to.be.above(20);
      const all = await api.get("/api/instruments?status=active&pageSize=1");
      expect(all.body.total).to.equal(instruments.filter((i) => i.status === "active").length);
    });
  });

  describe("running it again", () => {
    it("inserts nothing and changes no count (idempotent)", async () => {
      const before = await countAll(t.db.conn);
      const started = Date.now();
      const second = await seedDemoCity(t.db.conn);
      console.log(`      seed (second run, already seeded): ${Date.now() - started} ms`);
      expect(second.inserted).to.equal(0);
      expect(second.existing).to.equal(first.inserted);
      expect(await countAll(t.db.conn)).to.deep.equal(before);
    });

    it("builds the same documents in a fresh database (deterministic)", async () => {
      const other = await openTestDatabase("seed_again");
      try {
        const started = Date.now();
        await seedDemoCity(other.conn);
        console.log(`      seed (fresh database): ${Date.now() - started} ms`);
        expect(await countAll(other.conn)).to.deep.equal(await countAll(t.db.conn));
        expect(await digest(other.conn)).to.equal(await digest(t.db.conn));
      } finally {
        await other.drop();
      }
    });
  });

  // Last: it reviews the pending demo registration, which the checks above count on.
  describe("the start-up banner after the bureau's review", () => {
    it("calls the demo registration pending only while it is: once approved, neither a restart nor a re-seed says so", async () => {
      const newcomer = first.logins.find((l) => l.note)!;
      expect(newcomer.note).to.equal("registration pending review");
      const reviewer = first.logins.find((l) => l.role === "bureau_reviewer")!;
      const token = (await api.post("/api/auth/login", { email: reviewer.email, password: reviewer.password })).body.token;
      const queue = await api.get("/api/enterprises?status=pending", { token });
      const id = (queue.body.items as { id: string; name: string }[]).find((e) => e.name === newcomer.organization)!.id;
      const review = await api.post(`/api/enterprises/${id}/review`, { decision: "approve" }, { token });
      expect(review.status, JSON.stringify(review.body)).to.equal(200);

      const restart = await existingDemoLogins(t.db.conn, true);
      expect(restart.find((l) => l.email === newcomer.email)).to.deep.include({ organization: newcomer.organization }).and.not.have.property("note");
      expect(restart.filter((l) => l.note), "no log-in is called pending").to.deep.equal([]);
      const reseed = await seedDemoCity(t.db.conn);
      expect(reseed.logins.filter((l) => l.note)).to.deep.equal([]);
    });
  });
});

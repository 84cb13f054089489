// The invariant checker (`npm run check-invariants`, server/modules/invariants/checker.ts) over a
// real database: it passes on what the product writes (bookings, a package, a settled voucher), and
// finds each kind of damage written behind the product's back; the CLI exits 1 on it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { login, orgAdmin, type TestUser } from "../factories/accounts";
import { publishInstrument, publishPackage, shanghai } from "../factories/catalog";
import { checkInvariants, type InvariantReport } from "../../server/modules/invariants/checker";
import { claimStart } from "../../server/modules/scheduling/claims";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { afterMonth, as, at, claimBody, completedVoucher, evidence } from "../support/voucher-flow";

const run = promisify(execFile);

describe("invariant checker", function () {
  this.timeout(180_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let provider: TestUser;
  let ent: TestUser;
  let instrumentId: string;
  let bookingId: string;
  let packageBookingId: string;

  const check = (now = Date.now()): Promise<InvariantReport> =>
    checkInvariants(t.server.services, now);
  const bookings = () => t.db.conn.collection("bookings");
  const claims = () => t.db.conn.collection("slot_claims");
  const kinds = (r: InvariantReport) => r.violations.map((v) => v.invariant);

  before(async () => {
    t = await startTestServer("invariants");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    provider = await orgAdmin(api, "provider", bureau.token);
    ent = await orgAdmin(api, "enterprise", bureau.token);
    const inst = await publishInstrument(api, provider, { rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    instrumentId = inst.id;
    const booked = await api.post("/api/bookings", { instrumentId, start: shanghai(3, "09:00"), end: shanghai(3, "11:00") }, { token: ent.token });
    expectStatus(booked, 201);
    bookingId = booked.body.id;
    const second = await publishInstrument(api, provider, { rules: { requiresConfirmation: false, bufferMinutes: 0 } });
    const pkg = await publishPackage(api, provider, [{ instrumentId: second.id, minutes: 60 }, { instrumentId, minutes: 60 }]);
    const start = shanghai(4, "09:00");
    const plan = await api.get(`/api/packages/${pkg.id}/schedule?start=${encodeURIComponent(start)}`, { token: ent.token });
    expectStatus(plan, 200);
    const pb = await api.post("/api/bookings", { packageId: pkg.id, start }, { token: ent.token });
    expectStatus(pb, 201);
    packageBookingId = pb.body.id;

    // A voucher through claim, approval and the month's settlement: ledger entries and a settlement to check.
    const pricey = (await publishInstrument(api, provider, { capacity: 100, priceFen: 1_000_000 })).id;
    const v = await completedVoucher(t, api, ent, provider, pricey, 1_000_000);
    const pack = await evidence(t.baseUrl, ent);
    const filed = await atTime(t.server.services.claims, v.completedAt + 1000, () => api.post("/api/claims", claimBody(v.voucherId, pack), as(ent)));
    expectStatus(filed, 201);
    expectStatus(await atTime(t.server.services.claims, at("2031-05"), () => api.post(`/api/claims/${filed.body.id}/review`, { decision: "approve" }, as(bureau))), 200);
    expectStatus(await atTime(t.server.services.claims, afterMonth("2031-05"), () => api.post("/api/settlements", { period: "2031-05" }, as(bureau))), 201);
  });
  after(() => t?.stop());

  it("finds every invariant holding over what the product wrote: bookings, a package booking, a settled voucher", async () => {
    const report = await check();
    expect(report.violations).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.checked.activeBookings).to.equal(2); // the instrument booking and the package booking; the voucher's is completed
    expect(report.checked.ledgerEntries).to.be.greaterThan(0);
  });

  it("reads the slot's start out of a claim id, generations too", () => {
    expect(claimStart("inst-1:2031-05-06T01:00:00.000Z:0")).to.equal(Date.parse("2031-05-06T01:00:00.000Z"));
    expect(claimStart("inst-1:2031-05-06T01:00:00.000Z:3#2")).to.equal(Date.parse("2031-05-06T01:00:00.000Z"));
    expect(Number.isNaN(claimStart("not a claim"))).to.equal(true);
  });

  it("reports two active bookings on one unit at once (invariant 1)", async () => {
    const original = (await bookings().findOne({ _id: bookingId as never }))!;
    await bookings().insertOne({ ...original, _id: "double-booked" as never, claimIds: [] });
    try {
      const report = await check();
      expect(kinds(report)).to.include("no-overlap");
      expect(report.violations.find((v) => v.invariant === "no-overlap")!.detail).to.include("double-booked").and.include(bookingId);
    } finally {
      await bookings().deleteOne({ _id: "double-booked" as never });
    }
  });

  it("reports a package booking that lost one of its slots, and the slot then taken by no one (invariant 2)", async () => {
    const pb = (await bookings().findOne({ _id: packageBookingId as never }))!;
    const lost = (pb.claimIds as string[])[1]!;
    const claim = (await claims().findOne({ _id: lost as never }))!;
    await claims().deleteOne({ _id: lost as never });
    try {
      const report = await check();
      const held = report.violations.filter((v) => v.invariant === "claims-held");
      expect(held.map((v) => v.subject)).to.deep.equal([packageBookingId]);
      expect(held[0]!.detail).to.include("package").and.include(lost);
    } finally {
      await claims().insertOne(claim);
    }
    expect((await check()).ok).to.equal(true);
  });

  it("reports a live claim whose booking is gone once it is older than the sweeper's grace, not before (a request may still be in flight)", async () => {
    const now = Date.now();
    await claims().insertOne({ _id: `${instrumentId}:2031-01-01T00:00:00.000Z:0` as never, instrumentId, start: new Date("2031-01-01T00:00:00Z"), unit: 0, bookingId: "never-recorded", createdAt: new Date(now) });
    try {
      expect((await check(now)).ok, "a claim made just now").to.equal(true);
      const later = await check(now + 3 * 60_000);
      expect(later.violations.map((v) => [v.invariant, v.detail])).to.deep.equal([["orphan-claim", "its booking never-recorded is missing or no longer active"]]);
    } finally {
      await claims().deleteOne({ _id: `${instrumentId}:2031-01-01T00:00:00.000Z:0` as never });
    }
  });

  it("reports a ledger balance and a settlement total changed behind the ledger's back (invariants 3 and 4)", async () => {
    const ledger = t.db.conn.collection("ledger_entries");
    const entry = (await ledger.findOne({ kind: "issue" }))!;
    const settlements = t.db.conn.collection("settlements");
    const settlement = (await settlements.findOne({ _id: "2031-05" as never }))!;
    await ledger.updateOne({ _id: entry._id }, { $inc: { heldFen: 1 } });
    await settlements.updateOne({ _id: settlement._id }, { $inc: { "totals.voucherSubsidyFen": 100 } });
    try {
      const report = await check();
      const found = report.violations.filter((v) => v.invariant === "ledger-and-settlements").map((v) => v.detail).join("\n");
      expect(found).to.include("held balance after entry").and.include("voucherSubsidyFen vs its lines");
    } finally {
      await ledger.updateOne({ _id: entry._id }, { $inc: { heldFen: -1 } });
      await settlements.updateOne({ _id: settlement._id }, { $inc: { "totals.voucherSubsidyFen": -100 } });
    }
  });

  it("npm run check-invariants exits 0 on this database and 1, naming the violation, once it is damaged", async () => {
    const env = { ...process.env, MONGODB_URI: t.db.uri, MONGODB_DB: t.db.dbName, LOG_LEVEL: "silent" };
    const cli = () => run(process.execPath, ["--import", "tsx", "scripts/check-invariants.ts"], { env }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    const clean = await cli();
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.include("Every invariant holds.");
    const original = (await bookings().findOne({ _id: bookingId as never }))!;
    await bookings().insertOne({ ...original, _id: "double-booked-cli" as never, claimIds: [] });
    try {
      const damaged = await cli();
      expect(damaged.code, damaged.stdout).to.equal(1);
      expect(damaged.stdout).to.include("VIOLATION no-overlap").and.include("double-booked-cli");
    } finally {
      await bookings().deleteOne({ _id: "double-booked-cli" as never });
    }
  });
});

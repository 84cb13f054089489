// The statistics' day roll-ups against the real database and HTTP server: settlement speed from a
// fixture with known filing and payment days; a day is closed only after its grace, and a booking
// whose number is of that day but written just after midnight still counts in it; a fact written
// after the grace is found by `stats:verify` and put right by `--rebuild`; the day log numbers
// racing appends without loss; and today's figures stay exact while bookings, vouchers and voids
// are written in parallel, readers race and 100 writers roll the day up at once.
import { expect } from "chai";
import { DateTime } from "luxon";
import { enterpriseBody, login, orgAdmin, registerUser, type TestUser } from "../factories/accounts";
import { publishInstrument, shanghai } from "../factories/catalog";
import { insertSettlement, sh } from "../factories/stats";
import { atTime } from "../support/clock";
import { apiClient, expectStatus, type ApiClient } from "../support/http";
import { startTestServer, type TestServer } from "../support/server";
import { as } from "../support/voucher-flow";
import { runStatsVerify } from "../support/stats-verify";
import { BookingNumbers, type BookingNumberDoc } from "../../server/modules/scheduling/booking-number";
import { dayEndMs, todayOf } from "../../server/modules/stats/calendar";
import { DayLog } from "../../server/modules/stats/day-log";
import { figuresOf, statsDayModel } from "../../server/modules/stats/model";
import { StatsService } from "../../server/modules/stats/service";
import { StatsSources } from "../../server/modules/stats/sources";
import { ROLLUP_GRACE_MS } from "../../server/modules/stats/spans";

const TODAY = sh("2031-04-10T12:00").getTime();
const range = (n: number) => Array.from({ length: n }, (_, k) => k);

describe("statistics: day roll-ups and settlement speed", function () {
  this.timeout(300_000);
  let t: TestServer;
  let api: ApiClient;
  let bureau: { token: string };
  let provider: TestUser;
  let instrumentId: string;
  const ents: TestUser[] = [];
  const stats = () => t.server.services.stats;
  /** Another server process on the same database: its own caches, the platform's clock at `now`. */
  const otherProcess = (now: number) => Object.assign(new StatsService(t.db.conn), { now: () => now });
  const days = () => statsDayModel(t.db.conn);

  before(async () => {
    t = await startTestServer("stats-days");
    api = apiClient(t.baseUrl);
    bureau = { token: await login(api, t.admin.email, t.admin.password) };
    provider = await orgAdmin(api, "provider", bureau.token);
    instrumentId = (await publishInstrument(api, provider)).id;
    for (const county of ["linqing", "gaotang", "guanxian"]) {
      const user = await registerUser(api, "enterprise");
      const res = await api.post("/api/enterprises", enterpriseBody({ county, industry: "bearings" }), as(user));
      expectStatus(res, 201);
      expectStatus(await api.post(`/api/enterprises/${res.body.id}/review`, { decision: "approve" }, as(bureau)), 200);
      ents.push({ ...user, orgId: res.body.id });
    }
    const [e1, e2] = [ents[0]!.orgId!, ents[1]!.orgId!];
    const p = provider.orgId!;
    // February's settlement, made 1 March: claims filed 10 and 20 February (19 and 9 days).
    await insertSettlement(t.db.conn, "2031-02", sh("2031-03-01T10:00"), [
      { voucherId: "v-s1", enterpriseId: e1, provinceFen: 60_000, cityFen: 30_000, filedAt: sh("2031-02-10T15:00") },
      { voucherId: "v-s2", enterpriseId: e2, provinceFen: 6_000, cityFen: 3_000, filedAt: sh("2031-02-20T09:00") },
    ], p);
    // March's, made 2 April: filed 5 March (28 days), 30 March (3), the last minute of March (2); one paid claim without its claim document (not counted).
    await insertSettlement(t.db.conn, "2031-03", sh("2031-04-02T10:00"), [
      { voucherId: "v-s3", enterpriseId: e1, provinceFen: 6_000, cityFen: 3_000, filedAt: sh("2031-03-05T23:00") },
      { voucherId: "v-s4", enterpriseId: e2, provinceFen: 6_000, cityFen: 3_000, filedAt: sh("2031-03-30T08:00") },
      { voucherId: "v-s5", enterpriseId: e1, provinceFen: 6_000, cityFen: 3_000, filedAt: sh("2031-03-31T23:59:59") },
      { voucherId: "v-s6", enterpriseId: e2, provinceFen: 6_000, cityFen: 3_000 },
    ], p);
  });
  after(() => t?.stop());

  describe("settlement speed", () => {
    it("gives the median calendar days from filing to payment per month of payment and over the range, null for a month without payments", async () => {
      const res = await atTime(stats(), TODAY, () => api.get("/api/stats/settlement-speed?from=2031-02-01&to=2031-04-10", as(bureau)));
      expectStatus(res, 200);
      expect(res.body).to.deep.equal({
        from: "2031-02-01", to: "2031-04-10", claims: 5, medianDays: 9,
        items: [
          { month: "2031-02", from: "2031-02-01", to: "2031-02-28", claims: 0, medianDays: null },
          { month: "2031-03", from: "2031-03-01", to: "2031-03-31", claims: 2, medianDays: 14 },
          { month: "2031-04", from: "2031-04-01", to: "2031-04-10", claims: 3, medianDays: 3 },
        ],
      });
      // The same figures once March is rolled up and April's payment day is closed, from another process.
      const later = await otherProcess(sh("2031-05-01T00:15").getTime()).settlementSpeed({ from: "2031-03-01", to: "2031-04-30" });
      expect(later).to.deep.include({ claims: 5, medianDays: 9 });
      expect(later.items.map((i) => i.medianDays)).to.deep.equal([14, 3]);
      expect(await runStatsVerify(t.db)).to.include({ code: 0 });
    });
  });

  describe("closing a day", () => {
    const numbers = () => new BookingNumbers(t.db.conn.model<BookingNumberDoc>("BookingNumber"));
    const bookingDoc = (id: string, createdAt: Date, priceFen: number) => t.db.conn.collection("bookings").insertOne({ _id: id as never, status: "pending", priceFen, createdAt });

    it("waits for the grace: a booking numbered at 23:59:59.9 and written after midnight counts in its day's roll-up", async () => {
      const D = "2031-05-20";
      const createdAt = sh("2031-05-20T23:59:59.900");
      await numbers().assign("b-late", createdAt.getTime());
      const q = { from: D, to: D };
      expect((await otherProcess(sh("2031-05-21T00:00:01").getTime()).overview(q)).bookings).to.deep.equal({ count: 0, amountFen: 0 }); // not written yet
      await bookingDoc("b-late", createdAt, 42_000); // written just after midnight
      expect((await otherProcess(sh("2031-05-21T00:14:59").getTime()).overview(q)).bookings).to.deep.equal({ count: 1, amountFen: 42_000 });
      expect(await days().exists({ _id: D })).to.equal(null);
      expect((await otherProcess(sh("2031-05-21T00:15").getTime()).overview(q)).bookings).to.deep.equal({ count: 1, amountFen: 42_000 });
      const stored = await days().findById(D).lean();
      expect(stored?.days).to.deep.equal([{ day: D, vouchersIssued: 0, vouchersIssuedFen: 0, vouchersRedeemed: 0, vouchersRedeemedFen: 0, vouchersVoided: 0, vouchersVoidedFen: 0, bookings: 1, bookingsFen: 42_000 }]);
    });

    it("a booking written after the grace is missing from the stored day: `stats:verify` reports the day, `--rebuild` puts it right", async () => {
      const D = "2031-05-22";
      const after = sh("2031-05-23T01:00").getTime();
      expect((await otherProcess(after).overview({ from: D, to: D })).bookings.count).to.equal(0); // closed and stored, empty
      await numbers().assign("b-crashed", sh("2031-05-22T18:00").getTime());
      await bookingDoc("b-crashed", sh("2031-05-22T18:00"), 10_000); // healed by a repair long after the day closed
      expect((await otherProcess(after).overview({ from: D, to: D })).bookings.count).to.equal(0);
      const found = await runStatsVerify(t.db);
      expect(found.code).to.equal(1);
      expect(found.stdout).to.match(/DIFFERENT 2031-05-22:/).and.match(/2031-05-22: stored null/);
      expect((await runStatsVerify(t.db, ["--rebuild"])).code).to.equal(1);
      expect(await runStatsVerify(t.db)).to.include({ code: 0 });
      expect((await otherProcess(after).overview({ from: D, to: D })).bookings).to.deep.equal({ count: 1, amountFen: 10_000 });
    });
  });

  it("numbers 100 racing day-log appends from four processes 1…100, none lost", async () => {
    const logs = range(4).map(() => new DayLog(t.db.conn));
    const at = sh("2031-06-01T09:00");
    await Promise.all(range(100).map((k) => logs[k % 4]!.append("voucher", `v-race-${k}`, at)));
    const entries = (await logs[0]!.read(["2031-06-01"])).get("2031-06-01")!;
    expect(entries.map((e) => e._id)).to.deep.equal(range(100).map((k) => `2031-06-01:${k + 1}`));
    expect(new Set(entries.map((e) => e.ref)).size).to.equal(100);
  });

  it("stays exact while bookings, vouchers and voids are written in parallel, readers race the writes and 100 writers roll the day up at once", async () => {
    const today = todayOf(Date.now());
    const q = { from: today, to: today };
    const url = `/api/stats/overview?from=${today}&to=${today}`;
    const slot = (k: number) => {
      const start = shanghai(70 + Math.floor(k / 8), `${String(8 + (k % 8)).padStart(2, "0")}:00`);
      return { start, end: DateTime.fromISO(start).plus({ hours: 1 }).toISO()! };
    };
    const writes = (async () => {
      const made = await Promise.all(range(30).map((k) => api.post("/api/bookings", { instrumentId, ...slot(k), useVoucher: k % 2 === 0 }, as(ents[k % 3]!))));
      for (const r of made) expectStatus(r, 201);
      await Promise.all(made.filter((_, k) => k % 2 === 0).map((r) => api.post(`/api/bookings/${r.body.id}/confirm`, {}, as(provider))));
      await t.server.services.vouchers.idle();
      await Promise.all(made.map((r, k) => (k % 6 === 0 ? api.post(`/api/bookings/${r.body.id}/cancel`, { reason: "计划变更" }, as(ents[k % 3]!)) : null)));
      await t.server.services.vouchers.idle();
    })();
    const seen = Promise.all(range(50).map(async (k) => {
      await new Promise((r) => setTimeout(r, k * 30));
      const res = await api.get(url, as(bureau));
      expectStatus(res, 200);
      return res.body.bookings.count as number;
    }));
    await writes;
    for (const n of await seen) expect(n).to.be.within(0, 30);

    const scan = (await new StatsSources(t.db.conn).daysOfMonths([today.slice(0, 7)])).get(today)!;
    const day = scan.days[0]!;
    expect(day).to.include({ bookings: 30, vouchersIssued: 15, vouchersVoided: 5 });
    const expected = {
      vouchersIssued: { count: 15, amountFen: day.vouchersIssuedFen }, vouchersVoided: { count: 5, amountFen: day.vouchersVoidedFen },
      bookings: { count: 30, amountFen: day.bookingsFen }, enterprisesUsingVouchers: 3, countiesCovered: 3,
    };
    // Live (today, not closed): a new process reads the day index.
    expect(await otherProcess(Date.now()).overview(q)).to.deep.include(expected);
    // Closed: 50 processes and 50 requests at tomorrow 00:15 roll the day up at once.
    const close = dayEndMs(today) + ROLLUP_GRACE_MS;
    const answers = await atTime(stats(), close, () => Promise.all([
      ...range(50).map(() => api.get(url, as(bureau)).then((r) => r.body)),
      ...range(50).map(() => otherProcess(close).overview(q)),
    ]));
    for (const a of answers) expect(a).to.deep.include(expected);
    const stored = await days().find({ _id: today }).lean();
    expect(stored).to.have.length(1);
    expect(figuresOf(stored[0]!)).to.deep.equal(scan);
  });
});

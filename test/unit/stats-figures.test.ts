// The statistics' pure arithmetic: largest-remainder shares, ratios, day placement in the platform
// zone, and the shared cache's freshness rules.
import { expect } from "chai";
import { DateTime } from "luxon";
import { DayIndex, monthsBetween } from "../../server/modules/stats/calendar";
import { canonicalSpan, flowTotals, growthPercent, largestRemainderShares, medianOf, mergeSpans, ratio, spanDays } from "../../server/modules/stats/figures";
import { docOf, figuresOf } from "../../server/modules/stats/model";
import { yearBefore } from "../../server/modules/stats/range";
import { FreshCache } from "../../server/modules/stats/fresh-cache";

const hundredths = (xs: number[]) => xs.reduce((n, x) => n + Math.round(x * 100), 0);

describe("statistics arithmetic", () => {
  describe("largest-remainder shares", () => {
    it("gives two decimals that add up to exactly 100.00", () => {
      for (const counts of [[1, 1, 1], [14, 11, 8], [1, 2, 4], [33, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [7], [99_999, 1]]) {
        const shares = largestRemainderShares(counts);
        expect(hundredths(shares), String(counts)).to.equal(10_000);
        for (const s of shares) expect(Number(s.toFixed(2))).to.equal(s);
      }
    });

    it("gives the leftover hundredth to the largest remainders, earlier items first on ties", () => {
      expect(largestRemainderShares([1, 1, 1])).to.deep.equal([33.34, 33.33, 33.33]);
      expect(largestRemainderShares([14, 11, 8])).to.deep.equal([42.43, 33.33, 24.24]); // 42.4242…: its remainder is the largest
      expect(largestRemainderShares([2, 1])).to.deep.equal([66.67, 33.33]);
    });

    it("gives zeros for no counts at all", () => {
      expect(largestRemainderShares([])).to.deep.equal([]);
      expect(largestRemainderShares([0, 0])).to.deep.equal([0, 0]);
    });
  });

  it("gives ratios to 4 decimals and growth in percent to 2, null against zero", () => {
    expect(ratio(32, 1)).to.equal(32);
    expect(ratio(1, 3)).to.equal(0.3333);
    expect(ratio(5, 0)).to.equal(null);
    expect(growthPercent(236, 100)).to.equal(136);
    expect(growthPercent(1, 3)).to.equal(-66.67);
    expect(growthPercent(4, 0)).to.equal(null);
  });

  describe("days in the platform zone", () => {
    const index = new DayIndex("2031-02", "2031-03");
    const sh = (iso: string) => DateTime.fromISO(iso, { zone: "Asia/Shanghai" }).toMillis();

    it("places an instant on its Shanghai day, the last millisecond of a month in that month", () => {
      expect(index.dayOf(sh("2031-02-01T00:00"))).to.equal("2031-02-01");
      expect(index.dayOf(sh("2031-02-28T23:59:59.999"))).to.equal("2031-02-28");
      expect(index.dayOf(sh("2031-03-01T00:00"))).to.equal("2031-03-01");
      expect(index.dayOf(Date.parse("2031-03-15T16:00:00Z"))).to.equal("2031-03-16"); // 00:00 in Shanghai
      expect(index.dayOf(sh("2031-03-31T23:59:59.999"))).to.equal("2031-03-31");
    });

    it("places nothing outside the window", () => {
      expect(index.dayOf(sh("2031-01-31T23:59:59.999"))).to.equal(null);
      expect(index.dayOf(sh("2031-04-01T00:00"))).to.equal(null);
    });

    it("lists the months of a range", () => {
      expect(monthsBetween("2030-11", "2031-02")).to.deep.equal(["2030-11", "2030-12", "2031-01", "2031-02"]);
    });
  });

  describe("spans, medians and roll-up documents", () => {
    const day = (d: string, bookings: number) => ({ day: d, vouchersIssued: 0, vouchersIssuedFen: 0, vouchersRedeemed: 0, vouchersRedeemedFen: 0, vouchersVoided: 0, vouchersVoidedFen: 0, bookings, bookingsFen: bookings * 100 });
    const line = (enterpriseId: string, county: string, amountFen: number) => ({ enterpriseId, county, vouchers: 1, amountFen });

    it("gives the median of a histogram, the mean of the two middle values for an even count, null for none", () => {
      expect(medianOf([])).to.equal(null);
      expect(medianOf([{ days: 7, claims: 1 }])).to.equal(7);
      expect(medianOf([{ days: 9, claims: 1 }, { days: 19, claims: 1 }])).to.equal(14);
      expect(medianOf([{ days: 2, claims: 1 }, { days: 3, claims: 2 }, { days: 28, claims: 1 }])).to.equal(3);
      expect(medianOf([{ days: 1, claims: 3 }, { days: 4, claims: 3 }])).to.equal(2.5);
    });

    it("merges day spans into a month in canonical order: days ascending, empty days dropped, lines per enterprise and county summed", () => {
      const a = canonicalSpan("2031-03-02", [day("2031-03-02", 1)], [line("e2", "linqing", 5), line("e1", "gaotang", 1)], [{ days: 3, claims: 1 }]);
      const b = canonicalSpan("2031-03-01", [day("2031-03-01", 2)], [line("e2", "linqing", 7)], [{ days: 3, claims: 2 }]);
      const empty = canonicalSpan("2031-03-03", [day("2031-03-03", 0)], [], []);
      expect(empty.days).to.deep.equal([]);
      const m = mergeSpans("2031-03", [a, empty, b]);
      expect(m.days.map((d) => d.day)).to.deep.equal(["2031-03-01", "2031-03-02"]);
      expect(m.subsidies).to.deep.equal([{ enterpriseId: "e1", county: "gaotang", vouchers: 1, amountFen: 1 }, { enterpriseId: "e2", county: "linqing", vouchers: 2, amountFen: 12 }]);
      expect(m.paidAfter).to.deep.equal([{ days: 3, claims: 3 }]);
      expect(figuresOf(docOf(m, new Date()))).to.deep.equal(m); // packed lines come back as they were
      // A month span counts only for a range holding all of it; its days' flows for a range that does.
      expect(flowTotals([m], "2031-03-01", "2031-03-31")).to.deep.include({ bookings: { count: 3, amountFen: 300 }, enterprisesUsingVouchers: 2 });
      expect(flowTotals([m], "2031-03-02", "2031-03-31").bookings.count).to.equal(0);
    });

    it("names a span's days and maps a range to the same days a year before (29 February to the 28th)", () => {
      expect(spanDays("2032-02")).to.deep.equal({ from: "2032-02-01", to: "2032-02-29" });
      expect(spanDays("2031-12-31")).to.deep.equal({ from: "2031-12-31", to: "2031-12-31" });
      expect(yearBefore({ from: "2032-02-29", to: "2032-03-01" })).to.deep.equal({ from: "2031-02-28", to: "2031-03-01" });
      expect(monthsBetween("2031-12", "2032-01")).to.deep.equal(["2031-12", "2032-01"]);
    });
  });

  describe("the shared short-lived cache", () => {
    function counter() {
      let loads = 0;
      let release: () => void = () => {};
      const load = () => new Promise<number>((resolve) => {
        loads++;
        const n = loads;
        release = () => resolve(n);
      });
      return { load, loads: () => loads, release: () => release() };
    }

    it("shares one computation among concurrent readers", async () => {
      const c = counter();
      const cache = new FreshCache(c.load, { freshMs: 1000, maxAgeMs: 5000, clock: () => 0 });
      const reads = Promise.all([cache.get(), cache.get(), cache.get()]);
      c.release();
      expect(await reads).to.deep.equal([1, 1, 1]);
      expect(c.loads()).to.equal(1);
    });

    it("serves a fresh value as is, a stale one while one refresh runs, and makes readers wait past the maximum age", async () => {
      let now = 0;
      const c = counter();
      const cache = new FreshCache(c.load, { freshMs: 1000, maxAgeMs: 5000, clock: () => now });
      const first = cache.get();
      c.release();
      expect(await first).to.equal(1);
      now = 999;
      expect(await cache.get()).to.equal(1);
      expect(c.loads()).to.equal(1);
      now = 2000; // stale: served, one refresh started
      expect(await cache.get()).to.equal(1);
      expect(await cache.get()).to.equal(1);
      expect(c.loads()).to.equal(2);
      c.release();
      await new Promise((r) => setImmediate(r));
      expect(await cache.get()).to.equal(2);
      now = 2000 + 5000 + 1; // too old: the reader waits for a new computation
      const late = cache.get();
      await new Promise((r) => setImmediate(r));
      expect(c.loads()).to.equal(3);
      c.release();
      expect(await late).to.equal(3);
    });

    it("keeps serving while a slow computation's refresh cycle lasts, even past the maximum age", async () => {
      let now = 0;
      const c = counter();
      const cache = new FreshCache(c.load, { freshMs: 1000, maxAgeMs: 60_000, clock: () => now });
      const first = cache.get();
      now = 100_000; // one computation: 100 s
      c.release();
      await first;
      now = 250_000; // 250 s old: past maxAge, within 1 s + 3 × 100 s
      expect(await cache.get()).to.equal(1);
      now = 302_000;
      const late = cache.get(); // a whole cycle old: the reader waits
      c.release();
      expect(await late).to.equal(2);
    });

    it("does not restart a slow refresh back to back: it pauses twice the last one's duration", async () => {
      let now = 0;
      const c = counter();
      const cache = new FreshCache(c.load, { freshMs: 1000, maxAgeMs: 60_000, clock: () => now });
      const first = cache.get();
      now = 3000; // the computation took 3 s
      c.release();
      await first;
      now = 3000 + 5000; // stale, but within 6 s of the end of the last refresh: served, no refresh
      expect(await cache.get()).to.equal(1);
      expect(c.loads()).to.equal(1);
      now = 3000 + 6000;
      expect(await cache.get()).to.equal(1);
      expect(c.loads()).to.equal(2);
    });
  });
});

// The arithmetic of utilization (server/modules/stats/usage.ts) and the coalescing of live snapshots
// (server/realtime/throttle.ts), without a database: open time from a weekly calendar in its own
// zone across DST, maintenance windows cut out, booked overlap; a burst of marks gives few runs, the
// last after the last mark.
import { expect } from "chai";
import { DateTime } from "luxon";
import { bookedMs, openIntervals, overlapMs, subtract, totalMs } from "../../server/modules/stats/usage";
import { KeyedThrottle } from "../../server/realtime/throttle";

const HOUR = 3_600_000;
const ms = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));

describe("utilization arithmetic", () => {
  it("opens a round-the-clock Berlin instrument 23 hours on the spring-forward day and 25 on the fall-back day", () => {
    const inst = { id: "b", openHours: allDay, slotMinutes: 60, timezone: "Europe/Berlin", capacity: 1 };
    const day = (d: string) => {
      const start = DateTime.fromISO(d, { zone: "Europe/Berlin" });
      return totalMs(openIntervals(inst, start.toMillis(), start.plus({ days: 1 }).toMillis(), []));
    };
    expect(day("2031-03-30") / HOUR).to.equal(23);
    expect(day("2031-10-26") / HOUR).to.equal(25);
    expect(day("2031-06-01") / HOUR).to.equal(24);
  });

  it("counts only whole slots, merges adjacent ones and cuts maintenance windows out exactly", () => {
    const inst = { id: "s", openHours: [{ weekday: 1, start: "08:00", end: "12:30" }, { weekday: 1, start: "13:00", end: "17:00" }], slotMinutes: 60, timezone: "Asia/Shanghai", capacity: 1 };
    const from = ms("2031-03-24T00:00", "Asia/Shanghai"); // a Monday
    const open = openIntervals(inst, from, from + 24 * HOUR, [{ start: ms("2031-03-24T09:30", "Asia/Shanghai"), end: ms("2031-03-24T10:15", "Asia/Shanghai") }]);
    // 08–12 (12:00–12:30 is no whole slot) and 13–17, minus 09:30–10:15.
    expect(totalMs(open) / 60_000).to.equal(8 * 60 - 45);
    expect(open.map((iv) => DateTime.fromMillis(iv.start, { zone: "Asia/Shanghai" }).toFormat("HH:mm"))).to.deep.equal(["08:00", "10:15", "13:00"]);
  });

  it("clips the open time to the range, also a slot that began before it", () => {
    const inst = { id: "k", openHours: allDay, slotMinutes: 120, timezone: "Asia/Kolkata", capacity: 2 };
    const from = ms("2031-03-24T01:00", "Asia/Kolkata");
    expect(totalMs(openIntervals(inst, from, from + 3 * HOUR, []))).to.equal(3 * HOUR);
  });

  it("subtracts overlapping and unsorted windows, and measures overlaps", () => {
    expect(subtract([{ start: 0, end: 100 }], [{ start: 50, end: 60 }, { start: 10, end: 20 }, { start: 55, end: 70 }])).to.deep.equal([
      { start: 0, end: 10 },
      { start: 20, end: 50 },
      { start: 70, end: 100 },
    ]);
    expect(overlapMs([{ start: 0, end: 10 }, { start: 20, end: 30 }], [{ start: 5, end: 25 }])).to.equal(10);
  });

  it("books the parts of active and completed bookings on the instrument only", () => {
    const open = [{ start: 0, end: 10 * HOUR }];
    const item = (instrumentId: string, start: number, end: number, parts?: { start: Date; end: Date }[]) =>
      ({ instrumentId, start: new Date(start), end: new Date(end), ...(parts ? { parts } : {}) }) as never;
    const bookings = [
      { status: "completed", items: [item("i", 0, 2 * HOUR)] },
      { status: "cancelled", items: [item("i", 2 * HOUR, 4 * HOUR)] },
      { status: "confirmed", items: [item("other", 0, 5 * HOUR)] },
      { status: "pending", items: [item("i", 4 * HOUR, 9 * HOUR, [{ start: new Date(4 * HOUR), end: new Date(5 * HOUR) }, { start: new Date(8 * HOUR), end: new Date(9 * HOUR) }])] },
      { status: "in_progress", items: [item("i", 9 * HOUR, 12 * HOUR)] }, // 1 h inside the open time
    ] as never[];
    expect(bookedMs("i", open, bookings) / HOUR).to.equal(2 + 2 + 1);
  });
});

describe("coalescing live snapshots (KeyedThrottle)", () => {
  it("runs a key at most once per gap, never twice at once, and once more after the last mark", async () => {
    const runs: number[] = [];
    let running = 0;
    let overlapped = false;
    let marksSeen = 0;
    let marks = 0;
    const throttle = new KeyedThrottle(100, async () => {
      running++;
      if (running > 1) overlapped = true;
      runs.push(performance.now());
      marksSeen = marks;
      await new Promise((r) => setTimeout(r, 30));
      running--;
    }, 10);
    const start = performance.now();
    while (performance.now() - start < 500) {
      throttle.mark("bureau");
      marks++;
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 250));
    throttle.close();
    expect(overlapped).to.equal(false);
    expect(runs.length).to.be.within(3, 7);
    for (let k = 1; k < runs.length; k++) expect(runs[k]! - runs[k - 1]!).to.be.at.least(95); // timers may fire a millisecond early
    expect(marksSeen, "the last run started after the last mark").to.equal(marks);
  });

  it("keeps the gap after a run has finished: a later mark waits for it", async () => {
    const runs: number[] = [];
    const throttle = new KeyedThrottle(150, async () => void runs.push(performance.now()), 10);
    throttle.mark("p1");
    await new Promise((r) => setTimeout(r, 40)); // the first run is over
    throttle.mark("p1");
    await new Promise((r) => setTimeout(r, 250));
    throttle.close();
    expect(runs).to.have.length(2);
    expect(runs[1]! - runs[0]!).to.be.at.least(145);
  });
});

// The slot arithmetic as a pure function of (open hours, blackouts, claims, rules, now, zone), with a
// frozen clock, in Asia/Shanghai and across Europe/Berlin's DST changes.
import { expect } from "chai";
import { DateTime, Settings } from "luxon";
import {
  checkBookingWindow,
  computeAvailability,
  earliestFit,
  gridSlots,
  longestBlockSlots,
  MAX_PART_GAP_MS,
  partsOf,
  resolveRules,
  type Calendar,
} from "../../server/modules/scheduling/availability";

const ms = (iso: string) => Date.parse(iso);
const local = (t: number, zone: string) => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");

function calendar(overrides: Partial<Calendar> = {}): Calendar {
  return {
    openHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: "08:30", end: "12:00" },
      { weekday, start: "13:30", end: "17:30" },
    ]),
    slotMinutes: 30,
    capacity: 1,
    zone: "Asia/Shanghai",
    blackouts: [],
    rules: resolveRules(undefined, 30),
    ...overrides,
  };
}

describe("availability (pure)", () => {
  const realNow = Settings.now;
  // Friday 2026-03-27 09:00 in Shanghai.
  beforeEach(() => (Settings.now = () => ms("2026-03-27T09:00:00+08:00")));
  afterEach(() => (Settings.now = realNow));

  describe("in Asia/Shanghai", () => {
    it("cuts each open range into slots of the instrument's grid, in its own zone", () => {
      const slots = computeAvailability(calendar(), [], { start: ms("2026-03-30T00:00:00+08:00"), end: ms("2026-03-31T00:00:00+08:00") });
      expect(slots).to.have.length(15); // 7 in the morning, 8 in the afternoon
      expect(local(slots[0]!.start, "Asia/Shanghai")).to.equal("2026-03-30 08:30 +08:00");
      expect(local(slots[6]!.end, "Asia/Shanghai")).to.equal("2026-03-30 12:00 +08:00");
      expect(local(slots[7]!.start, "Asia/Shanghai")).to.equal("2026-03-30 13:30 +08:00");
      expect(slots.every((s) => s.free === 1)).to.equal(true);
    });

    it("leaves out slots that start before now + the minimum notice (2 h by default)", () => {
      const slots = computeAvailability(calendar(), [], { start: ms("2026-03-27T00:00:00+08:00"), end: ms("2026-03-28T00:00:00+08:00") });
      expect(local(slots[0]!.start, "Asia/Shanghai")).to.equal("2026-03-27 11:00 +08:00");
    });

    it("leaves out slots beyond the maximum advance", () => {
      const cal = calendar({ rules: resolveRules({ maxAdvanceDays: 3 }, 30) });
      const slots = computeAvailability(cal, [], { start: ms("2026-03-30T00:00:00+08:00"), end: ms("2026-04-06T00:00:00+08:00") });
      expect(slots.at(-1)!.start).to.be.at.most(ms("2026-03-30T09:00:00+08:00"));
    });

    it("subtracts maintenance windows and claimed units", () => {
      const cal = calendar({ capacity: 2, blackouts: [{ start: ms("2026-03-30T08:30:00+08:00"), end: ms("2026-03-30T12:00:00+08:00") }] });
      const t = ms("2026-03-30T14:00:00+08:00");
      const slots = computeAvailability(cal, [{ start: t, unit: 0 }, { start: t, unit: 1 }, { start: t + 1800_000, unit: 1 }], {
        start: ms("2026-03-30T00:00:00+08:00"),
        end: ms("2026-03-31T00:00:00+08:00"),
      });
      expect(slots).to.have.length(8); // the morning is closed
      expect(slots.find((s) => s.start === t)!.free).to.equal(0);
      expect(slots.find((s) => s.start === t + 1800_000)!.free).to.equal(1);
    });
  });

  describe("across DST in Europe/Berlin", () => {
    const zone = "Europe/Berlin";
    const allDaySunday = [{ weekday: 7, start: "00:00", end: "24:00" }];
    beforeEach(() => (Settings.now = () => ms("2026-03-01T00:00:00+01:00")));

    it("has 23 hourly slots on 2026-03-29 and none at 02:00 (the hour that does not exist)", () => {
      const slots = gridSlots(allDaySunday, 60, zone, ms("2026-03-29T00:00:00+01:00"), ms("2026-03-30T00:00:00+02:00"));
      expect(slots).to.have.length(23);
      const hours = slots.map((s) => DateTime.fromMillis(s.start, { zone }).hour);
      expect(hours).to.not.include(2);
      expect(local(slots[2]!.start, zone)).to.equal("2026-03-29 03:00 +02:00");
      expect(slots.every((s) => s.end - s.start === 3600_000)).to.equal(true);
    });

    it("has 25 hourly slots on 2026-10-25, 02:00 twice (once in summer time, once in winter time)", () => {
      const slots = gridSlots(allDaySunday, 60, zone, ms("2026-10-25T00:00:00+02:00"), ms("2026-10-26T00:00:00+01:00"));
      expect(slots).to.have.length(25);
      const twoOClock = slots.filter((s) => DateTime.fromMillis(s.start, { zone }).hour === 2).map((s) => local(s.start, zone));
      expect(twoOClock).to.deep.equal(["2026-10-25 02:00 +02:00", "2026-10-25 02:00 +01:00"]);
    });

    it("keeps a morning range at the same wall-clock time on both sides of the change", () => {
      const hours = [{ weekday: 7, start: "09:00", end: "10:00" }, { weekday: 1, start: "09:00", end: "10:00" }];
      const slots = computeAvailability(
        { ...calendar({ zone, openHours: hours, slotMinutes: 60 }) },
        [],
        { start: ms("2026-03-28T00:00:00+01:00"), end: ms("2026-03-31T00:00:00+02:00") },
      );
      expect(slots.map((s) => local(s.start, zone))).to.deep.equal(["2026-03-29 09:00 +02:00", "2026-03-30 09:00 +02:00"]);
    });

    it("accepts a booking over the spring gap as one stretch of grid slots (01:00–04:00 is two hours)", () => {
      const cal = calendar({ zone, openHours: allDaySunday, slotMinutes: 60 });
      const check = checkBookingWindow(cal, ms("2026-03-29T01:00:00+01:00"), ms("2026-03-29T04:00:00+02:00"));
      expect(check.ok).to.equal(true);
      if (check.ok) expect(check.slots).to.have.length(2);
    });
  });

  describe("checking a requested stretch", () => {
    const cal = calendar();
    const check = (start: string, end: string) => checkBookingWindow(cal, ms(start), ms(end));
    const codeOf = (start: string, end: string) => {
      const r = check(start, end);
      return r.ok ? "ok" : r.code;
    };

    it("accepts whole slots inside open hours", () => expect(codeOf("2026-03-30T08:30:00+08:00", "2026-03-30T10:00:00+08:00")).to.equal("ok"));
    it("refuses a start off the grid", () => expect(codeOf("2026-03-30T08:45:00+08:00", "2026-03-30T10:00:00+08:00")).to.equal("NOT_ON_GRID"));
    it("refuses an end off the grid", () => expect(codeOf("2026-03-30T08:30:00+08:00", "2026-03-30T09:10:00+08:00")).to.equal("NOT_ON_GRID"));
    it("refuses time outside open hours", () => expect(codeOf("2026-03-30T07:00:00+08:00", "2026-03-30T08:00:00+08:00")).to.equal("OUTSIDE_OPEN_HOURS"));
    it("refuses a stretch over the lunch break", () => expect(codeOf("2026-03-30T11:30:00+08:00", "2026-03-30T14:00:00+08:00")).to.equal("OUTSIDE_OPEN_HOURS"));
    it("refuses too short notice", () => expect(codeOf("2026-03-27T09:30:00+08:00", "2026-03-27T10:00:00+08:00")).to.equal("TOO_SHORT_NOTICE"));
    it("refuses too far ahead", () => expect(codeOf("2026-07-01T08:30:00+08:00", "2026-07-01T09:00:00+08:00")).to.equal("TOO_FAR_AHEAD"));
    it("refuses longer than the maximum duration", () => {
      const short = calendar({ rules: resolveRules({ maxDurationMinutes: 60 }, 30) });
      const r = checkBookingWindow(short, ms("2026-03-30T08:30:00+08:00"), ms("2026-03-30T10:00:00+08:00"));
      expect(r.ok ? "ok" : r.code).to.equal("TOO_LONG");
    });
    it("refuses shorter than the minimum duration", () => {
      const long = calendar({ rules: resolveRules({ minDurationMinutes: 90 }, 30) });
      const r = checkBookingWindow(long, ms("2026-03-30T08:30:00+08:00"), ms("2026-03-30T09:30:00+08:00"));
      expect(r.ok ? "ok" : r.code).to.equal("TOO_SHORT");
    });
    it("refuses a maintenance window", () => {
      const closed = calendar({ blackouts: [{ start: ms("2026-03-30T09:00:00+08:00"), end: ms("2026-03-30T09:30:00+08:00") }] });
      const r = checkBookingWindow(closed, ms("2026-03-30T08:30:00+08:00"), ms("2026-03-30T10:00:00+08:00"));
      expect(r.ok ? "ok" : r.code).to.equal("IN_BLACKOUT");
    });
  });

  describe("the earliest fit of a package item", () => {
    it("skips taken units and respects the buffer after the stretch", () => {
      const cal = calendar({ capacity: 1, rules: resolveRules({ bufferMinutes: 30 }, 30) });
      const taken = new Set([ms("2026-03-30T08:30:00+08:00"), ms("2026-03-30T10:00:00+08:00")]);
      const fit = earliestFit(cal, 2, ms("2026-03-30T00:00:00+08:00"), ms("2026-03-31T00:00:00+08:00"), (t) => taken.has(t));
      // 09:00–10:00 would need 10:00 as its buffer (taken); 10:30–11:30 with 11:30 free fits.
      expect(fit && local(fit.slots[0]!.start, "Asia/Shanghai")).to.equal("2026-03-30 10:30 +08:00");
    });
  });

  describe("an item longer than one open block", () => {
    const HOUR_BLOCKS = [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: "08:00", end: "12:00" },
      { weekday, start: "13:30", end: "17:30" },
    ]);
    const hourly = (overrides: Partial<Calendar> = {}) => calendar({ openHours: HOUR_BLOCKS, slotMinutes: 60, rules: resolveRules(undefined, 60), ...overrides });
    const partsIn = (slots: { start: number; end: number }[], zone: string) =>
      partsOf(slots).map((p) => `${DateTime.fromMillis(p.start, { zone }).toFormat("MM-dd HH:mm")}–${DateTime.fromMillis(p.end, { zone }).toFormat("HH:mm")}`);
    const nothingTaken = () => false;

    it("knows the longest block of the weekly hours, and that round-the-clock hours have no end", () => {
      expect(longestBlockSlots(HOUR_BLOCKS, 60)).to.equal(4);
      expect(longestBlockSlots(calendar().openHours, 30)).to.equal(8);
      const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
      expect(longestBlockSlots(allDay, 60)).to.equal(Infinity);
      // Friday night into Saturday morning is one block.
      expect(longestBlockSlots([{ weekday: 5, start: "20:00", end: "24:00" }, { weekday: 6, start: "00:00", end: "06:00" }], 60)).to.equal(10);
    });

    it("takes 960 minutes over consecutive open blocks of two days (Asia/Shanghai)", () => {
      const fit = earliestFit(hourly(), 16, ms("2026-03-30T08:00:00+08:00"), ms("2026-04-30T00:00:00+08:00"), nothingTaken);
      expect(fit!.unit).to.equal(0);
      expect(partsIn(fit!.slots, "Asia/Shanghai")).to.deep.equal(["03-30 08:00–12:00", "03-30 13:30–17:30", "03-31 08:00–12:00", "03-31 13:30–17:30"]);
    });

    it("starts where it can run without leaving a free open slot out, and skips the weekend", () => {
      // Friday 2026-04-03: 13:30 is taken; 12 hours from Friday 08:00 cannot jump over it.
      const taken = new Set([ms("2026-04-03T13:30:00+08:00")]);
      const fit = earliestFit(hourly(), 12, ms("2026-04-03T08:00:00+08:00"), ms("2026-04-30T00:00:00+08:00"), (t) => taken.has(t));
      expect(partsIn(fit!.slots, "Asia/Shanghai")).to.deep.equal(["04-03 14:30–17:30", "04-06 08:00–12:00", "04-06 13:30–17:30", "04-07 08:00–09:00"]);
    });

    it("runs around a maintenance window, but not across a gap of a week or more", () => {
      const shortWindow = hourly({ blackouts: [{ start: ms("2026-03-31T00:00:00+08:00"), end: ms("2026-04-01T00:00:00+08:00") }] });
      const fit = earliestFit(shortWindow, 12, ms("2026-03-30T08:00:00+08:00"), ms("2026-03-30T09:00:00+08:00"), nothingTaken);
      expect(partsIn(fit!.slots, "Asia/Shanghai")).to.deep.equal(["03-30 08:00–12:00", "03-30 13:30–17:30", "04-01 08:00–12:00"]);
      const week = { start: ms("2026-03-31T00:00:00+08:00"), end: ms("2026-03-31T00:00:00+08:00") + MAX_PART_GAP_MS };
      expect(earliestFit(hourly({ blackouts: [week] }), 12, ms("2026-03-30T08:00:00+08:00"), ms("2026-03-30T09:00:00+08:00"), nothingTaken)).to.equal(null);
    });

    it("keeps all parts on one unit, the earliest start first, then the lowest unit", () => {
      // Unit 0 is busy on Tuesday morning, unit 1 is free: the item runs on unit 1 from Monday.
      const taken = new Set([`${ms("2026-03-31T08:00:00+08:00")}:0`]);
      const fit = earliestFit(hourly({ capacity: 2 }), 12, ms("2026-03-30T08:00:00+08:00"), ms("2026-04-30T00:00:00+08:00"), (t, u) => taken.has(`${t}:${u}`));
      expect(fit!.unit).to.equal(1);
      expect(partsIn(fit!.slots, "Asia/Shanghai")[0]).to.equal("03-30 08:00–12:00");
    });

    it("puts the buffer after the last part only", () => {
      const buffered = hourly({ rules: resolveRules({ bufferMinutes: 60 }, 60) });
      // 12:00 (lunch) is not an instrument slot; a claim on Monday 12:00 would not matter. Tuesday 12:00 does:
      // it is where the buffer after 08:00–12:00 + 13:30–17:30 + 08:00–12:00 would go.
      const taken = new Set([ms("2026-03-31T12:00:00+08:00")]);
      const fit = earliestFit(buffered, 12, ms("2026-03-30T08:00:00+08:00"), ms("2026-04-30T00:00:00+08:00"), (t) => taken.has(t));
      expect(partsIn(fit!.slots, "Asia/Shanghai")[0]).to.equal("03-30 09:00–12:00");
    });

    it("counts open slots in local time across the spring DST change (Europe/Berlin)", () => {
      const berlin = hourly({ zone: "Europe/Berlin", openHours: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [{ weekday, start: "08:00", end: "12:00" }]) });
      // Saturday 2026-03-28 and Sunday 2026-03-29 (summer time begins at 02:00): 8 hours from Saturday.
      const fit = earliestFit(berlin, 8, ms("2026-03-28T08:00:00+01:00"), ms("2026-03-29T00:00:00+01:00"), nothingTaken, ms("2026-03-27T09:00:00+01:00"));
      expect(partsIn(fit!.slots, "Europe/Berlin")).to.deep.equal(["03-28 08:00–12:00", "03-29 08:00–12:00"]);
      expect(new Date(fit!.slots[4]!.start).toISOString()).to.equal("2026-03-29T06:00:00.000Z"); // 08:00 CEST
    });
  });
});

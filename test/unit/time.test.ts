import { expect } from "chai";
import { DateTime } from "luxon";
import { isoInZone } from "../../shared/time";

describe("isoInZone", () => {
  it("matches Luxon's toISO every 15 minutes across both 2026 DST changes in Berlin, in Shanghai and in a half-hour zone", () => {
    const zones = ["Europe/Berlin", "Asia/Shanghai", "Asia/Kolkata", "America/St_Johns"];
    const spans = [Date.UTC(2026, 2, 28, 12), Date.UTC(2026, 9, 24, 12)];
    for (const zone of zones) {
      for (const from of spans) {
        for (let ms = from; ms < from + 2 * 86_400_000; ms += 15 * 60_000) {
          expect(isoInZone(ms, zone)).to.equal(DateTime.fromMillis(ms, { zone }).toISO());
        }
      }
    }
  });

  it("matches Luxon at instants off the quarter hour around the DST changes of 2000–2100 in zones with half- and three-quarter-hour offsets", () => {
    const zones = ["Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "America/Santiago", "Europe/London", "Asia/Shanghai"];
    for (const zone of zones) {
      for (let year = 2000; year <= 2100; year += 11) {
        for (let month = 0; month < 12; month++) {
          // Every 97 minutes and 13 seconds for two days at the start of each month: off the quarter hour, through any change near it.
          const from = Date.UTC(year, month, 1);
          for (let ms = from; ms < from + 2 * 86_400_000; ms += 97 * 60_000 + 13_000) {
            expect(isoInZone(ms, zone), `${zone} ${new Date(ms).toISOString()}`).to.equal(DateTime.fromMillis(ms, { zone }).toISO());
          }
        }
      }
    }
  });

  it("gives the right offset in the minute before and the minute after each 2026 change in Lord Howe (30-minute DST) and Chatham", () => {
    for (const zone of ["Australia/Lord_Howe", "Pacific/Chatham", "Europe/Berlin"]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 15 * 60_000) {
        const before = DateTime.fromMillis(ms - 60_000, { zone });
        const after = DateTime.fromMillis(ms, { zone });
        if (before.offset === after.offset) continue;
        expect(isoInZone(ms - 60_000, zone)).to.equal(before.toISO());
        expect(isoInZone(ms, zone)).to.equal(after.toISO());
        expect(isoInZone(ms + 59_000, zone)).to.equal(DateTime.fromMillis(ms + 59_000, { zone }).toISO());
      }
    }
  });
});

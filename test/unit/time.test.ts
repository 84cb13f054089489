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
});

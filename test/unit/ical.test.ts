// RFC 5545 text as calendar apps read it: escaping, folding at 75 octets (never inside a UTF-8
// character), CRLF, UTC times; checked against a real parser (ical.js).
import { expect } from "chai";
import ICAL from "ical.js";
import { escapeText, foldLine, icalendar, utcStamp } from "../../server/modules/calendar/ical";

describe("iCalendar text", () => {
  it("escapes backslash, semicolon, comma and line breaks in TEXT and drops control characters", () => {
    expect(escapeText("a\\b;c,d\r\ne\nf\u0007")).to.equal("a\\\\b\\;c\\,d\\ne\\nf");
  });

  it("folds lines at 75 octets, continuation lines starting with one space, never splitting a character", () => {
    const line = `DESCRIPTION:${"扫描电子显微镜测试样品".repeat(12)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).to.be.greaterThan(3);
    for (const [k, part] of parts.entries()) {
      expect(Buffer.byteLength(part, "utf8"), part).to.be.at.most(75);
      if (k > 0) expect(part.startsWith(" ")).to.equal(true);
    }
    expect(parts.map((p, k) => (k ? p.slice(1) : p)).join("")).to.equal(line);
    expect(foldLine("SHORT:x")).to.equal("SHORT:x");
  });

  it("writes UTC times as 20261203T084500Z", () => {
    expect(utcStamp(new Date("2026-12-03T08:45:00.123Z"))).to.equal("20261203T084500Z");
  });

  it("a calendar with tricky text parses back to the same values with ical.js", () => {
    const summary = "显微镜, 第 2 台; \\备用\\";
    const description = `预约单号: YY-20261203-0042\n${"很长的说明".repeat(40)}`;
    const text = icalendar({
      name: "我的预约",
      events: [
        { uid: "b1-0@labshare", stamp: new Date("2026-12-01T00:00:00Z"), start: new Date("2026-12-03T00:00:00Z"), end: new Date("2026-12-03T01:30:00Z"), summary, description, location: "聊城, 3 号楼", status: "CANCELLED", sequence: 2 },
      ],
    });
    expect(text.endsWith("\r\n")).to.equal(true);
    expect(text.replace(/\r\n/g, "")).not.to.match(/[\r\n]/);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).to.be.at.most(75);
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue("version")).to.equal("2.0");
    const vevent = cal.getFirstSubcomponent("vevent")!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).to.equal("b1-0@labshare");
    expect(event.summary).to.equal(summary);
    expect(event.description).to.equal(description);
    expect(event.location).to.equal("聊城, 3 号楼");
    expect(event.startDate.toJSDate().toISOString()).to.equal("2026-12-03T00:00:00.000Z");
    expect(event.endDate.toJSDate().toISOString()).to.equal("2026-12-03T01:30:00.000Z");
    expect(event.startDate.zone?.tzid).to.equal("UTC");
    expect(vevent.getFirstPropertyValue("status")).to.equal("CANCELLED");
    expect(String(vevent.getFirstPropertyValue("dtstamp"))).to.equal("2026-12-01T00:00:00Z");
  });
});

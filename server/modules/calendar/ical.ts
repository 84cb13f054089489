// iCalendar (RFC 5545) text for booking feeds: CRLF line ends, TEXT values escaped (§3.3.11), lines
// folded at 75 octets without splitting a UTF-8 character (§3.1), times in UTC (`...Z`).
export interface IcalEvent {
  uid: string;
  /** For a published feed (no METHOD REQUEST) DTSTAMP is when the event last changed (§3.8.7.2). */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  status: "TENTATIVE" | "CONFIRMED" | "CANCELLED";
  /** Bumped by each change, so calendar apps replace their copy. */
  sequence: number;
}

export interface IcalCalendar {
  name: string;
  events: readonly IcalEvent[];
}

const CRLF = "\r\n";

/** TEXT escaping: backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    // Control characters are not allowed in TEXT (§3.3.11); line breaks were escaped above.
    .replace(/\p{Cc}/gu, "");
}

/** Folds a content line: at most 75 octets per line, continuation lines start with one space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    const limit = out.length === 0 ? 75 : 74; // a continuation line's leading space is one of its 75
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

/** 20261203T084500Z */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function eventLines(e: IcalEvent): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${utcStamp(e.stamp)}`,
    `LAST-MODIFIED:${utcStamp(e.stamp)}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTART:${utcStamp(e.start)}`,
    `DTEND:${utcStamp(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
    ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
    `STATUS:${e.status}`,
    `TRANSP:${e.status === "CANCELLED" ? "TRANSPARENT" : "OPAQUE"}`,
    "END:VEVENT",
  ];
}

export function icalendar(cal: IcalCalendar): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//labshare//booking feed//ZH",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    // How often calendar apps should look again (RFC 7986, and the older Microsoft property).
    "REFRESH-INTERVAL;VALUE=DURATION:PT15M",
    "X-PUBLISHED-TTL:PT15M",
    ...cal.events.flatMap(eventLines),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

// Wall-clock times in an instrument's own IANA zone ↔ ISO instants, with Intl only (the client
// does not ship Luxon for two conversions). A blackout typed as "2025-03-08 14:00" means 14:00 where
// the instrument stands, whatever zone the browser is in.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(zone, f);
  }
  return f;
}

function wallParts(utcMs: number, zone: string) {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetMs(utcMs: number, zone: string): number {
  const w = wallParts(utcMs, zone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

/** "2025-03-08 14:00" in `zone` → "2025-03-08T06:00:00.000Z". */
export function wallTimeToIso(wall: string, zone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(wall);
  if (!m) throw new Error(`not a wall time: ${wall}`);
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the guess can differ from the offset at the answer across a DST change: retry once.
  let utc = asUtc - offsetMs(asUtc, zone);
  const second = offsetMs(utc, zone);
  if (second !== asUtc - utc) utc = asUtc - second;
  return new Date(utc).toISOString();
}

/** An ISO instant → "2025-03-08 14:00" on the wall clock of `zone`. */
export function isoToWallTime(iso: string, zone: string): string {
  const w = wallParts(Date.parse(iso), zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

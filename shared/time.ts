// Time helpers shared by server and client. Instants are UTC milliseconds; zones are IANA names.
import { IANAZone } from "luxon";

const zones = new Map<string, IANAZone>();

function zone(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    z = IANAZone.create(name);
    zones.set(name, z);
  }
  return z;
}

const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();
/** Remembered offsets per zone before the map is started afresh (a few years of quarter hours). */
const MAX_REMEMBERED = 200_000;

/**
 * The zone's UTC offset in minutes at `ms`. Luxon asks Intl for it (`formatToParts`, ~10 µs), which
 * dominated availability's CPU, so offsets are remembered per quarter hour: every offset in use since
 * 1980 is a multiple of 15 minutes and every change happens at a local time on a quarter hour, hence
 * at a UTC instant on a quarter hour, so one quarter hour never has two offsets.
 */
function offsetAt(zoneName: string, ms: number): number {
  let known = offsets.get(zoneName);
  if (!known || known.size > MAX_REMEMBERED) offsets.set(zoneName, (known = new Map()));
  const quarter = Math.floor(ms / QUARTER_HOUR);
  let offset = known.get(quarter);
  if (offset === undefined) known.set(quarter, (offset = zone(zoneName).offset(quarter * QUARTER_HOUR)));
  return offset;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * The instant as ISO 8601 in the zone's local time with its offset, e.g. "2026-03-29T03:00:00.000+02:00":
 * what Luxon's `DateTime.fromMillis(ms, {zone}).toISO()` gives, about 10× faster (Luxon still
 * supplies the offset, so DST is its rule). Availability formats hundreds of slots per request.
 */
export function isoInZone(ms: number, zoneName: string): string {
  const offset = offsetAt(zoneName, ms);
  return new Date(ms + offset * 60_000).toISOString().slice(0, -1) + offsetText(offset);
}

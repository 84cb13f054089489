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
  const offset = zone(zoneName).offset(ms);
  return new Date(ms + offset * 60_000).toISOString().slice(0, -1) + offsetText(offset);
}

// A range picked on an instrument's calendar survives the detour through login and registration:
// it rides in the return address (`?start=…&end=…`, instants in ISO form) and is picked again when
// the visitor comes back, once the calendar shows that it is still free. Only well-formed ranges
// no longer than the instrument allows are taken from the address; a stale one is reported.
import type { LocationQuery } from "vue-router";

export interface KeptRange {
  start: string;
  end: string;
  startMs: number;
  endMs: number;
}

const one = (value: LocationQuery[string] | undefined) => (typeof value === "string" ? value : null);

/** The range in a route's query, if it is two instants in order, at most `maxMinutes` apart. */
export function keptRangeOf(query: LocationQuery, maxMinutes: number): KeptRange | null {
  const start = one(query.start);
  const end = one(query.end);
  if (!start || !end) return null;
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) return null;
  if ((endMs - startMs) / 60_000 > maxMinutes) return null;
  return { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), startMs, endMs };
}

/** The query without the kept range (once restored, a reload must not restore it again). */
export function withoutKeptRange(query: LocationQuery): LocationQuery {
  const { start: _start, end: _end, ...rest } = query;
  return rest;
}

/** Where to come back to after login or registration: this page, with the range if one is picked. */
export function returnPath(path: string, query: LocationQuery, range: { start: string; end: string } | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(withoutKeptRange(query))) {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string") params.append(key, v);
  }
  if (range) {
    params.set("start", range.start);
    params.set("end", range.end);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

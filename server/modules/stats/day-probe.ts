// Enumerates per-day sequences stored by `_id` (`YY-<yyyyMMdd>-<n>` booking numbers, `<day>:<n>`
// day-log entries) without a scan: numbers are taken from 1 upwards by inserts, so a day's
// documents are n = 1, 2, … with at most rare gaps (an insert that failed after its number was
// taken). Every day's numbers are probed together in `_id $in` batches, a window that doubles per
// round; a day ends after PROBE_GAP free numbers in a row.
import type { Connection } from "mongoose";
import { chunks } from "../../db/by-ids";

/** Free numbers in a row after which a day's sequence is taken to end (also the first round's window). */
export const PROBE_GAP = 16;

/** The documents of each day's sequence, in `n` order (`idOf(day, n)` names the n-th). */
export async function probeDays<D extends { _id: string }>(
  conn: Connection,
  collection: string,
  days: readonly string[],
  idOf: (day: string, n: number) => string,
  projection?: Record<string, 0 | 1>,
  /** Numbers known to be taken per day (a live day read before): the first round reaches past them, so a steady day is one round. */
  hints?: ReadonlyMap<string, number>,
): Promise<Map<string, D[]>> {
  const found = new Map<string, Map<number, D>>(days.map((d) => [d, new Map()]));
  const state = new Map(days.map((d) => [d, { last: 0, probed: 0, first: hints?.get(d) ?? 0 }]));
  let active = [...days];
  while (active.length > 0) {
    const wanted = new Map<string, { day: string; n: number }>();
    for (const day of active) {
      const s = state.get(day)!;
      const upTo = s.probed + Math.max(PROBE_GAP, s.probed, s.first);
      for (let n = s.probed + 1; n <= upTo; n++) wanted.set(idOf(day, n), { day, n });
      s.probed = upTo;
    }
    for (const doc of await readByIds<D>(conn, collection, [...wanted.keys()], projection)) {
      const at = wanted.get(doc._id);
      if (!at) continue;
      found.get(at.day)!.set(at.n, doc);
      const s = state.get(at.day)!;
      if (at.n > s.last) s.last = at.n;
    }
    active = active.filter((day) => {
      const s = state.get(day)!;
      return s.probed - s.last < PROBE_GAP;
    });
  }
  return new Map([...found].map(([day, docs]) => [day, [...docs].sort((a, b) => a[0] - b[0]).map(([, d]) => d)]));
}

/** Chunks read at once: rolling a year of history up must not take every connection of the pool. */
const PARALLEL_CHUNKS = 4;

/** Raw documents by `_id $in` (chunks of ID_CHUNK, PARALLEL_CHUNKS at a time), whether or not a model is registered on the connection. */
export async function readByIds<D>(conn: Connection, collection: string, ids: readonly string[], projection?: Record<string, 0 | 1>): Promise<D[]> {
  const col = conn.collection(collection);
  const queue = chunks([...new Set(ids)]);
  const found: unknown[] = [];
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CHUNKS, queue.length) }, async () => {
    for (let chunk = queue.shift(); chunk; chunk = queue.shift()) found.push(...(await col.find({ _id: { $in: chunk as never[] } }, projection ? { projection } : {}).toArray()));
  }));
  return found as D[];
}

// Slot claims: the only guard against double booking. Holding unit u of an instrument from slot
// start t is the insert of `{_id: "<instrumentId>:<t as ISO UTC>:<u>"}`; of two racing requests for
// the same unit exactly one insert wins, on FerretDB (SQLite's primary key) and MongoDB alike, with
// several server processes, without transactions or conditional updates.
//
// Claims are inserted one at a time, so a request knows exactly which ones it owns (FerretDB's
// insertMany is not all-or-nothing) and removes exactly those when it loses. Each carries its
// bookingId, so the sweeper can tell an orphan from a live hold.
//
// Reads. Measured on the embedded FerretDB v1.24.2 (2 CPUs, 50,000 claims): its `_id` "pushdown" is
// still a full table scan (the unique index is on `json->"_id"`, the query on `json->'$._id'`, so
// SQLite cannot use it: EXPLAIN says SCAN), ~90 ms per `find({_id})`; `_id: {$in: [160 ids]}` is
// filtered in Go, ~1.1 s; 160 parallel `findOne({_id})` ~10 s. So per-id lookups of computed claim
// ids cost O(collection) *each*; the cheapest read is ONE query per availability request,
// `{instrumentId, start: {$gte, $lt}}` (one scan on FerretDB, an index range on MongoDB with the
// declared index), over a collection kept small: claims exist only for active bookings, and the
// sweeper drops claims of slots that are over (nothing can be booked in the past).
import type { Interval } from "./availability";
import { isDuplicateKeyError } from "../../db/errors";
import type { SchedulingModels } from "./model";

export function claimId(instrumentId: string, start: number, unit: number): string {
  return `${instrumentId}:${new Date(start).toISOString()}:${unit}`;
}

export type ClaimResult = { ok: true; ids: string[] } | { ok: false; takenAt: number };

export class ClaimStore {
  constructor(private readonly m: SchedulingModels) {}

  /**
   * Claims unit `unit` from each of `starts` for `bookingId`: all of them, or none (the ones this
   * call inserted are removed again when one is taken; `takenAt` says which).
   */
  async claim(instrumentId: string, starts: readonly number[], unit: number, bookingId: string): Promise<ClaimResult> {
    const owned: string[] = [];
    const createdAt = new Date();
    for (const start of starts) {
      const _id = claimId(instrumentId, start, unit);
      try {
        await this.m.claims.create({ _id, instrumentId, start: new Date(start), unit, bookingId, createdAt });
        owned.push(_id);
      } catch (err) {
        await this.release(owned, bookingId);
        if (isDuplicateKeyError(err)) return { ok: false, takenAt: start };
        throw err;
      }
    }
    return { ok: true, ids: owned };
  }

  /** Removes claims by id, only while they still belong to `bookingId` (one scan, whatever their number). */
  async release(ids: readonly string[], bookingId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.m.claims.deleteMany({ _id: { $in: [...ids] }, bookingId });
  }

  /** The claims of several instruments with a slot start in the interval, by instrument: one query. */
  async betweenMany(instrumentIds: readonly string[], range: Interval): Promise<Map<string, { start: number; unit: number }[]>> {
    const docs = await this.m.claims
      .find({ instrumentId: { $in: [...instrumentIds] }, start: { $gte: new Date(range.start), $lt: new Date(range.end) } }, { _id: 0, instrumentId: 1, start: 1, unit: 1 })
      .lean<{ instrumentId: string; start: Date; unit: number }[]>();
    const byInstrument = new Map<string, { start: number; unit: number }[]>(instrumentIds.map((id) => [id, []]));
    for (const d of docs) byInstrument.get(d.instrumentId)?.push({ start: d.start.getTime(), unit: d.unit });
    return byInstrument;
  }

  /** The claims of one instrument with a slot start in the interval: one query. */
  async between(instrumentId: string, range: Interval): Promise<{ start: number; unit: number }[]> {
    const docs = await this.m.claims
      .find({ instrumentId, start: { $gte: new Date(range.start), $lt: new Date(range.end) } }, { _id: 0, start: 1, unit: 1 })
      .lean<{ start: Date; unit: number }[]>();
    return docs.map((d) => ({ start: d.start.getTime(), unit: d.unit }));
  }
}

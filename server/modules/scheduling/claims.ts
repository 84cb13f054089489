// Slot claims: the only guard against double booking. Holding unit u of an instrument from slot
// start t is the insert of a document named after that slot, `<instrumentId>:<t as ISO UTC>:<u>`;
// of two racing requests for the same unit exactly one insert wins, on FerretDB (SQLite's primary
// key) and MongoDB alike, with several server processes, without transactions or conditional updates.
//
// Claims are inserted one at a time, so a request knows exactly which ones it owns (FerretDB's
// insertMany is not all-or-nothing) and releases exactly those when it loses. Each carries its
// bookingId, so the sweeper can tell an orphan from a live hold.
//
// Releasing, and why claims are never deleted while their slot lies ahead. FerretDB's delete (and
// update) reads the matching documents, filters them in Go, then deletes by `_id`: the filter is not
// re-checked at the delete. With a claim named only by its slot, a release could remove someone
// else's claim: releasers R1 and R2 of booking A (a cancel and the sweeper, say) both read claim X
// as A's; R1 deletes it; booking B inserts X; R2 deletes X by `_id`: B's claim is gone and the slot
// can be sold twice. A `deleteOne({_id, bookingId})` per claim has the same gap. So each holding of a
// slot is its own document, a *generation*: the first is named `<slot>` (as claims always were), the
// next `<slot>#1`, `<slot>#2`, …. Releasing marks that generation released (and strips the fields
// availability reads by); it is never deleted, and never written by anyone but releasers of its one
// holder, who all write the same thing. Claiming a slot walks the generations: insert `<slot>#g`;
// on a duplicate key, read it: released → try g+1, live → taken. Generation g+1 is inserted only by
// a request that saw g released (released never reverts), and two such requests race on that one
// `_id`: exactly one wins. A late releaser of A can only ever touch A's generation, so B's survives
// (test/integration/claim-release.test.ts runs that race many times). Generations of slots over for a
// day are deleted by the sweeper: nothing can be claimed in the past.
//
// Reads. Measured on the embedded FerretDB v1.24.2 (2 CPUs, 50,000 claims): its `_id` "pushdown" is
// still a full table scan (the unique index is on `json->"_id"`, the query on `json->'$._id'`, so
// SQLite cannot use it: EXPLAIN says SCAN), ~90 ms per `find({_id})`; `_id: {$in: [160 ids]}` is
// filtered in Go, ~1.1 s; 160 parallel `findOne({_id})` ~10 s. So per-id lookups of computed claim
// ids cost O(collection) *each*; the cheapest read is ONE query per availability request,
// `{instrumentId, start: {$gte, $lt}}` (one scan on FerretDB, an index range on MongoDB with the
// declared index), over a collection kept small: the sweeper drops claims of slots that are over.
// Claiming reads only when an insert collides (a taken or once-released slot).
import type { Interval } from "./availability";
import { isDuplicateKeyError } from "../../db/errors";
import type { SchedulingModels } from "./model";

/** The name of a slot of one unit (and of its first claim generation). */
export function claimId(instrumentId: string, start: number, unit: number): string {
  return `${instrumentId}:${new Date(start).toISOString()}:${unit}`;
}

function generationId(slot: string, generation: number): string {
  return generation === 0 ? slot : `${slot}#${generation}`;
}

/** More generations than this for one slot means something is wrong: answer "taken" rather than loop. */
const MAX_GENERATIONS = 1000;

export type ClaimResult = { ok: true; ids: string[] } | { ok: false; takenAt: number };

export class ClaimStore {
  constructor(private readonly m: SchedulingModels) {}

  /**
   * Claims unit `unit` from each of `starts` for `bookingId`: all of them, or none (the ones this
   * call inserted are released again when one is taken; `takenAt` says which). The ids returned
   * name these generations: they are what the booking releases later.
   */
  async claim(instrumentId: string, starts: readonly number[], unit: number, bookingId: string): Promise<ClaimResult> {
    const owned: string[] = [];
    const createdAt = new Date();
    for (const start of starts) {
      let id: string | null;
      try {
        id = await this.claimSlot(claimId(instrumentId, start, unit), { instrumentId, start: new Date(start), unit, bookingId, createdAt });
      } catch (err) {
        await this.release(owned, bookingId);
        throw err;
      }
      if (id === null) {
        await this.release(owned, bookingId);
        return { ok: false, takenAt: start };
      }
      owned.push(id);
    }
    return { ok: true, ids: owned };
  }

  /** Inserts the next generation of `slot`; null if a live generation holds it. */
  private async claimSlot(slot: string, fields: { instrumentId: string; start: Date; unit: number; bookingId: string; createdAt: Date }): Promise<string | null> {
    for (let generation = 0; generation < MAX_GENERATIONS; ) {
      const _id = generationId(slot, generation);
      try {
        await this.m.claims.create({ _id, slot, ...fields });
        return _id;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const current = await this.m.claims.findById(_id, { released: 1 }).lean();
      if (!current) continue; // dropped as past between our insert and read: try it again
      if (!current.released) return null;
      generation++;
    }
    return null;
  }

  /**
   * Releases the claim generations `ids` of `bookingId` (one query, whatever their number). Safe to
   * run concurrently and late: it only ever writes "released" into these generations (see above).
   */
  async release(ids: readonly string[], bookingId: string): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await this.m.claims.updateMany(
      { _id: { $in: [...ids] }, bookingId },
      { $set: { released: true, releasedAt: new Date(), releasedBookingId: bookingId }, $unset: { bookingId: 1, instrumentId: 1, unit: 1 } },
    );
    return res.modifiedCount;
  }

  /** The live claims of one instrument with a slot start in the interval: one query. */
  async between(instrumentId: string, range: Interval): Promise<{ start: number; unit: number }[]> {
    const docs = await this.m.claims
      .find({ instrumentId, start: { $gte: new Date(range.start), $lt: new Date(range.end) } }, { _id: 0, start: 1, unit: 1 })
      .lean<{ start: Date; unit: number }[]>();
    return docs.map((d) => ({ start: d.start.getTime(), unit: d.unit }));
  }
}

// Slot claims: the only guard against double booking. Holding unit u of an instrument from slot
// start t is the insert of a document named after that slot, `<instrumentId>:<t as ISO UTC>:<u>`;
// of two racing requests for the same unit exactly one insert wins, on FerretDB (SQLite's primary
// key) and MongoDB alike, with several server processes, without transactions or conditional updates.
//
// A booking's claims go in as one ordered insert (one round trip). It is not all-or-nothing, but it
// stops at the first collision and says where, so a request knows exactly which ones it owns and
// releases exactly those when it loses. Each carries its bookingId, so the sweeper can tell an
// orphan from a live hold.
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
// Reads. On the patched embedded FerretDB (docs/database.md "Patched FerretDB") only `_id` filters
// (`{_id}`, `$eq`, `$in`, also next to other conditions) use an index, ~1 ms at 50,000 claims; any
// other filter reads the whole collection. So availability computes the ids of its window (grid
// slot starts × units) and reads them by `_id` (`at`): its cost follows the window, not the number
// of claims ever made; package planning reads the same way, a week at a time (package-plan.ts).
// `betweenMany` (a window of more than MAX_ID_READ ids) and the calendar guard (instrument-usage.ts)
// still scan `{instrumentId, start}`; the sweeper drops claims of slots that are over, which keeps
// those scans bounded by what lies ahead.
// Claiming reads only when an insert collides (a taken or once-released slot).
import type { Interval } from "./availability";
import { findByIds } from "../../db/by-ids";
import { CoalescedReads } from "../../db/coalesced-reads";
import { isDuplicateKeyError } from "../../db/errors";
import type { SchedulingModels } from "./model";

/** The name of a slot of one unit (and of its first claim generation). */
export function claimId(instrumentId: string, start: number, unit: number): string {
  return `${instrumentId}:${new Date(start).toISOString()}:${unit}`;
}

export function generationId(slot: string, generation: number): string {
  return generation === 0 ? slot : `${slot}#${generation}`;
}

/** The instant a claim id (`<instrumentId>:<ISO start>:<unit>[#generation]`) is for, or NaN. */
export function claimStart(id: string): number {
  const match = /:(\d{4}-\d\d-\d\dT[\d:.]+Z):\d+(#\d+)?$/.exec(id);
  return match ? Date.parse(match[1]!) : NaN;
}

/** Past this many ids (~10 queries) a scan of the collection is cheaper than reading them by `_id`. */
const MAX_ID_READ = 10_000;

/** More generations than this for one slot means something is wrong: answer "taken" rather than loop. */
export const MAX_GENERATIONS = 1000;

export type ClaimResult = { ok: true; ids: string[] } | { ok: false; takenAt: number };

/**
 * Checked after a booking's claims on one instrument are in (instrument-usage.ts `calendarFence`):
 * throws to give them back when a calendar change raced the booking.
 */
export type ClaimFence = (instrumentId: string, starts: readonly number[], unit: number) => Promise<void>;

type SlotQuery = { starts: readonly number[]; capacity: number };

export class ClaimStore {
  /** Concurrent reads of one instrument share one query (db/coalesced-reads.ts). */
  private readonly reads = new CoalescedReads<SlotQuery, { start: number; unit: number }[]>((instrumentId, queries) => {
    const starts = new Set(queries.flatMap((q) => q.starts));
    return this.read(instrumentId, [...starts], Math.max(...queries.map((q) => q.capacity)));
  });

  constructor(
    private readonly m: SchedulingModels,
    private readonly fence: ClaimFence = async () => {},
  ) {}

  /**
   * Every live claim (released generations carry no bookingId): what the sweeper and the lapsing
   * reminder start from instead of scanning bookings. A scan of the claims, which hold the time
   * ahead and the last day only.
   */
  async live(): Promise<{ _id: string; bookingId: string; createdAt: Date }[]> {
    return this.m.claims.find({ bookingId: { $exists: true } }, { _id: 1, bookingId: 1, createdAt: 1 }).lean<{ _id: string; bookingId: string; createdAt: Date }[]>();
  }

  /**
   * Claims unit `unit` from each of `starts` for `bookingId`: all of them, or none (the ones this
   * call inserted are released again when one is taken; `takenAt` says which). The ids returned
   * name these generations: they are what the booking releases later.
   */
  async claim(instrumentId: string, starts: readonly number[], unit: number, bookingId: string): Promise<ClaimResult> {
    const owned: string[] = [];
    const createdAt = new Date();
    const fields = (start: number) => ({ instrumentId, start: new Date(start), unit, bookingId, createdAt });
    try {
      for (let next = 0; next < starts.length; ) {
        // The first generations of the slots left, in one ordered insert; it stops at the first taken one.
        const inserted = await this.insertFirstGenerations(starts.slice(next).map((start) => ({ _id: claimId(instrumentId, start, unit), ...fields(start) })), owned);
        next += inserted;
        if (next === starts.length) break;
        const start = starts[next]!;
        const id = await this.claimSlot(claimId(instrumentId, start, unit), fields(start));
        if (id === null) {
          await this.release(owned, bookingId);
          return { ok: false, takenAt: start };
        }
        owned.push(id);
        next++;
      }
      await this.fence(instrumentId, starts, unit);
    } catch (err) {
      await this.release(owned, bookingId);
      throw err;
    }
    return { ok: true, ids: owned };
  }

  /**
   * Inserts `docs` in order until one collides; adds the ids inserted to `owned` and returns their
   * number. After any other failure every id is added (some may have landed): releasing an id only
   * ever touches a generation that carries this booking's id.
   */
  private async insertFirstGenerations(docs: { _id: string; instrumentId: string; start: Date; unit: number; bookingId: string; createdAt: Date }[], owned: string[]): Promise<number> {
    try {
      await this.m.claims.collection.insertMany(docs.map((d) => ({ ...d, slot: d._id })) as never[], { ordered: true });
      owned.push(...docs.map((d) => d._id));
      return docs.length;
    } catch (err) {
      const firstError = (err as { writeErrors?: { index: number; code?: number }[] | { index: number; code?: number } }).writeErrors;
      const first = Array.isArray(firstError) ? firstError[0] : firstError;
      if (first?.index === undefined || !isDuplicateKeyError(first)) {
        owned.push(...docs.map((d) => d._id));
        throw err;
      }
      owned.push(...docs.slice(0, first.index).map((d) => d._id));
      return first.index;
    }
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

  /** The live claims of several instruments with a slot start in the interval, by instrument: one query (a scan on FerretDB). */
  async betweenMany(instrumentIds: readonly string[], range: Interval): Promise<Map<string, { start: number; unit: number }[]>> {
    const docs = await this.m.claims
      .find({ instrumentId: { $in: [...instrumentIds] }, start: { $gte: new Date(range.start), $lt: new Date(range.end) } }, { _id: 0, instrumentId: 1, start: 1, unit: 1 })
      .lean<{ instrumentId: string; start: Date; unit: number }[]>();
    const byInstrument = new Map<string, { start: number; unit: number }[]>(instrumentIds.map((id) => [id, []]));
    for (const d of docs) byInstrument.get(d.instrumentId)?.push({ start: d.start.getTime(), unit: d.unit });
    return byInstrument;
  }

  /**
   * The live claims of one instrument on units 0..capacity-1 at the slot starts `starts`, read by
   * `_id` (indexed, so the cost follows the window, not the collection): the first generation of
   * every slot × unit in `$in` queries of at most ID_CHUNK ids (db/by-ids.ts), then, for the generations found
   * released, the next ones, until none is released. Generation g+1 exists only if g was released,
   * so an absent or live generation ends its slot's walk. Starts that are not slot names (off the
   * grid) simply find nothing. A window of more than MAX_ID_READ slot × unit ids (a month of
   * 5-minute slots on a 100-unit instrument has 900,000) is read by one range scan instead, which
   * is then the cheaper of the two. Requests for one instrument that arrive while its read runs
   * share the next read.
   */
  async at(instrumentId: string, starts: readonly number[], capacity: number): Promise<{ start: number; unit: number }[]> {
    if (starts.length === 0) return [];
    const claims = await this.reads.read(instrumentId, { starts, capacity });
    const wanted = new Set(starts);
    return claims.filter((c) => wanted.has(c.start) && c.unit < capacity);
  }

  private async read(instrumentId: string, starts: readonly number[], capacity: number): Promise<{ start: number; unit: number }[]> {
    if (starts.length * capacity > MAX_ID_READ) {
      const range = { start: starts.reduce((a, b) => Math.min(a, b)), end: starts.reduce((a, b) => Math.max(a, b)) + 1 };
      const wanted = new Set(starts);
      const claims = (await this.betweenMany([instrumentId], range)).get(instrumentId) ?? [];
      return claims.filter((c) => wanted.has(c.start) && c.unit < capacity);
    }
    type Pending = { slot: string; generation: number; start: number; unit: number };
    let pending = new Map<string, Pending>();
    for (const start of new Set(starts)) {
      for (let unit = 0; unit < capacity; unit++) {
        const slot = claimId(instrumentId, start, unit);
        pending.set(slot, { slot, generation: 0, start, unit });
      }
    }
    const live: { start: number; unit: number }[] = [];
    for (let round = 0; pending.size > 0 && round < MAX_GENERATIONS; round++) {
      const ids = [...pending.keys()];
      const found = await findByIds<{ _id: string; released?: boolean }>(this.m.claims, ids, { _id: 1, released: 1 });
      const next = new Map<string, Pending>();
      for (const doc of found) {
        const p = pending.get(doc._id)!;
        if (!doc.released) live.push({ start: p.start, unit: p.unit });
        else next.set(generationId(p.slot, p.generation + 1), { ...p, generation: p.generation + 1 });
      }
      pending = next;
    }
    return live;
  }
}

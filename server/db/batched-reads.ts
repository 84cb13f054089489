// Reads by `_id` that arrive while reads of the same collection are in flight go out together, as
// one `_id $in` query, when one of those returns. Under load a request's reads (session, user,
// membership, organization, event heads, instrument) are many single-document look-ups; on the
// embedded database each query costs far more than each document it returns (a query of 5 ids
// costs both processes about a third of 5 single ones: docs/database.md "Batched reads"), so
// queueing them behind the reads already running saves most of that, and costs nothing when idle:
// with fewer than MAX_IN_FLIGHT queries running, a read goes out at once.
//
// A batched read is as fresh as a single one: every id in a query was asked for before the query
// was sent. Documents are plain (lean); a document asked for by several callers in one query is
// copied for all but the first, so no caller sees another's changes.
import mongoose, { type Model } from "mongoose";

const { BSON } = mongoose.mongo;

/** Queries of one collection running at a time; further reads wait and go out together. */
const MAX_IN_FLIGHT = 2;
/** Ids per query at most (the rest wait for the next). */
const MAX_BATCH = 500;

type Waiter = { resolve: (doc: unknown) => void; reject: (err: unknown) => void };

class IdBatcher {
  private queue = new Map<string, Waiter[]>();
  private inFlight = 0;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly model: Model<any>) {}

  get(id: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const waiters = this.queue.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.queue.set(id, [{ resolve, reject }]);
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.size > 0) {
      const batch = new Map<string, Waiter[]>();
      for (const [id, waiters] of this.queue) {
        batch.set(id, waiters);
        this.queue.delete(id);
        if (batch.size >= MAX_BATCH) break;
      }
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Map<string, Waiter[]>): Promise<void> {
    const ids = [...batch.keys()];
    try {
      const docs: { _id: string }[] =
        ids.length === 1
          ? [await this.model.findById(ids[0]).lean()].filter((d) => d !== null)
          : await this.model.find({ _id: { $in: ids } }).lean();
      const byId = new Map(docs.map((d) => [String(d._id), d]));
      for (const [id, waiters] of batch) {
        const doc = byId.get(id) ?? null;
        waiters.forEach((w, i) => w.resolve(i === 0 || doc === null ? doc : copy(doc)));
      }
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }
}

/** A copy as a second read would give it (BSON types kept, which structuredClone would turn into plain objects). */
function copy(doc: object): object {
  return BSON.deserialize(BSON.serialize(doc));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const batchers = new WeakMap<Model<any>, IdBatcher>();

/** The whole document with this string `_id` (lean), or null: `Model.findById(id).lean()`, batched. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readById<D>(model: Model<any>, id: string): Promise<D | null> {
  let batcher = batchers.get(model);
  if (!batcher) batchers.set(model, (batcher = new IdBatcher(model)));
  return batcher.get(id) as Promise<D | null>;
}

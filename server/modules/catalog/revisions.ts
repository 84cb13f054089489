// Edits of instruments and packages without lost updates. FerretDB applies an update by reading the
// document and writing all of it back, so two concurrent PATCHes could each undo the other's fields
// (docs/database.md). Instead, an edit is decided by inserting the event `<docId>:<revision>`, where
// the revision is the `updatedAt` (ms) of the version the edit was computed from: one edit per
// version wins, the loser recomputes on the new version. The event holds the whole new version, and
// the document write sets all of it: a crash between event and write is repaired by the next load,
// and so is a late write-back of an older version (it brings back the older `updatedAt`, whose
// event leads forward again). The events also keep the catalog's history (who changed what, when).
import type { Model } from "mongoose";
import { readById } from "../../db/batched-reads";
import { appendEvent, readEvent, type EventModel } from "../../db/event-store";
import { ConflictError, NotFoundError } from "../../errors";

export interface Revisable {
  _id: string;
  updatedAt: Date;
}

const MAX_EDIT_ATTEMPTS = 10;
/** Pending edits applied on one load; more means something is badly wrong, not a crash. */
const MAX_PENDING = 20;

export class RevisionStore<T extends Revisable> {
  constructor(
    private readonly model: Model<T>,
    private readonly events: EventModel,
    /** Called after a document write has landed (the catalog change log). */
    private readonly changed: (id: string) => Promise<void>,
  ) {}

  /** The current document: the stored one plus any edit whose write a crash interrupted. */
  async load(id: string): Promise<T | null> {
    let doc = await readById<T>(this.model, id);
    let repaired = false;
    for (let i = 0; doc && i < MAX_PENDING; i++) {
      const pending = await readEvent(this.events, id, doc.updatedAt.getTime());
      if (!pending) break;
      const set = (pending.data as { set: Partial<T> }).set; // a whole version (or, from older writers, a part)
      await this.model.updateOne({ _id: id }, { $set: set });
      doc = { ...doc, ...set };
      repaired = true;
    }
    if (repaired) await this.changed(id);
    return doc;
  }

  /** Records the creation (history only: a new `_id` cannot race). */
  async create(doc: T, actorId: string): Promise<void> {
    await this.model.create(doc);
    await appendEvent(this.events, { aggregateId: doc._id, seq: 0, type: "created", data: { doc }, actorId });
    await this.changed(doc._id);
  }

  /**
   * Applies `edit(current)` (which validates and may throw) to the current version; retried on the
   * new version when another edit won the race. Returns the document after the edit.
   */
  async revise(id: string, actorId: string, edit: (current: T) => Promise<Partial<T>>): Promise<T> {
    for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
      const current = await this.load(id);
      if (!current) throw new NotFoundError();
      const revision = current.updatedAt.getTime();
      const changes = await edit(current);
      const next: T = { ...current, ...changes, updatedAt: new Date(Math.max(Date.now(), revision + 1)) };
      const { _id, ...rest } = next;
      const set = rest as Partial<T>;
      const changed = Object.keys(changes).filter(
        (key) => JSON.stringify(changes[key as keyof T]) !== JSON.stringify(current[key as keyof T]),
      );
      const data = { fields: changed, set }; // `fields`: what this edit changed, for the history
      if (!(await appendEvent(this.events, { aggregateId: id, seq: revision, type: "revised", data, actorId }))) continue;
      await this.model.updateOne({ _id: id }, { $set: set });
      await this.changed(id);
      return next;
    }
    throw new ConflictError();
  }
}

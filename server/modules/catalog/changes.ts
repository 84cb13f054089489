// The catalog change log: how every server process learns that the catalog changed, so its
// in-memory search index (search.ts) stays exact without rescanning the collections.
//
// Change n is the document `{_id: n}`. A writer appends after its data write has landed, taking the
// next free number: the insert is the decision (DESIGN.md "The database"), so two racing writers
// get n and n+1, never the same number, and since n+1 is only tried once n exists there are no gaps.
// A reader that has applied changes up to h looks up `h + 1` by `_id` (the one indexed lookup on
// FerretDB, ~0.5 ms) and is up to date when it is missing.
import { Schema, type Connection, type Model } from "mongoose";
import { isDuplicateKeyError } from "../../db/errors";

export type CatalogChange =
  | { kind: "instrument" | "package"; id: string }
  /** Bulk loads that wrote documents directly (seed, benchmark): every reader rebuilds. */
  | { kind: "all" };

interface ChangeDoc {
  _id: number;
  kind: CatalogChange["kind"];
  id?: string;
  at: Date;
}
const changeSchema = new Schema<ChangeDoc>(
  { _id: Number, kind: { type: String, required: true }, id: String, at: { type: Date, required: true } },
  { versionKey: false },
);

/** Where to start looking for the head: a hint, only ever a number that exists (a lower bound). */
interface HeadDoc {
  _id: string;
  n: number;
}
const headSchema = new Schema<HeadDoc>({ _id: String, n: { type: Number, required: true } }, { versionKey: false });
const HEAD_ID = "changes-head";

const MAX_APPEND_ATTEMPTS = 100;

export class CatalogChangeLog {
  private readonly changes: Model<ChangeDoc>;
  private readonly meta: Model<HeadDoc>;
  /** The highest change number this process has seen exist. */
  private known = 0;

  constructor(conn: Connection) {
    this.changes = conn.model<ChangeDoc>("CatalogChange", changeSchema, "catalog_changes");
    this.meta = conn.model<HeadDoc>("CatalogMeta", headSchema, "catalog_meta");
  }

  /** Change n, or null if it does not exist (yet). */
  async read(n: number): Promise<(CatalogChange & { n: number }) | null> {
    const doc = await this.changes.findById(n).lean<ChangeDoc>();
    if (!doc) return null;
    this.known = Math.max(this.known, n);
    return doc.kind === "all" ? { n, kind: "all" } : { n, kind: doc.kind, id: doc.id ?? "" };
  }

  /** The number of the last change, found by reading forward from the best starting point known. */
  async head(): Promise<number> {
    let n = this.known;
    if (n === 0) n = (await this.meta.findById(HEAD_ID).lean<HeadDoc>())?.n ?? 0;
    while (await this.changes.exists({ _id: n + 1 })) n++;
    this.known = Math.max(this.known, n);
    return n;
  }

  /** Records a change (call it after the data write has landed). Returns its number. */
  async append(change: CatalogChange): Promise<number> {
    let n = await this.head();
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      try {
        await this.changes.create({ _id: n + 1, ...change, at: new Date() });
        this.known = Math.max(this.known, n + 1);
        await this.saveHint(n + 1);
        return n + 1;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        n = await this.head(); // another writer took n + 1: move past it
      }
    }
    throw new Error("catalog change log: could not append a change");
  }

  /**
   * Not atomic on FerretDB (a slower writer can set a smaller number back), which is harmless: any
   * number written exists, and readers go forward from it.
   */
  private async saveHint(n: number): Promise<void> {
    if (n % 16 !== 0) return; // one hint write per 16 changes is plenty to keep forward reads short
    try {
      await this.meta.updateOne({ _id: HEAD_ID }, { $set: { n } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // two first upserts raced: the other one's hint is as good
    }
  }
}

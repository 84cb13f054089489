// The outbox a provincial connector pulls: the change log in number order, from a cursor. Each
// record has a stable id (its journal key) and number, and every record is served exactly once:
// - A number is taken by an insert (audit/change-log.ts), so a record never moves or changes.
// - A hole (a number taken by a writer whose insert has not landed, or never will) is never passed
//   on the hope that it stays empty: while it is younger than the grace period the page ends before
//   it; after that the reader closes it by inserting a gap record — an insert, so either the late
//   writer's record or the gap holds the number, never both, and the writer that lost moves on to a
//   later number the reader has not passed yet.
// - A source recorded twice (a crash and the repair pass) has one journal entry naming the number
//   that counts; the other record is skipped. A record without its entry (its writer died between
//   the two inserts) gets it here, so the decision is made once, before anything is served.
// Re-reading from a cursor therefore gives the same records (docs/audit.md, docs/exchange.md).
import type { OutboxPage, OutboxRecord } from "../../../shared/schemas/exchange";
import { range, type ChangeLog } from "../audit/change-log";
import type { Journal } from "../audit/journal";
import type { ChangeDoc, JournalDoc } from "../audit/model";
import { iso, recordOfState } from "./records";

/** Numbers read per round trip beyond what the page still needs (crossing duplicates and gaps). */
const LOOKAHEAD = 64;

export class Outbox {
  /** How long a hole may stay open before a reader closes it: longer than any insert takes. */
  graceMs = 5_000;

  constructor(
    private readonly journal: Journal,
    private readonly log: ChangeLog,
    private readonly now: () => number = Date.now,
  ) {}

  async pull(after: number, limit: number): Promise<OutboxPage> {
    const records: OutboxRecord[] = [];
    let cursor = after;
    let blocked = false;
    while (records.length < limit && !blocked) {
      const numbers = range(cursor + 1, cursor + limit - records.length + LOOKAHEAD);
      const found = new Map((await this.log.read(numbers)).map((d) => [d._id, d]));
      if (found.size === 0) break;
      const run: ChangeDoc[] = [];
      for (const n of numbers) {
        let doc = found.get(n);
        if (!doc) {
          const later = [...found.values()].filter((d) => d._id > n);
          if (later.length === 0) break; // the end of the log
          const youngest = Math.max(...later.map((d) => new Date(d.recordedAt).getTime()));
          // A later record is young: the hole's writer may still be inserting. Stop before it.
          if (this.now() - youngest < this.graceMs) {
            blocked = true;
            break;
          }
          doc = await this.log.closeGap(n);
        }
        run.push(doc);
        if (records.length + run.filter((d) => !d.gap).length >= limit) break;
      }
      if (run.length === 0) break;
      for (const { doc, entry } of await this.entries(run)) {
        cursor = doc._id;
        if (entry && entry.seq === doc._id) records.push(present(entry));
        if (records.length >= limit) break;
      }
    }
    return { records, next: cursor, more: records.length >= limit };
  }

  /** Each record with the journal entry of its key (written now if its writer never did). */
  private async entries(run: ChangeDoc[]): Promise<{ doc: ChangeDoc; entry: JournalDoc | null }[]> {
    const keys = run.filter((d) => d.key).map((d) => d.key!);
    const entries = new Map((await this.journal.m.journal.find({ _id: { $in: keys } }).lean<JournalDoc[]>()).map((e) => [e._id, e]));
    const out: { doc: ChangeDoc; entry: JournalDoc | null }[] = [];
    for (const doc of run) {
      if (doc.gap || !doc.key || !doc.facts) {
        out.push({ doc, entry: null });
        continue;
      }
      let entry = entries.get(doc.key);
      if (!entry) {
        entry = await this.journal.settle(doc.key, doc._id, doc.facts);
        entries.set(doc.key, entry);
      }
      out.push({ doc, entry });
    }
    return out;
  }
}

function present(e: JournalDoc): OutboxRecord {
  return {
    id: e._id, seq: e.seq, kind: e.kind, subjectType: e.subjectType, subjectId: e.subjectId, at: iso(e.at)!,
    actorId: e.actorId ?? null, amountFen: typeof e.amountFen === "number" ? e.amountFen : null,
    before: e.before ?? {}, after: e.after ?? {}, reason: e.reason ?? null,
    record: recordOfState(e.subjectType, e.state) as OutboxRecord["record"],
  };
}

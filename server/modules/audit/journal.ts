// Writing the journal: an audited insert becomes a change-log record and then its journal entry.
// The journal entry's insert (`_id` = the source's key) decides which change-log number is the
// entry's: if two writers recorded one source (the recorder and a repair pass, or a reader that
// found a record without its entry), the first entry wins and the other record is a duplicate the
// outbox skips. So each source is in the journal exactly once, and in the outbox exactly once.
import { isDuplicateKeyError } from "../../db/errors";
import { eventId, type StoredEvent } from "../../db/event-store";
import type { Connection } from "mongoose";
import { range, type ChangeLog } from "./change-log";
import { AUDITED_COLLECTIONS, describe, journalKey, type DescribeReads } from "./describe";
import type { AuditModels, JournalDoc, JournalFacts } from "./model";

const AUDITED = new Set<string>(AUDITED_COLLECTIONS);

export type RecordOutcome = "recorded" | "exists" | "not_audited";

export class Journal {
  readonly reads: DescribeReads;

  constructor(
    readonly m: AuditModels,
    readonly log: ChangeLog,
    conn: Connection,
  ) {
    const events = conn.collection<StoredEvent>("events");
    this.reads = {
      stream: (aggregateId, seq) => events.find({ _id: { $in: range(1, seq).map((n) => eventId(aggregateId, n)) } }).toArray()
        .then((docs) => (docs as StoredEvent[]).sort((a, b) => a.seq - b.seq)),
      providerOfVoucher: async (voucherId) => {
        const first = (await events.findOne({ _id: eventId(voucherId, 1) })) as StoredEvent | null;
        return typeof first?.data.providerId === "string" ? first.data.providerId : null;
      },
    };
  }

  /** Journals one inserted document once (a second call finds its entry). */
  async record(collection: string, doc: Record<string, unknown>): Promise<RecordOutcome> {
    if (!AUDITED.has(collection)) return "not_audited";
    const key = journalKey(collection, doc._id);
    if (await this.m.journal.exists({ _id: key })) return "exists";
    const facts = await describe(collection, doc, this.reads);
    if (!facts) return "not_audited";
    const seq = await this.log.append(key, facts);
    await this.settle(key, seq, facts);
    return "recorded";
  }

  /** Inserts the entry of `key` as record `seq`; returns the entry that holds the key (this one or an earlier one). */
  async settle(key: string, seq: number, facts: JournalFacts): Promise<JournalDoc> {
    const entry: JournalDoc = { _id: key, seq, ...facts };
    try {
      await this.m.journal.collection.insertOne(entry as never, { ignoreUndefined: true });
      return entry;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return (await this.m.journal.findById(key).lean<JournalDoc>())!;
    }
  }
}

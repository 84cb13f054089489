// The change log: record n is the insert of `change_log._id = n`. Numbers come from a per-process
// counter; a duplicate (another process took n) moves on, so every number is inserted at most
// once. A number can stay empty for a while (taken by a writer whose insert is still on its way)
// or for good (its process died before the insert): readers never pass such a hole on their own;
// after a grace period they close it by inserting a gap record there, and since that is an insert
// too, exactly one of the late writer and the reader wins the number (outbox.ts, docs/audit.md).
import { isDuplicateKeyError } from "../../db/errors";
import type { AuditModels, ChangeDoc, JournalFacts } from "./model";

/** Numbers read past the hint per probe while looking for the head. */
const PROBE = 64;
/** The head hint is written every HINT_EVERY-th record (a stale hint costs a probe, never a wrong answer). */
const HINT_EVERY = 16;
const MAX_ATTEMPTS = 10_000;

export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

export class ChangeLog {
  private next = 0;

  constructor(
    private readonly m: AuditModels,
    private readonly now: () => number = Date.now,
  ) {}

  /** The highest number in use (0: none), from the hint and probing forward by `_id`. */
  async head(): Promise<number> {
    let head = Math.max(this.next - 1, (await this.m.heads.findById("head").lean())?.seq ?? 0);
    for (;;) {
      const found = await this.m.changes.find({ _id: { $in: range(head + 1, head + PROBE) } }, { _id: 1 }).lean();
      if (found.length === 0) return head;
      head = Math.max(...found.map((d) => d._id));
    }
  }

  /** Appends the record of `key`; returns its number. */
  async append(key: string, facts: JournalFacts): Promise<number> {
    if (this.next === 0) this.next = (await this.head()) + 1;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const n = this.next++;
      try {
        await this.insert({ _id: n, key, recordedAt: new Date(this.now()), facts });
        if (n % HINT_EVERY === 0) await this.m.heads.updateOne({ _id: "head" }, { $set: { seq: n } }, { upsert: true }).catch(() => undefined);
        return n;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // Another process took n: after a few, jump to the head instead of walking up one by one.
        if (attempt % 4 === 0) this.next = Math.max(this.next, (await this.head()) + 1);
      }
    }
    throw new Error("change log: no free number");
  }

  /** The insert that takes a number (its own method, so a test can hold it back as a slow writer's). */
  async insert(doc: ChangeDoc): Promise<void> {
    await this.m.changes.collection.insertOne(doc as never);
  }

  /** The records with these numbers that exist. */
  async read(numbers: number[]): Promise<ChangeDoc[]> {
    if (numbers.length === 0) return [];
    return this.m.changes.find({ _id: { $in: numbers } }).lean<ChangeDoc[]>();
  }

  /** Closes the hole at n with a gap record, unless a writer's record got there first: returns what holds n. */
  async closeGap(n: number): Promise<ChangeDoc> {
    const gap: ChangeDoc = { _id: n, gap: true, recordedAt: new Date(this.now()) };
    try {
      await this.m.changes.collection.insertOne(gap as never);
      return gap;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return (await this.m.changes.findById(n).lean<ChangeDoc>())!;
    }
  }
}

// A user's notifications as a gapless sequence `<userId>:1`, `<userId>:2`, … whose next number is
// taken by an insert (the loser of a race, in another process, probes on and takes the next one).
// So the newest page is one read of known `_id`s, on FerretDB as on MongoDB, however many
// notifications all users have. Within a process a user's appends run one after another, so 100
// parallel bookings do not make 100 writers race for the same number.
import { isDuplicateKeyError } from "../../db/errors";
import type { NotificationContent, NotificationDoc, NotificationModels } from "./model";

/** How many numbers past the hint one probe reads. */
const PROBE = 32;
/** The head hint is written on every HINT_EVERY-th notification (a stale hint costs one more probe). */
const HINT_EVERY = 8;
/** Known heads kept per process (they are only a starting point for the probe). */
const HEADS_KEPT = 10_000;

export const feedId = (userId: string, seq: number) => `${userId}:${seq}`;

/** `<userId>:<seq>` → its parts, or null if it is not a notification id. */
export function parseFeedId(id: string): { userId: string; seq: number } | null {
  const at = id.lastIndexOf(":");
  const seq = Number(id.slice(at + 1));
  return at > 0 && Number.isSafeInteger(seq) && seq >= 1 ? { userId: id.slice(0, at), seq } : null;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

export class UserFeeds {
  private readonly heads = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly m: NotificationModels) {}

  /** The user's highest seq (0 when none), read from the database: other processes append too. */
  async head(userId: string): Promise<number> {
    let head = Math.max(this.heads.get(userId) ?? 0, (await this.m.heads.findById(userId).lean())?.seq ?? 0);
    for (;;) {
      const found = await this.m.notifications.find({ _id: { $in: range(head + 1, head + PROBE).map((n) => feedId(userId, n)) } }, { seq: 1 }).lean();
      if (found.length === 0) break;
      head = Math.max(...found.map((d) => d.seq));
      if (found.length < PROBE) break;
    }
    this.remember(userId, head);
    return head;
  }

  /** The user's notifications with these seqs that exist, newest first. */
  async read(userId: string, seqs: number[]): Promise<NotificationDoc[]> {
    if (seqs.length === 0) return [];
    const docs = await this.m.notifications.find({ _id: { $in: seqs.map((n) => feedId(userId, n)) } }).lean<NotificationDoc[]>();
    return docs.sort((a, b) => b.seq - a.seq);
  }

  /** Appends a notification as the user's next seq. */
  append(userId: string, key: string, content: NotificationContent, at: Date): Promise<NotificationDoc> {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.insertNext(userId, key, content, at));
    this.queues.set(userId, run);
    void run.catch(() => {}).finally(() => {
      if (this.queues.get(userId) === run) this.queues.delete(userId);
    });
    return run;
  }

  private async insertNext(userId: string, key: string, content: NotificationContent, at: Date): Promise<NotificationDoc> {
    let seq = (this.heads.get(userId) ?? (await this.head(userId))) + 1;
    for (;;) {
      const doc: NotificationDoc = { _id: feedId(userId, seq), userId, seq, key, ...content, createdAt: at };
      try {
        await this.m.notifications.create(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        seq = (await this.head(userId)) + 1; // another process took this number
        continue;
      }
      this.remember(userId, seq);
      if (seq % HINT_EVERY === 0) await this.m.heads.updateOne({ _id: userId }, { $set: { seq } }, { upsert: true });
      return doc;
    }
  }

  private remember(userId: string, head: number): void {
    if (head <= (this.heads.get(userId) ?? 0)) return;
    if (this.heads.size >= HEADS_KEPT) this.heads.clear();
    this.heads.set(userId, head);
  }
}

export { range as seqRange };

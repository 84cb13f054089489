// The quota ledger: per account (an actual controller's or an enterprise's, per year) an append-only
// chain of entries `<accountId>:<n>`, each with the balances after it. Appending entry n is the
// decision (DESIGN.md): no transaction, no conditional update. Of writers racing for n one wins;
// the others get E11000, re-read the head and decide again on the new balances. The unique `key`
// of each entry makes every movement idempotent: a retry finds the entry its key already holds.
import { createHash } from "node:crypto";
import { isDuplicateKeyError } from "../../db/errors";
import { announceAppend } from "../../db/append-observers";
import { ConflictError } from "../../errors";
import type { EntryKind, LedgerEntryDoc, VoucherModels } from "./model";

/** The balances at the head of an account (seq 0: an empty account). */
export interface Head {
  seq: number;
  heldFen: number;
  redeemedFen: number;
}
const EMPTY: Head = { seq: 0, heldFen: 0, redeemedFen: 0 };

/** What an entry changes, decided on the head it will follow. */
export type Movement = Pick<LedgerEntryDoc, "heldDeltaFen" | "redeemedDeltaFen" | "capFen"> &
  Partial<Pick<LedgerEntryDoc, "voucherId" | "enterpriseId" | "provinceFen" | "cityFen" | "reasons" | "policyId">>;

/** Entries read per round trip while walking to the head (`_id $in`, indexed on the patched FerretDB). */
const WALK_BATCH = 32;
/** Lost races before giving up (409); 100 parallel writers on one account need at most 100. */
const MAX_APPEND_ATTEMPTS = 1000;

/**
 * The account of an enterprise for a quota year: its verified actual controller's if it has one
 * (hashed: any text is safe in an `_id`), else its own.
 */
export function quotaAccountId(enterprise: { _id: string; actualController?: string }, year: number, key: (s: string) => string): string {
  const owner = enterprise.actualController ? `ac-${createHash("sha256").update(key(enterprise.actualController)).digest("hex").slice(0, 20)}` : `ent-${enterprise._id}`;
  return `quota-${owner}-${year}`;
}

export const entryId = (accountId: string, seq: number) => `${accountId}:${seq}`;

export class QuotaLedger {
  private indexes?: Promise<unknown>;

  constructor(private readonly m: VoucherModels) {}

  /** The unique `key` index must exist before the first append, or a retry could apply twice. */
  private ready(): Promise<unknown> {
    return (this.indexes ??= this.m.ledger.init());
  }

  /** The head of an account: from the hint, walking on by `_id` while later entries exist. */
  async head(accountId: string): Promise<Head> {
    const hint = await this.m.heads.findById(accountId).lean();
    let head: Head = EMPTY;
    if (hint && hint.seq > 0) head = (await this.m.ledger.findById(entryId(accountId, hint.seq)).lean<LedgerEntryDoc>()) ?? EMPTY;
    return this.walk(accountId, head);
  }

  private async walk(accountId: string, from: Head): Promise<Head> {
    let head = from;
    for (;;) {
      const ids = Array.from({ length: WALK_BATCH }, (_, k) => entryId(accountId, head.seq + 1 + k));
      const found = await this.m.ledger.find({ _id: { $in: ids } }).lean<LedgerEntryDoc[]>();
      if (found.length === 0) return head;
      const bySeq = new Map(found.map((e) => [e.seq, e]));
      let next = bySeq.get(head.seq + 1);
      while (next) {
        head = next;
        next = bySeq.get(head.seq + 1);
      }
      if (found.length < WALK_BATCH) return head;
    }
  }

  /** The entry holding `key`, if any (a scan on FerretDB: only on the rare path after a crash or a duplicate). */
  findByKey(key: string): Promise<LedgerEntryDoc | null> {
    return this.m.ledger.findOne({ key }).lean<LedgerEntryDoc>();
  }

  /**
   * Appends the movement `decide` chooses on the current head, once per `key`: returns the entry
   * that holds the key (this call's, or the one an earlier or concurrent call wrote). `decide` may
   * be called again after a lost race, on the new head.
   */
  async append(accountId: string, year: number, key: string, kind: EntryKind, decide: (head: Head) => Movement): Promise<LedgerEntryDoc> {
    await this.ready();
    let head = await this.head(accountId);
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const move = decide(head);
      const seq = head.seq + 1;
      const entry: LedgerEntryDoc = {
        _id: entryId(accountId, seq), accountId, seq, key, kind, year, ...move,
        heldFen: head.heldFen + move.heldDeltaFen,
        redeemedFen: head.redeemedFen + move.redeemedDeltaFen,
        at: new Date(),
      };
      try {
        await this.m.ledger.create(entry);
        announceAppend(this.m.ledger.db, "ledger_entries", entry);
        await this.moveHint(accountId, seq);
        return entry;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const taken = await this.m.ledger.findById(entry._id).lean<LedgerEntryDoc>();
      if (taken?.key === key) return taken;
      if (!taken) {
        // Entry n is free, so the duplicate was the key: it was applied before (a retry after a crash).
        const existing = await this.findByKey(key);
        if (existing) return existing;
        continue;
      }
      head = await this.walk(accountId, taken);
    }
    throw new ConflictError();
  }

  /**
   * Moves the head hint forward. Not atomic on FerretDB and needs not be: readers walk on from any
   * hint. A failure (a newer hint made the upsert's insert collide, the database blinked) is ignored:
   * the entry is written, which is what counts.
   */
  private async moveHint(accountId: string, seq: number): Promise<void> {
    await this.m.heads.updateOne({ _id: accountId, seq: { $lt: seq } }, { $set: { seq } }, { upsert: true }).catch(() => undefined);
  }
}

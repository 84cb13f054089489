// The repair pass: journals every audited document that has no entry yet. Only a process that died
// between a decision and its journal write leaves such a document (in-process failures are retried),
// so every process runs the pass once after start-up, and hourly. It compares `_id`s: one read of
// each audited collection's ids (a scan on the embedded FerretDB; measured in docs/audit.md) and of
// the journal's, then reads only what is missing, by `_id`, and records it in time order.
import type { Connection } from "mongoose";
import { AUDITED_COLLECTIONS, journalKey } from "./describe";
import { streamOf } from "./describe-streams";
import type { Journal } from "./journal";

const CHUNK = 1000;
/** The time field of each collection: missing documents are recorded oldest first. */
const TIME_FIELD: Record<(typeof AUDITED_COLLECTIONS)[number], string> = {
  events: "at", ledger_entries: "at", settlements: "createdAt", awards: "recordedAt", admission_notices: "opensAt", admission_objection_decisions: "decidedAt",
};

export interface RepairResult {
  checked: number;
  recorded: number;
  /** The journal keys written by this pass (a handful at most: what a dead process left). */
  keys: string[];
}

/** `stopping` ends the pass early (a shutdown must not wait for a first start's thousands of entries; the next pass goes on). */
export async function repairJournal(conn: Connection, journal: Journal, stopping: () => boolean = () => false): Promise<RepairResult> {
  const known = new Set((await journal.m.journal.find({}, { _id: 1 }).lean()).map((d) => d._id));
  const missing: { collection: string; doc: Record<string, unknown> }[] = [];
  let checked = 0;
  for (const collection of AUDITED_COLLECTIONS) {
    if (stopping()) break;
    const source = conn.collection(collection);
    const projection = collection === "events" ? { _id: 1, aggregateId: 1, type: 1, "data.status": 1 } : { _id: 1 };
    const heads = await source.find({}, { projection }).toArray();
    const ids = heads
      .filter((d) => collection !== "events" || streamOf(d as never) !== null)
      .map((d) => d._id)
      .filter((id) => !known.has(journalKey(collection, id)));
    checked += heads.length;
    for (let k = 0; k < ids.length; k += CHUNK) {
      const docs = await source.find({ _id: { $in: ids.slice(k, k + CHUNK) } }).toArray();
      for (const doc of docs) missing.push({ collection, doc: doc as Record<string, unknown> });
    }
  }
  const time = (m: (typeof missing)[number]) => new Date(m.doc[TIME_FIELD[m.collection as keyof typeof TIME_FIELD]] as Date).getTime() || 0;
  missing.sort((a, b) => time(a) - time(b));
  const keys: string[] = [];
  for (const m of missing) {
    if (stopping()) break;
    if ((await journal.record(m.collection, m.doc)) === "recorded") keys.push(journalKey(m.collection, m.doc._id));
  }
  return { checked, recorded: keys.length, keys };
}

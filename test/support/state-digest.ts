// A digest of everything a database holds: per collection, its document count and a hash of its
// documents in `_id` order. Two equal digests mean no request in between wrote anything.
import { createHash } from "node:crypto";
import type { Connection } from "mongoose";

export interface StateDigest {
  /** collection → `<count>:<sha1 of its documents>` */
  collections: Record<string, string>;
}

export async function stateDigest(conn: Connection): Promise<StateDigest> {
  const db = conn.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const hashes = await Promise.all(
    names.map(async (name) => {
      const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
      return `${docs.length}:${createHash("sha1").update(JSON.stringify(docs)).digest("hex").slice(0, 12)}`;
    }),
  );
  return { collections: Object.fromEntries(names.map((name, i) => [name, hashes[i]!])) };
}

/** The collections whose contents differ ("bookings 3:ab… → 4:cd…"), empty when equal. */
export function digestChanges(before: StateDigest, after: StateDigest): string[] {
  const names = new Set([...Object.keys(before.collections), ...Object.keys(after.collections)]);
  return [...names]
    .filter((n) => before.collections[n] !== after.collections[n])
    .map((n) => `${n} ${before.collections[n] ?? "absent"} → ${after.collections[n] ?? "absent"}`);
}

// Who wants to know that an append-only document was inserted (an event, a ledger entry, a
// settlement, an award, an admission decision). The audit journal (server/modules/audit/) follows
// them, so the modules that write never import it. Observers are per connection (tests open several
// databases in one process), called synchronously after the insert and must not throw or block:
// they queue their own work. A crash between the insert and the observer's work is healed by the
// journal's repair pass, which reads the same collections (docs/audit.md).
import type { Connection } from "mongoose";

export type AppendObserver = (collection: string, doc: Record<string, unknown>) => void;

const observers = new WeakMap<Connection, Set<AppendObserver>>();

export function observeAppends(conn: Connection, observer: AppendObserver): () => void {
  let set = observers.get(conn);
  if (!set) observers.set(conn, (set = new Set()));
  set.add(observer);
  return () => set.delete(observer);
}

/** Tells the connection's observers that `doc` was inserted into `collection`. */
export function announceAppend(conn: Connection, collection: string, doc: object): void {
  for (const observe of observers.get(conn) ?? []) {
    try {
      observe(collection, doc as Record<string, unknown>);
    } catch {
      // An observer's failure must not undo or fail the write it follows; its repair pass heals it.
    }
  }
}

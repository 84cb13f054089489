// After a chaos run, with the server stopped: opens the data directory's database, lets the repair
// passes run as the server's timers would (every claim counts as past the sweeper's grace: no
// request is in flight any more), then checks the invariants and that everything a 2xx accepted
// is still there.
import type { Connection } from "mongoose";
import { createServices } from "../../server/app";
import { loadConfig } from "../../server/config";
import { connectDatabase } from "../../server/db/connection";
import { startEmbeddedDatabase } from "../../server/db/embedded";
import { checkInvariants, type Violation } from "../../server/modules/invariants/checker";
import { SWEEP_GRACE_MS } from "../../server/modules/scheduling/sweeper";
import type { Accepted } from "./workload";

export interface Verification {
  violations: Violation[];
  /** 2xx answers whose effect is not in the database. */
  lost: string[];
  checkedBookings: number;
}

/** The statuses a booking may end in, given what 2xx answers said about it. */
function allowedEnd(a: Accepted): string[] {
  if (a.transitions.includes("cancel")) return ["cancelled"];
  if (a.transitions.includes("reject")) return ["rejected"];
  // Confirmed, or cancelled by a request whose answer the kill cut off.
  if (a.transitions.includes("confirm")) return ["confirmed", "cancelled"];
  return ["pending", "confirmed", "cancelled", "rejected", "expired"];
}

export async function verifyAfterChaos(env: NodeJS.ProcessEnv, accepted: Iterable<Accepted>): Promise<Verification> {
  const config = loadConfig(env);
  const db = await startEmbeddedDatabase({ dataDir: config.dataDir, toolsDir: config.toolsDir, log: () => {} });
  let conn: Connection | undefined;
  try {
    conn = await connectDatabase(db.uri, config.mongodbDb);
    const services = createServices(conn, config);
    services.notificationFollower.detach();
    const after = Date.now() + SWEEP_GRACE_MS + 60_000;
    await services.scheduling.sweep(new Date(after), "all");
    await services.vouchers.repair();
    await services.claims.repair();
    const report = await checkInvariants(services, after);
    const lost: string[] = [];
    let checkedBookings = 0;
    for (const a of accepted) {
      checkedBookings++;
      const booking = await services.scheduling.load(a.id);
      if (!booking) lost.push(`booking ${a.id} answered 201 but is not in the database`);
      else if (!allowedEnd(a).includes(booking.status)) lost.push(`booking ${a.id} is ${booking.status} after 2xx answers to ${a.transitions.join(", ") || "its creation"}`);
    }
    return { violations: report.violations, lost, checkedBookings };
  } finally {
    await conn?.close();
    await db.stop();
  }
}
